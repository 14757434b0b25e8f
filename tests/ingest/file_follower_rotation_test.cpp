// FileFollower across rotation: rename+create, copytruncate, rotation while vigil
// was stopped, inotify overflow; and the position contract: a restart from any
// position delivered loses and repeats nothing.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "ingest/file_follower.h"
#include "ingest/rotated_files.h"
#include "tests/ingest/follow_harness.h"
#include "tests/support/temp_dir.h"

namespace vigil::ingest {
namespace {

using test::append_to;
using test::FollowLoop;
using test::GotLine;
using test::numbered;
using test::numbers;
using test::Recorder;

FollowOptions from_start() {
  FollowOptions options;
  options.start_at_end = false;
  return options;
}

uint64_t inode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

// What logrotate's copytruncate does: copy, then truncate the original in place.
void copytruncate(const std::string& path, const std::string& copy) {
  std::filesystem::copy_file(path, copy);
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
}

void rewrite_in_place(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);  // same inode
  out << content;
  ASSERT_TRUE(out.good());
}

// Follows `path` from its start; `steps` run in order, each after the follower has
// delivered the number of lines it waits for.
struct Step {
  size_t wait_for_lines;
  std::function<void()> act;
};

struct Followed {
  SourcePosition initial;  // position right after start
  std::vector<GotLine> lines;
  std::vector<test::GotEvent> events;
};

Followed follow(const std::string& path, const std::vector<Step>& steps, size_t total,
                FollowOptions options = from_start()) {
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  Followed out;
  out.initial = follower.position(0);
  FollowLoop loop(follower, got);
  for (const Step& step : steps) {
    EXPECT_TRUE(loop.run_until([&] { return got.lines.size() >= step.wait_for_lines; }));
    step.act();
  }
  EXPECT_TRUE(loop.run_until([&] { return got.lines.size() >= total; }));
  loop.drain();
  out.lines = got.lines;
  out.events = got.events;
  return out;
}

size_t count(const std::vector<test::GotEvent>& events, FollowEvent event) {
  size_t n = 0;
  for (const auto& e : events) n += e.event == event ? 1 : 0;
  return n;
}

std::vector<std::string> texts(const std::vector<GotLine>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const GotLine& line : lines) out.push_back(line.text);
  return out;
}

TEST(FileFollowerRotation, RenameAndCreateFinishesTheOldFileFirst) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 2));
  const uint64_t old_inode = inode_of(path);
  const Followed got = follow(path,
                              {{2,
                                [&] {
                                  append_to(path, "3\n");
                                  std::filesystem::rename(path, path + ".1");
                                  append_to(path + ".1", "4\n");  // the writer has not reopened yet
                                  append_to(path, "5\n6\n");
                                }}},
                              6);
  EXPECT_EQ(texts(got.lines), numbers(1, 6));
  EXPECT_EQ(got.lines[3].number, 4u);
  EXPECT_EQ(got.lines[3].after.ino, old_inode);
  EXPECT_EQ(got.lines[4].number, 1u);
  EXPECT_EQ(got.lines[4].after.ino, inode_of(path));
  EXPECT_EQ(count(got.events, FollowEvent::kRotated), 1u);
}

TEST(FileFollowerRotation, OldFileIsReadUntilTheNewOneHasData) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 2));
  const uint64_t old_inode = inode_of(path);
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  // logrotate's `create`: the new file exists, empty, before the writer reopens.
  std::filesystem::rename(path, path + ".1");
  append_to(path, "");
  append_to(path + ".1", "3\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 3; }));
  loop.drain();
  EXPECT_EQ(got.count(FollowEvent::kRotated), 0u);
  EXPECT_EQ(follower.position(0).ino, old_inode);
  EXPECT_EQ(follower.position(0).offset, 6u);
  append_to(path, "4\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 4; }));
  EXPECT_EQ(got.texts(), numbers(1, 4));
  EXPECT_EQ(got.count(FollowEvent::kRotated), 1u);
  EXPECT_EQ(follower.position(0).ino, inode_of(path));
}

TEST(FileFollowerRotation, QuietRotatedFileIsLeftAfterTheGrace) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 1));
  FollowOptions options = from_start();
  options.rotate_grace_us = 50'000;
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  std::filesystem::rename(path, path + ".1");
  append_to(path, "");
  ASSERT_TRUE(loop.run_until([&] { return got.count(FollowEvent::kRotated) == 1; }));
  EXPECT_EQ(follower.position(0).ino, inode_of(path));
  EXPECT_EQ(follower.position(0).offset, 0u);
  EXPECT_EQ(follower.next_deadline_us(), -1);
}

