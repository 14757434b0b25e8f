// Re-scans with --db: nothing stored twice, new lines stored once, and a rotated,
// truncated or replaced file read again from its start.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/integration/vigil_cli.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

// `hits` hit lines, each followed by two noise lines.
std::string auth_log(int first, int hits, const std::string& ip = "203.0.113.7") {
  std::string text;
  for (int i = first; i < first + hits; ++i) text += failed_password(i, ip) + noise(i) + noise(i);
  return text;
}

class ScanResume : public ::testing::Test {
 protected:
  ProcessResult scan() { return scan_basic({"--db", db_, log_}); }

  TempDir dir_;
  std::string db_ = dir_.file("vigil.db");
  std::string log_ = dir_.write("auth.log", auth_log(0, 30));
};

TEST_F(ScanResume, SecondScanStoresNothingTwice) {
  ASSERT_EQ(scan().exit_status, 0);
  EXPECT_EQ(count_hits(db_), 30);
  const ProcessResult again = scan();
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_EQ(count_hits(db_), 30);
  EXPECT_NE(again.out.find("resumed at line 91"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 lines, 0 hits"), std::string::npos) << again.out;
}

TEST_F(ScanResume, AppendedLinesAreStoredOnceWithContinuedLineNumbers) {
  ASSERT_EQ(scan().exit_status, 0);
  dir_.append("auth.log", auth_log(100, 5, "198.51.100.4"));
  ASSERT_EQ(scan().exit_status, 0);
  EXPECT_EQ(count_hits(db_), 35);
  EXPECT_EQ(count_hits(db_, "json_extract(captures,'$.ip') = '198.51.100.4'"), 5);
  EXPECT_EQ(query_one(db_,
                      "SELECT min(line) FROM hits WHERE json_extract(captures,'$.ip') = "
                      "'198.51.100.4'"),
            "91");
  EXPECT_EQ(query_one(db_, "SELECT max(line) FROM hits"), "103");
}

TEST_F(ScanResume, RenamedAndRecreatedFileIsReadFromStart) {
  ASSERT_EQ(scan().exit_status, 0);
  std::filesystem::rename(log_, dir_.file("auth.log.1"));
  dir_.write("auth.log", auth_log(200, 3, "198.51.100.9"));
  const ProcessResult after = scan();
  ASSERT_EQ(after.exit_status, 0) << after.err;
  EXPECT_NE(after.out.find("rotated"), std::string::npos) << after.out;
  EXPECT_EQ(count_hits(db_), 33);
  EXPECT_EQ(count_hits(db_, "json_extract(captures,'$.ip') = '198.51.100.9' AND line = 1"), 1);
}

TEST_F(ScanResume, TruncatedFileIsReadFromStart) {
  ASSERT_EQ(scan().exit_status, 0);
  dir_.write("auth.log", auth_log(300, 2, "198.51.100.10"));  // same inode, shorter
  const ProcessResult after = scan();
  ASSERT_EQ(after.exit_status, 0) << after.err;
  EXPECT_NE(after.out.find("truncated"), std::string::npos) << after.out;
  EXPECT_EQ(count_hits(db_), 32);
}

TEST_F(ScanResume, ReplacedContentOfSameInodeIsReadFromStart) {
  ASSERT_EQ(scan().exit_status, 0);
  // copytruncate, then the new file grew past the old offset before this scan.
  dir_.write("auth.log", noise(1) + auth_log(400, 40, "198.51.100.11"));
  const ProcessResult after = scan();
  ASSERT_EQ(after.exit_status, 0) << after.err;
  EXPECT_NE(after.out.find("replaced"), std::string::npos) << after.out;
  EXPECT_EQ(count_hits(db_), 70);
}

TEST_F(ScanResume, DatabaseIsOwnerOnly) {
  ASSERT_EQ(scan().exit_status, 0);
  struct stat st {};
  ASSERT_EQ(stat(db_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ScanResume, SameFileNamedTwiceIsScannedOnce) {
  const ProcessResult result =
      scan_basic({"--db", db_, log_, dir_.path().string() + "/./auth.log"});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(count_hits(db_), 30);
}

TEST_F(ScanResume, UnwritableDatabaseIsARuntimeFailure) {
  const ProcessResult result = scan_basic({"--db", "/nonexistent-dir/x.db", log_});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.err.find("/nonexistent-dir/x.db"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace vigil::test
