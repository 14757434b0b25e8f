// The copy's defences against a tree changing under it, made deterministic by
// calling the file copy between its fstatat and its open: what was seen as a
// regular file is now a symlink, a FIFO or another file.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "respond/evidence_copy.h"
#include "tests/respond/evidence_fixture.h"
#include "tests/support/temp_dir.h"

namespace vigil::respond::detail {
namespace {

namespace fs = std::filesystem;

class EvidenceRace : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(src_ / "x.log", "original", 0644);
    test::write_file(tmp_.path() / "outside/secret", "TOP SECRET", 0600);
    fs::create_directories(dst_);
    src_fd_ = Fd(::open(src_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    dst_fd_ = Fd(::open(dst_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_EQ(::fstatat(src_fd_.get(), "x.log", &seen_, AT_SYMLINK_NOFOLLOW), 0);
    fs::rename(src_ / "x.log", src_ / "x.old");  // kept, so that its inode is not reused
    state_.max_bytes = 1 << 20;
  }

  void copy() { copy_file(src_fd_.get(), dst_fd_.get(), "x.log", "/src/x.log", seen_, state_); }

  void expect_nothing_copied() {
    EXPECT_TRUE(fs::is_empty(dst_));
    EXPECT_EQ(state_.files, 0u);
    EXPECT_TRUE(state_.entries.empty());
    ASSERT_EQ(state_.skipped.size(), 1u);
  }

  vigil::test::TempDir tmp_;
  fs::path src_ = tmp_.path() / "src";
  fs::path dst_ = tmp_.path() / "dst";
  Fd src_fd_, dst_fd_;
  struct stat seen_ {};
  CopyState state_;
};

TEST_F(EvidenceRace, SymlinkSwappedInIsNotFollowed) {
  fs::create_symlink(tmp_.path() / "outside/secret", src_ / "x.log");
  copy();
  expect_nothing_copied();
  EXPECT_EQ(state_.skipped[0], "/src/x.log: replaced by a symlink during the copy (not followed)");
}

TEST_F(EvidenceRace, FifoSwappedInIsNotReadAndDoesNotBlock) {
  ASSERT_EQ(::mkfifo((src_ / "x.log").c_str(), 0644), 0);
  copy();
  expect_nothing_copied();
  EXPECT_EQ(state_.skipped[0], "/src/x.log: replaced during the copy");
}

TEST_F(EvidenceRace, OtherFileSwappedInIsNotCopied) {
  test::write_file(src_ / "x.log", "imposter", 0644);  // a new inode under the same name
  copy();
  expect_nothing_copied();
  EXPECT_EQ(state_.skipped[0], "/src/x.log: replaced during the copy");
}

TEST_F(EvidenceRace, SymlinkPlantedAtTheDestinationIsNotWrittenThrough) {
  test::write_file(src_ / "y.log", "original", 0644);
  struct stat seen {};
  ASSERT_EQ(::fstatat(src_fd_.get(), "y.log", &seen, AT_SYMLINK_NOFOLLOW), 0);
  fs::create_symlink(tmp_.path() / "outside/secret", dst_ / "y.log");
  copy_file(src_fd_.get(), dst_fd_.get(), "y.log", "/src/y.log", seen, state_);
  EXPECT_EQ(test::read_file(tmp_.path() / "outside/secret"), "TOP SECRET");
  ASSERT_EQ(state_.skipped.size(), 1u);
  EXPECT_EQ(state_.skipped[0], "/src/y.log: cannot create the copy: File exists");
}

}  // namespace
}  // namespace vigil::respond::detail