TEST(FileFollowerRotation, CopytruncateReadsTheRestFromTheCopy) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 3));
  const Followed got = follow(path,
                              {{3,
                                [&] {
                                  append_to(path, "4\n5\n");  // not read before the copy
                                  copytruncate(path, path + ".1");
                                  append_to(path, "6\n7\n");
                                }}},
                              7);
  EXPECT_EQ(texts(got.lines), numbers(1, 7));
  EXPECT_EQ(got.lines[4].number, 5u);
  EXPECT_EQ(got.lines[4].after.ino, inode_of(path + ".1"));
  EXPECT_EQ(got.lines[5].number, 1u);
  EXPECT_EQ(got.lines[5].after.ino, inode_of(path));
  ASSERT_EQ(count(got.events, FollowEvent::kTruncated), 1u);
  for (const auto& e : got.events) {
    if (e.event != FollowEvent::kTruncated) continue;
    EXPECT_EQ(e.detail, path +
                            " was truncated after line 3 (copytruncate): reading the rest from " +
                            path + ".1, then " + path + " from its start");
  }
}

TEST(FileFollowerRotation, TruncationWithoutACopyStartsOver) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "aaa\nbbb\n");
  const Followed got = follow(path,
                              {{2,
                                [&] {
                                  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
                                  append_to(path, "c\n");
                                }}},
                              3);
  EXPECT_EQ(texts(got.lines), (std::vector<std::string>{"aaa", "bbb", "c"}));
  EXPECT_EQ(got.lines[2].number, 1u);
  ASSERT_EQ(count(got.events, FollowEvent::kTruncated), 1u);
}

TEST(FileFollowerRotation, TruncatedAndRewrittenPastTheOffsetIsToldByItsFirstBytes) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 2));
  const Followed got = follow(path,
                              {{2,
                                [&] {
                                  copytruncate(path, path + ".1");
                                  append_to(path, "AAAAAAAAAA\nB\n");  // longer than before
                                }}},
                              4);
  EXPECT_EQ(texts(got.lines), (std::vector<std::string>{"1", "2", "AAAAAAAAAA", "B"}));
  EXPECT_EQ(count(got.events, FollowEvent::kTruncated), 1u);
}

TEST(FileFollowerRotation, RotatedWhileStoppedIsReadOnInTheRotatedFile) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("auth.log", numbered(1, 2));
  const Followed first = follow(path, {}, 2);
  const SourcePosition saved = first.lines.back().after;
  // While stopped: more lines, a dateext rotation, a new file, a compressed decoy.
  append_to(path, "3\n4\n");
  const std::string rotated = dir.file("auth.log-20261128");
  std::filesystem::rename(path, rotated);
  append_to(path, "5\n6\n");
  append_to(dir.file("auth.log.2.gz"), "not a log");

  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, saved, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 4; }));
  loop.drain();
  EXPECT_EQ(got.texts(), numbers(3, 6));
  EXPECT_EQ(got.lines[0].number, 3u);
  EXPECT_EQ(got.lines[1].after.ino, inode_of(rotated));
  EXPECT_EQ(got.lines[2].number, 1u);
  EXPECT_EQ(got.lines[3].after.ino, inode_of(path));
  ASSERT_NE(got.find(FollowEvent::kResumedRotated), nullptr);
  EXPECT_EQ(got.find(FollowEvent::kResumedRotated)->detail,
            path + " was rotated to " + rotated + " while stopped: reading it after line 2, then " +
                path + " from its start");
}

TEST(FileFollowerRotation, RotatedFileThatChangedSinceIsNotResumed) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("auth.log", numbered(1, 2));
  const SourcePosition saved = follow(path, {}, 2).lines.back().after;
  std::filesystem::rename(path, path + ".1");
  rewrite_in_place(path + ".1", "other\ncontent\nentirely\n");  // same inode, new bytes
  append_to(path, "new\n");
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, saved, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  loop.drain();
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"new"}));
  EXPECT_EQ(got.find(FollowEvent::kOpened)->detail,
            path + ": reading from its start (rotated since saved)");
}

TEST(FileFollowerRotation, CopytruncateWhileStoppedIsReadOnInTheCopy) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 2));
  const SourcePosition saved = follow(path, {}, 2).lines.back().after;
  append_to(path, "3\n4\n");
  copytruncate(path, path + ".1");
  append_to(path, "5\n");
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, saved, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 3; }));
  loop.drain();
  EXPECT_EQ(got.texts(), numbers(3, 5));
  EXPECT_EQ(got.count(FollowEvent::kResumedRotated), 1u);
}

// The contract the store relies on: whichever line's position was committed last,
// a restart from it delivers exactly the lines after it.
void expect_every_position_resumes_exactly(const std::string& path, const Followed& run) {
  const size_t total = run.lines.size();
  for (size_t k = 0; k <= total; ++k) {
    const SourcePosition saved = k == 0 ? run.initial : run.lines[k - 1].after;
    FileFollower follower({path});
    Recorder got(follower);
    follower.start(0, saved, got);
    FollowLoop loop(follower, got);
    EXPECT_TRUE(loop.run_until([&] { return got.lines.size() >= total - k; }));
    loop.drain();
    std::vector<std::string> want;
    for (size_t j = k; j < total; ++j) want.push_back(run.lines[j].text);
    EXPECT_EQ(got.texts(), want) << "restart after line " << k;
  }
}

