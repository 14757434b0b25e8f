// Evidence capture at its edges: the size limit, a directory that already exists,
// the evidence directory inside what is copied, unsafe evidence directories,
// missing and unreadable sources.

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>

#include "respond/evidence.h"
#include "tests/respond/evidence_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::respond::test {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kNobody = 65534;

class EvidenceEdge : public ::testing::Test {
 protected:
  EvidenceResult capture(std::vector<std::string> paths) const {
    EvidenceOptions o;
    o.paths = std::move(paths);
    o.evidence_dir = evidence_.string();
    o.max_bytes = max_bytes_;
    return capture_evidence(o, 42, kNow, "{}");
  }

  fs::path copy_of(const fs::path& source) const {
    return evidence_ / kAlertDirName / ("files" + source.string());
  }

  static bool skipped(const EvidenceResult& r, const std::string& needle) {
    return std::any_of(r.skipped.begin(), r.skipped.end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  }

  vigil::test::TempDir tmp_;
  fs::path log_ = tmp_.path() / "log";
  fs::path evidence_ = tmp_.path() / "evidence";
  uint64_t max_bytes_ = 1ull << 30;
};

TEST_F(EvidenceEdge, SizeLimitSkipsLargeFilesAndKeepsSmallerOnes) {
  // Copied in name order: a 100, b 5000 (skipped), c 200, d 3000 (skipped), e 600.
  const std::vector<std::pair<const char*, size_t>> files = {
      {"a", 100}, {"b", 5000}, {"c", 200}, {"d", 3000}, {"e", 600}};
  for (const auto& [name, size] : files) write_file(log_ / name, pattern(size, 'x'), 0644);
  max_bytes_ = 1000;
  const EvidenceResult r = capture({log_.string()});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.limit_hit);
  EXPECT_EQ(r.files, 3u);
  EXPECT_EQ(r.bytes, 900u);
  EXPECT_TRUE(skipped(r, (log_ / "b").string() + ": size limit"));
  EXPECT_TRUE(skipped(r, (log_ / "d").string() + ": size limit"));
  EXPECT_EQ(r.skipped.size(), 2u);
  EXPECT_TRUE(fs::exists(copy_of(log_ / "e")));
  EXPECT_FALSE(fs::exists(copy_of(log_ / "b")));
  const std::string summary = read_file(evidence_ / kAlertDirName / "SUMMARY.txt");
  EXPECT_NE(summary.find("limit hit: yes\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("max_bytes: 1000\n"), std::string::npos);
}

TEST_F(EvidenceEdge, ExistingAlertDirectoryIsAnErrorAndLeftAlone) {
  write_file(log_ / "a", "data", 0644);
  fs::create_directories(evidence_ / kAlertDirName);
  ::chmod(evidence_.c_str(), 0700);
  write_file(evidence_ / kAlertDirName / "planted", "attacker", 0644);
  const EvidenceResult r = capture({log_.string()});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("File exists"), std::string::npos) << r.error;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(evidence_ / kAlertDirName)) {
    names.push_back(e.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"planted"});
  EXPECT_EQ(read_file(evidence_ / kAlertDirName / "planted"), "attacker");
}

TEST_F(EvidenceEdge, EvidenceDirInsideTheCopiedPathIsNotCopied) {
  write_file(log_ / "a.log", "data", 0644);
  evidence_ = log_ / "evidence";
  const EvidenceResult r = capture({log_.string()});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(read_file(copy_of(log_ / "a.log")), "data");
  EXPECT_FALSE(fs::exists(copy_of(log_ / "evidence")));
  EXPECT_TRUE(skipped(r, (log_ / "evidence").string() + ": the evidence directory"));
  EXPECT_EQ(r.files, 1u);
}

TEST_F(EvidenceEdge, EvidenceDirMustBeAbsolute) {
  for (const char* dir : {"", "relative/evidence"}) {
    EvidenceOptions o;
    o.evidence_dir = dir;
    const EvidenceResult r = capture_evidence(o, 1, kNow, "{}");
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("absolute"), std::string::npos) << r.error;
  }
}

