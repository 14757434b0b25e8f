// FileFollower on real files and real inotify: appends, partial lines, start
// positions, backpressure, files and directories that appear and disappear.

#include "ingest/file_follower.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/ingest/follow_harness.h"
#include "tests/support/temp_dir.h"

namespace vigil::ingest {
namespace {

using test::append_to;
using test::FollowLoop;
using test::numbered;
using test::Recorder;

FollowOptions from_start() {
  FollowOptions options;
  options.start_at_end = false;
  return options;
}

struct stat stat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

TEST(FileFollower, DeliversAppendsAsTheyAreWritten) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "one\ntwo\n");
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  append_to(path, "three\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 3; }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(got.lines[2].number, 3u);
  EXPECT_EQ(got.lines[2].offset, 8u);
  EXPECT_EQ(got.lines[2].after.offset, 14u);
  EXPECT_EQ(follower.position(0).offset, 14u);
  EXPECT_EQ(follower.position(0).ino, stat_of(path).st_ino);
  ASSERT_NE(got.find(FollowEvent::kOpened), nullptr);
  EXPECT_EQ(got.find(FollowEvent::kOpened)->detail, path + ": reading from its start");
}

TEST(FileFollower, StartAtEndSkipsWhatIsThereButCountsIt) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "old 1\nold 2\npart");
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  loop.drain();
  EXPECT_TRUE(got.lines.empty());
  EXPECT_EQ(follower.position(0).offset, 12u);  // before the unfinished line
  append_to(path, "ial\nnew\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"partial", "new"}));
  EXPECT_EQ(got.lines[0].number, 3u);
  EXPECT_EQ(got.lines[0].offset, 12u);
  EXPECT_EQ(got.find(FollowEvent::kOpened)->detail, path + ": reading new lines, after line 2");
}

TEST(FileFollower, PartialLineIsHeldUntilItsNewline) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  loop.drain();
  EXPECT_EQ(follower.next_deadline_us(), -1);
  append_to(path, "first half");
  loop.drain();
  EXPECT_TRUE(got.lines.empty());
  EXPECT_EQ(follower.position(0).offset, 0u);
  EXPECT_GT(follower.next_deadline_us(), 0);
  append_to(path, ", second half\n");
  ASSERT_TRUE(loop.run_until([&] { return !got.lines.empty(); }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"first half, second half"}));
  EXPECT_EQ(follower.position(0).offset, 24u);
  EXPECT_EQ(follower.next_deadline_us(), -1);
}

TEST(FileFollower, IdlePartialLineIsFlushedByTheTimer) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FollowOptions options = from_start();
  options.idle_flush_us = 30'000;
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  const int64_t written = monotonic_us();
  append_to(path, "no newline yet");
  ASSERT_TRUE(loop.run_until([&] { return !got.lines.empty(); }));
  EXPECT_GE(monotonic_us() - written, options.idle_flush_us);
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"no newline yet"}));
  EXPECT_EQ(follower.position(0).offset, 14u);  // passed: it was delivered
  // What the writer adds later is a line of its own.
  append_to(path, " and more\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.lines[1].text, " and more");
  EXPECT_EQ(got.lines[1].number, 2u);
  EXPECT_EQ(got.lines[1].offset, 14u);
}

TEST(FileFollower, TimerFlushesOnlyWhenDue) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  while (follower.process(got, 100)) {
  }
  append_to(path, "tail");
  while (follower.process(got, 100)) {
  }
  const int64_t due = follower.next_deadline_us();
  ASSERT_GT(due, 0);
  EXPECT_FALSE(follower.on_timer(got, due - 1));
  EXPECT_TRUE(got.lines.empty());
  EXPECT_FALSE(follower.on_timer(got, due));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"tail"}));
  EXPECT_EQ(follower.next_deadline_us(), -1);
}