TEST(FileFollowerRotation, RestartFromAnyPositionAcrossRenameRotation) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 2));
  const Followed run = follow(path,
                              {{2,
                                [&] {
                                  append_to(path, "3\n");
                                  std::filesystem::rename(path, path + ".1");
                                  append_to(path + ".1", "4\n");
                                  append_to(path, "5\n6\n");
                                }},
                               {6, [&] { append_to(path, "7\n"); }}},
                              7);
  ASSERT_EQ(texts(run.lines), numbers(1, 7));
  expect_every_position_resumes_exactly(path, run);
}

TEST(FileFollowerRotation, RestartFromAnyPositionAcrossCopytruncate) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 3));
  const Followed run = follow(path,
                              {{3,
                                [&] {
                                  append_to(path, "4\n5\n");
                                  copytruncate(path, path + ".1");
                                  append_to(path, "6\n7\n");
                                }}},
                              7);
  ASSERT_EQ(texts(run.lines), numbers(1, 7));
  expect_every_position_resumes_exactly(path, run);
}

TEST(FileFollowerRotation, FilesSharingADirectoryRotateIndependently) {
  vigil::test::TempDir dir;
  const std::string a = dir.write("a.log", "a1\n");
  const std::string b = dir.write("b.log", "b1\n");
  FileFollower follower({a, b}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  follower.start(1, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  std::filesystem::rename(a, a + ".1");
  append_to(a, "a2\n");
  append_to(b, "b2\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 4; }));
  std::filesystem::rename(b, b + ".1");
  append_to(b, "b3\n");
  append_to(a, "a3\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 6; }));
  loop.drain();
  std::array<std::vector<std::string>, 2> per_file;
  for (const GotLine& line : got.lines) per_file.at(line.file).push_back(line.text);
  EXPECT_EQ(per_file[0], (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(per_file[1], (std::vector<std::string>{"b1", "b2", "b3"}));
  EXPECT_EQ(got.count(FollowEvent::kRotated), 2u);
}

TEST(FileFollowerRotation, DirectoryRemovedAndCreatedAgain) {
  vigil::test::TempDir dir;
  const std::filesystem::path logs = dir.path() / "logs";
  std::filesystem::create_directory(logs);
  const std::string path = (logs / "app.log").string();
  append_to(path, "1\n");
  FollowOptions options = from_start();
  options.rotate_grace_us = 50'000;
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  std::filesystem::remove_all(logs);
  ASSERT_TRUE(loop.run_until([&] {
    return got.count(FollowEvent::kDeleted) == 1 && got.count(FollowEvent::kDirectoryMissing) == 1;
  }));
  std::filesystem::create_directory(logs);
  append_to(path, "2\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.texts(), numbers(1, 2));
  EXPECT_EQ(got.count(FollowEvent::kError), 0u);
}

TEST(RotatedFiles, NamesLogrotateGives) {
  EXPECT_TRUE(is_rotated_name("auth.log", "auth.log.1"));
  EXPECT_TRUE(is_rotated_name("auth.log", "auth.log-20261128"));
  EXPECT_TRUE(is_rotated_name("auth.log", "auth.log.old"));
  EXPECT_FALSE(is_rotated_name("auth.log", "auth.log"));
  EXPECT_FALSE(is_rotated_name("auth.log", "auth.log."));
  EXPECT_FALSE(is_rotated_name("auth.log", "auth.log.2.gz"));
  EXPECT_FALSE(is_rotated_name("auth.log", "auth.log-20261128.xz"));
  EXPECT_FALSE(is_rotated_name("auth.log", "auth.logs"));
  EXPECT_FALSE(is_rotated_name("auth.log", "xauth.log.1"));
}

int max_queued_events() {
  std::ifstream in("/proc/sys/fs/inotify/max_queued_events");
  int n = 16384;
  in >> n;
  return n;
}

TEST(FileFollowerRotation, QueueOverflowIsRecoveredByCheckingEverything) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", numbered(1, 1));
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  append_to(path, "2\n");
  std::filesystem::rename(path, path + ".1");
  append_to(path, "3\n");
  // Two events per file made and removed in the watched directory, unread: more
  // than the queue holds.
  const int files = max_queued_events() / 2 + 1000;
  for (int i = 0; i < files; ++i) {
    const std::string noise = dir.file("noise." + std::to_string(i));
    append_to(noise, "");
    ASSERT_EQ(::unlink(noise.c_str()), 0);
  }
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 3; }));
  EXPECT_EQ(got.texts(), numbers(1, 3));
  EXPECT_GE(got.count(FollowEvent::kOverflow), 1u);
  EXPECT_EQ(follower.position(0).ino, inode_of(path));
}

}  // namespace
}  // namespace vigil::ingest