TEST_F(EvidenceEdge, EvidenceDirOpenToOthersIsRefused) {
  write_file(log_ / "a", "data", 0644);
  fs::create_directories(evidence_);
  ::chmod(evidence_.c_str(), 0777);
  EvidenceResult r = capture({log_.string()});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("refusing"), std::string::npos) << r.error;
  EXPECT_TRUE(fs::is_empty(evidence_));
  ::chmod(evidence_.c_str(), 0700);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(evidence_.c_str(), kNobody, kNobody), 0);
    r = capture({log_.string()});
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(fs::is_empty(evidence_));
    // A parent another user owns could have the directory swapped under us.
    evidence_ = evidence_ / "inner";
    r = capture({log_.string()});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("another user"), std::string::npos) << r.error;
  }
}

TEST_F(EvidenceEdge, SymlinkInTheEvidencePathIsRefused) {
  fs::create_directories(tmp_.path() / "real");
  fs::create_directory_symlink(tmp_.path() / "real", tmp_.path() / "alias");
  evidence_ = tmp_.path() / "alias/evidence";
  const EvidenceResult r = capture({log_.string()});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("symlink"), std::string::npos) << r.error;
  EXPECT_TRUE(fs::is_empty(tmp_.path() / "real"));
}

TEST_F(EvidenceEdge, MissingRelativeAndSymlinkedSourcesAreSkipped) {
  write_file(log_ / "one.log", "one", 0644);
  fs::create_directory_symlink(log_, tmp_.path() / "alias");
  const EvidenceResult r = capture({(log_ / "one.log").string(), (log_ / "missing").string(),
                                    "relative/log", (tmp_.path() / "alias/one.log").string()});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(read_file(copy_of(log_ / "one.log")), "one");
  EXPECT_EQ(r.files, 1u);
  EXPECT_TRUE(skipped(r, (log_ / "missing").string() + ": cannot stat: No such file"));
  EXPECT_TRUE(skipped(r, "relative/log: not an absolute path"));
  EXPECT_TRUE(skipped(r, "alias is a symlink or not a directory (not followed)"));
}

TEST_F(EvidenceEdge, NamesAreEscapedInTheSkippedList) {
  write_file(log_ / "big\x1b[2J\n.log", pattern(10, 'x'), 0644);
  max_bytes_ = 5;
  const EvidenceResult r = capture({log_.string()});
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0], log_.string() + "/big\\x1b[2J\\x0a.log: size limit");
}

// Runs the capture in a child that dropped root, so that a 0600 root file is
// unreadable to it (root itself reads anything).
std::string capture_as_nobody(const EvidenceOptions& options) {
  std::array<int, 2> fds{};
  if (::pipe(fds.data()) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
      ::_exit(3);
    }
    const EvidenceResult r = capture_evidence(options, 42, kNow, "{}");
    std::string out = r.ok() ? "ok\n" : "error: " + r.error + "\n";
    for (const std::string& s : r.skipped) out += s + "\n";
    const ssize_t n = ::write(fds[1], out.data(), out.size());
    ::_exit(n == static_cast<ssize_t>(out.size()) ? 0 : 4);
  }
  ::close(fds[1]);
  std::string out;
  std::array<char, 4096> buf{};
  for (ssize_t n = 0; (n = ::read(fds[0], buf.data(), buf.size())) > 0;) {
    out.append(buf.data(), static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "child failed\n" + out;
}

TEST_F(EvidenceEdge, UnreadableFileIsSkippedAndTheRestCopied) {
  write_file(log_ / "readable.log", "readable", 0644);
  write_file(log_ / "locked.log", "locked", 0600);
  EvidenceOptions o;
  o.paths = {log_.string()};
  o.evidence_dir = evidence_.string();
  std::string out;
  if (::geteuid() == 0) {
    ::chmod(tmp_.path().c_str(), 0755);
    ::chmod(log_.c_str(), 0755);
    fs::create_directories(evidence_);
    ASSERT_EQ(::chown(evidence_.c_str(), kNobody, kNobody), 0);
    ::chmod(evidence_.c_str(), 0700);
    out = capture_as_nobody(o);
  } else {
    ::chmod((log_ / "locked.log").c_str(), 0);
    const EvidenceResult r = capture_evidence(o, 42, kNow, "{}");
    out = r.ok() ? "ok\n" : "error: " + r.error + "\n";
    for (const std::string& s : r.skipped) out += s + "\n";
  }
  EXPECT_TRUE(out.starts_with("ok\n")) << out;
  EXPECT_NE(out.find((log_ / "locked.log").string() + ": unreadable: Permission denied\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(read_file(copy_of(log_ / "readable.log")), "readable");
  EXPECT_FALSE(fs::exists(copy_of(log_ / "locked.log")));
}

}  // namespace
}  // namespace vigil::respond::test
