// Evidence capture on a real tree: contents, fixed modes, preserved times,
// symlinks recorded but never followed, special files never opened, and a
// manifest that `sha256sum -c` verifies.

#include "respond/evidence.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <array>
#include <map>

#include "tests/respond/evidence_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::respond::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWeird = "we\\ird\nna\rme.log";
constexpr std::array<const char*, 6> kFiles = {
    "auth.log", "secret.log", "big.bin", "empty.log", "nested/deeper/app.log", kWeird};
constexpr std::array<const char*, 4> kDirs = {"nested/deeper", "nested", "emptydir", ""};

class EvidenceTree : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(log_ / "auth.log", pattern(3000, 'a'), 0644);
    write_file(log_ / "secret.log", "only root\n", 0400);
    write_file(log_ / "big.bin", pattern(size_t{700} * 1024, 'b'), 0644);  // several read buffers
    write_file(log_ / "empty.log", "", 0644);
    write_file(log_ / "nested/deeper/app.log", pattern(10, 'c'), 0640);
    write_file(log_ / kWeird, "weird\n", 0644);
    fs::create_directories(log_ / "emptydir");
    write_file(tmp_.path() / "outside/secret.txt", "TOP SECRET OUTSIDE", 0644);
    fs::create_symlink(tmp_.path() / "outside/secret.txt", log_ / "link");
    fs::create_directory_symlink(tmp_.path() / "outside", log_ / "dirlink");
    ASSERT_EQ(::mkfifo((log_ / "fifo").c_str(), 0644), 0);
    make_socket(log_ / "sock");
    int64_t t = 1'700'000'000;
    for (const char* f : kFiles) {
      set_times(log_ / f, t, t + 100);  // atime before mtime: relatime would update it
      t += 1000;
    }
    for (const char* d : kDirs) {
      set_times(log_ / d, t, t + 1);  // deepest first: a parent's times are set last
      t += 2;
    }
    set_times(src_ / "var", t, t + 1);
  }

  static void make_socket(const fs::path& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str()),
              static_cast<int>(sizeof addr.sun_path));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    const int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::close(fd);  // the socket file stays
    ASSERT_EQ(bound, 0);
  }

  EvidenceResult capture() {
    EvidenceOptions o;
    o.paths = {log_.string()};
    o.evidence_dir = evidence_.string();
    return capture_evidence(o, 42, kNow, alert_json_);
  }

  fs::path copy_of(const fs::path& source) const {
    return evidence_ / kAlertDirName / ("files" + source.string());
  }

  static bool skipped(const EvidenceResult& r, const std::string& needle) {
    return std::any_of(r.skipped.begin(), r.skipped.end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  }

  vigil::test::TempDir tmp_;
  fs::path src_ = tmp_.path() / "src";
  fs::path log_ = src_ / "var/log";
  fs::path evidence_ = tmp_.path() / "evidence/not/yet";  // created with its parents
  std::string alert_json_ = R"({"id":42,"title":"SSH brute force"})";
};

// Times as set up, compared before anything reads a copy (a read could move its atime).
void expect_times(const struct stat& expected, const fs::path& copy) {
  const struct stat c = lstat_of(copy);
  EXPECT_EQ(c.st_mtim.tv_sec, expected.st_mtim.tv_sec) << copy;
  EXPECT_EQ(c.st_mtim.tv_nsec, expected.st_mtim.tv_nsec) << copy;
  EXPECT_EQ(c.st_atim.tv_sec, expected.st_atim.tv_sec) << copy;
  EXPECT_EQ(c.st_atim.tv_nsec, expected.st_atim.tv_nsec) << copy;
}

TEST_F(EvidenceTree, CopiesContentWithFixedModesAndTimes) {
  std::map<fs::path, struct stat> before;
  for (const char* f : kFiles) before[log_ / f] = lstat_of(log_ / f);
  for (const char* d : kDirs) before[log_ / d] = lstat_of(log_ / d);
  before[src_ / "var"] = lstat_of(src_ / "var");
  const mode_t old_umask = ::umask(0777);  // the modes must not depend on it
  const EvidenceResult r = capture();
  ::umask(old_umask);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.dir, (evidence_ / kAlertDirName).string());
  for (const auto& [source, st] : before) {
    expect_times(st, copy_of(source));
    // O_NOATIME: reading for the copy left the source's atime as it was.
    EXPECT_EQ(lstat_of(source).st_atim.tv_sec, st.st_atim.tv_sec) << source;
  }
  uint64_t bytes = 0;
  for (const char* f : kFiles) {
    const std::string content = read_file(log_ / f);
    EXPECT_EQ(read_file(copy_of(log_ / f)), content) << f;
    bytes += content.size();
  }
  EXPECT_EQ(r.files, 6u);
  EXPECT_EQ(r.bytes, bytes);
  EXPECT_FALSE(r.limit_hit);
  EXPECT_EQ(read_file(evidence_ / kAlertDirName / "alert.json"), alert_json_);
}