TEST(FileFollower, TimerDeliversAWholeLineWhenItsNewlineCameMeanwhile) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  while (follower.process(got, 100)) {
  }
  append_to(path, "abc");
  while (follower.process(got, 100)) {
  }
  const int64_t due = follower.next_deadline_us();
  append_to(path, "def\n");  // not yet seen by process()
  follower.on_timer(got, due);
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"abcdef"}));
}

TEST(FileFollower, RestartFromAPositionNeverSkipsAHeldPartialLine) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "one\ntw");
  SourcePosition saved;
  {
    FileFollower follower({path}, from_start());
    Recorder got(follower);
    follower.start(0, std::nullopt, got);
    FollowLoop loop(follower, got);
    ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
    loop.drain();
    saved = follower.position(0);
    EXPECT_EQ(saved.offset, 4u);
    EXPECT_EQ(saved.line, 1u);
  }
  append_to(path, "o\nthree\n");
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, saved, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"two", "three"}));
  EXPECT_EQ(got.lines[0].number, 2u);
  EXPECT_EQ(got.find(FollowEvent::kOpened)->detail,
            path + ": resuming after line 1 (saved position)");
}

TEST(FileFollower, SavedPositionOfAnotherFileReadsFromTheStart) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "a\nb\n");
  SourcePosition none;  // inode 0: there was no file at the last run
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, none, got);
  FollowLoop loop(follower, got);
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"a", "b"}));
}