TEST_F(EvidenceTree, EveryDirectoryIs0700AndEveryFile0600) {
  const EvidenceResult r = capture();
  ASSERT_TRUE(r.ok()) << r.error;
  for (const fs::path& d : {evidence_.parent_path().parent_path(), evidence_.parent_path(),
                            evidence_, fs::path(r.dir)}) {
    EXPECT_EQ(lstat_of(d).st_mode & 07777, 0700u) << d;
  }
  size_t seen = 0;
  for (const auto& e : fs::recursive_directory_iterator(r.dir)) {
    const struct stat st = lstat_of(e.path());
    ASSERT_TRUE(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) << e.path();
    EXPECT_EQ(st.st_mode & 07777, S_ISDIR(st.st_mode) ? 0700u : 0600u) << e.path();
    ++seen;
  }
  EXPECT_GT(seen, 10u);
}

TEST_F(EvidenceTree, SymlinksAreRecordedNotFollowed) {
  const EvidenceResult r = capture();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(fs::exists(fs::symlink_status(copy_of(log_ / "link"))));
  EXPECT_FALSE(fs::exists(fs::symlink_status(copy_of(log_ / "dirlink"))));
  for (const auto& e : fs::recursive_directory_iterator(r.dir)) {
    if (e.is_regular_file()) {
      EXPECT_EQ(read_file(e.path()).find("TOP SECRET OUTSIDE"), std::string::npos) << e.path();
    }
  }
  const std::string target = (tmp_.path() / "outside/secret.txt").string();
  EXPECT_TRUE(skipped(r, "link: symlink -> " + target + " (recorded, not followed)"));
  const std::string manifest = read_file(fs::path(r.dir) / "MANIFEST.sha256");
  EXPECT_NE(manifest.find("# symlink files" + (log_ / "link").string() + " -> " + target + "\n"),
            std::string::npos)
      << manifest;
}

TEST_F(EvidenceTree, SpecialFilesAreSkippedUnopened) {
  const EvidenceResult r = capture();  // opening the FIFO would block here
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(skipped(r, (log_ / "fifo").string() + ": special file (fifo)"));
  EXPECT_TRUE(skipped(r, (log_ / "sock").string() + ": special file (socket)"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(copy_of(log_ / "fifo"))));
  const std::string summary = read_file(fs::path(r.dir) / "SUMMARY.txt");
  EXPECT_NE(summary.find("files: 6\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("special file (fifo)"), std::string::npos);
  EXPECT_NE(summary.find("limit hit: no\n"), std::string::npos);
}

TEST_F(EvidenceTree, ManifestListsEveryFileWithItsHash) {
  const EvidenceResult r = capture();
  ASSERT_TRUE(r.ok()) << r.error;
  std::map<std::string, std::string> listed;
  for (const ManifestLine& m : read_manifest(fs::path(r.dir) / "MANIFEST.sha256")) {
    EXPECT_TRUE(listed.emplace(m.path, m.hash).second) << "twice: " << m.path;
  }
  std::map<std::string, std::string> actual;
  for (const auto& e : fs::recursive_directory_iterator(r.dir)) {
    const std::string rel = fs::relative(e.path(), r.dir).string();
    if (e.is_regular_file() && rel != "MANIFEST.sha256") {
      actual[rel] = sha256_hex(read_file(e.path()));
    }
  }
  EXPECT_EQ(listed, actual);
  EXPECT_TRUE(listed.count("alert.json"));
  EXPECT_TRUE(listed.count("SUMMARY.txt"));
  EXPECT_TRUE(listed.count("files" + (log_ / kWeird).string()));
}

// sha256sum itself verifies the manifest, escaped names included.
TEST_F(EvidenceTree, Sha256sumVerifiesTheManifest) {
  if (!fs::exists("/usr/bin/sha256sum")) GTEST_SKIP() << "no /usr/bin/sha256sum";
  const EvidenceResult r = capture();
  ASSERT_TRUE(r.ok()) << r.error;
  const std::vector<std::string> check = {
      "/bin/sh", "-c", "cd \"$1\" && /usr/bin/sha256sum -c --strict MANIFEST.sha256", "sh", r.dir};
  const auto ok = vigil::test::run_process(check);
  EXPECT_EQ(ok.exit_status, 0) << ok.out << ok.err;
  EXPECT_EQ(std::count(ok.out.begin(), ok.out.end(), '\n'), 8) << ok.out;  // 6 files + 2
  write_file(copy_of(log_ / "auth.log"), "tampered", 0600);
  EXPECT_NE(vigil::test::run_process(check).exit_status, 0);
}

}  // namespace
}  // namespace vigil::respond::test