TEST(FileFollower, ProcessDeliversAtMostItsBudget) {
  vigil::test::TempDir dir;
  const std::string a = dir.write("a.log", numbered(1, 1000));
  const std::string b = dir.write("b.log", numbered(1, 1000));
  FileFollower follower({a, b}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  follower.start(1, std::nullopt, got);
  std::array<size_t, 2> per_file{};
  int calls = 0;
  bool more = true;
  while (more) {
    const size_t before = got.lines.size();
    more = follower.process(got, 150);
    ASSERT_LE(got.lines.size() - before, 150u);
    ++calls;
    ASSERT_LT(calls, 100);
    if (calls == 2) {
      for (const auto& line : got.lines) ++per_file.at(line.file);
      EXPECT_GT(per_file[0], 0u);  // round robin: neither file waits for the other
      EXPECT_GT(per_file[1], 0u);
    }
  }
  EXPECT_EQ(got.lines.size(), 2000u);
  EXPECT_EQ(calls, 14);  // 2000 / 150 rounded up
}

TEST(FileFollower, MissingFileIsReadFromItsStartWhenItAppears) {
  vigil::test::TempDir dir;
  const std::string path = dir.file("later.log");
  FileFollower follower({path});  // start_at_end applies to files there at start only
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  ASSERT_NE(got.find(FollowEvent::kMissing), nullptr);
  EXPECT_EQ(follower.position(0).ino, 0u);
  FollowLoop loop(follower, got);
  loop.drain();
  append_to(path, "hello\nworld\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"hello", "world"}));
  ASSERT_NE(got.find(FollowEvent::kAppeared), nullptr);
  EXPECT_EQ(got.find(FollowEvent::kAppeared)->detail,
            path + " appeared: reading it from its start");
}

TEST(FileFollower, MissingDirectoryIsWaitedForLevelByLevel) {
  vigil::test::TempDir dir;
  const std::filesystem::path deep = dir.path() / "a" / "b";
  const std::string path = (deep / "app.log").string();
  FileFollower follower({path});
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  const test::GotEvent* missing = got.find(FollowEvent::kDirectoryMissing);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->detail, deep.string() + " does not exist: watching " + dir.path().string() +
                                 " until it is created");
  FollowLoop loop(follower, got);
  loop.drain();
  std::filesystem::create_directory(dir.path() / "a");
  ASSERT_TRUE(loop.run_until([&] { return got.count(FollowEvent::kDirectoryMissing) == 2; }));
  std::filesystem::create_directory(deep);
  append_to(path, "finally\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  EXPECT_EQ(got.lines[0].text, "finally");
  EXPECT_EQ(got.count(FollowEvent::kError), 0u);
}

TEST(FileFollower, DeletedFileIsFinishedThenANewOneIsPickedUp) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FollowOptions options = from_start();
  options.rotate_grace_us = 50'000;
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  loop.drain();
  // A writer that keeps the file open writes before and after it is unlinked.
  {
    const test::WriterFd writer(path);
    ASSERT_GE(writer.get(), 0);
    ASSERT_EQ(::write(writer.get(), "before\n", 7), 7);
    ASSERT_EQ(::unlink(path.c_str()), 0);
    ASSERT_EQ(::write(writer.get(), "after unlink\n", 13), 13);
    ASSERT_TRUE(loop.run_until([&] { return got.count(FollowEvent::kDeleted) == 1; }));
  }
  EXPECT_EQ(got.texts(), (std::vector<std::string>{"before", "after unlink"}));
  EXPECT_EQ(follower.position(0).ino, 0u);  // a restart reads the next file from its start
  append_to(path, "reborn\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 3; }));
  EXPECT_EQ(got.lines[2].text, "reborn");
  EXPECT_EQ(got.lines[2].number, 1u);
  EXPECT_EQ(got.count(FollowEvent::kAppeared), 1u);
}

// (Tests run as root, so a permission error cannot be made; a directory at the
// name fails to open the same way.)
TEST(FileFollower, UnopenableFileIsReportedAndReadOnceItCanBe) {
  vigil::test::TempDir dir;
  const std::string path = dir.file("app.log");
  std::filesystem::create_directory(path);
  FileFollower follower({path}, from_start());
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  ASSERT_NE(got.find(FollowEvent::kError), nullptr);
  EXPECT_EQ(got.find(FollowEvent::kError)->detail, path + ": Is a directory");
  FollowLoop loop(follower, got);
  loop.drain();
  std::filesystem::remove(path);
  append_to(path, "x\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  EXPECT_EQ(got.count(FollowEvent::kError), 1u);
}

TEST(FileFollower, ReferenceTimeIsTheFileModificationTime) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "x\n");
  const auto times = std::to_array<timespec>({{1'700'000'000, 0}, {1'795'000'000, 5'000}});
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times.data(), 0), 0);
  FileFollower follower({path, dir.file("missing.log")});
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  follower.start(1, std::nullopt, got);
  EXPECT_EQ(follower.reference_time_us(0), 1'795'000'000'000'005);
  const int64_t now_s = ::time(nullptr);
  EXPECT_NEAR(static_cast<double>(follower.reference_time_us(1)) / 1e6, static_cast<double>(now_s),
              5.0);
}

TEST(FileFollower, LongLineIsCutAndItsRestSkippedAsItArrives) {
  vigil::test::TempDir dir;
  const std::string path = dir.write("app.log", "");
  FollowOptions options = from_start();
  options.max_line = 8;
  FileFollower follower({path}, options);
  Recorder got(follower);
  follower.start(0, std::nullopt, got);
  FollowLoop loop(follower, got);
  loop.drain();
  append_to(path, "0123456789abc");  // over the limit, no newline yet
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 1; }));
  EXPECT_EQ(got.lines[0].text, "01234567");
  EXPECT_TRUE(got.lines[0].truncated);
  append_to(path, "still the same line\nnext\n");
  ASSERT_TRUE(loop.run_until([&] { return got.lines.size() == 2; }));
  EXPECT_EQ(got.lines[1].text, "next");
  EXPECT_EQ(got.lines[1].number, 2u);
  EXPECT_EQ(got.lines[1].offset, 33u);
}

TEST(FileFollower, EventsHaveNames) {
  EXPECT_STREQ(to_string(FollowEvent::kRotated), "rotated");
  EXPECT_STREQ(to_string(FollowEvent::kResumedRotated), "resumed-rotated");
  EXPECT_STREQ(to_string(FollowEvent::kDirectoryMissing), "directory-missing");
}

}  // namespace
}  // namespace vigil::ingest
