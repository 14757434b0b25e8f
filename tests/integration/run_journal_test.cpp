// `vigil run` reading journals: a directory of journal files (what a collector's
// systemd-journal-remote writes), and the system journal of a live journald.

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "tests/integration/vigil_cli.h"
#include "tests/support/child.h"
#include "tests/support/journal_fixture.h"
#include "tests/support/live_journald.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

constexpr int64_t kT0 = 1795847114000000;  // 2026-11-28T06:25:14Z

int64_t hits_in(const std::string& db) {
  if (!std::filesystem::exists(db)) return 0;
  const std::string n = query_one(db, "SELECT count(*) FROM hits");
  return n.empty() || std::isdigit(static_cast<unsigned char>(n[0])) == 0 ? 0 : std::stoll(n);
}

// `count` failed-password entries from sshd on `host`, the i-th at kT0 + first + i s.
std::string failures(const std::string& host, int first, int count) {
  ExportWriter w;
  for (int i = first; i < first + count; ++i) {
    const std::string message = "Failed password for user" + std::to_string(i) +
                                " from 203.0.113.7 port " + std::to_string(40000 + i) + " ssh2";
    const std::string pid = std::to_string(800 + i);
    w.entry_at(kT0 + int64_t{i} * 1'000'000, host,
               {{"MESSAGE", message},
                {"PRIORITY", "6"},
                {"SYSLOG_IDENTIFIER", "sshd"},
                {"_PID", pid},
                {"_SYSTEMD_UNIT", "ssh.service"}});
  }
  return w.text();
}

class RunJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!journal_remote_available()) GTEST_SKIP() << kJournalRemote << " is not installed";
  }

  Child start() {
    return Child({VIGIL_BINARY, "run", "--db", db_, "--rules", fixture("basic.yml"),
                  "--journal-dir", journal_.dir().string()});
  }

  static void wait_running(Child& service) {
    ASSERT_TRUE(wait_until([&] {
      return service.stderr_text().find("running:") != std::string::npos;
    })) << service.stderr_text();
  }

  TempDir tmp_;
  std::string db_ = tmp_.file("v.db");
  JournalFixture journal_{tmp_.path() / "journal"};
};

TEST_F(RunJournal, EntriesAppendedWhileRunningAreStoredOnce) {
  journal_.append(failures("web1", 0, 3));
  Child service = start();
  wait_running(service);
  // A first start without a checkpoint reads only entries to come, like journalctl -f.
  journal_.append(failures("web1", 3, 5));
  ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 5; })) << service.stderr_text();
  journal_.append(failures("web1", 8, 4));
  ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 9; })) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0) << service.stderr_text();
  EXPECT_EQ(hits_in(db_), 9);
  EXPECT_EQ(query_one(db_, "SELECT min(json_extract(captures, '$.user')) FROM hits"), "user10");
  EXPECT_EQ(query_one(db_, "SELECT count(DISTINCT json_extract(captures, '$.user')) FROM hits"),
            "9");
  EXPECT_EQ(query_one(db_, "SELECT DISTINCT source FROM hits"),
            "journal:" + journal_.dir().string());
}

TEST_F(RunJournal, RestartResumesJustAfterTheLastStoredEntry) {
  journal_.append(failures("web1", 0, 1));
  {
    Child service = start();
    wait_running(service);
    journal_.append(failures("web1", 1, 4));
    ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 4; })) << service.stderr_text();
    service.signal(SIGTERM);
    ASSERT_EQ(service.wait(), 0);
  }
  journal_.append(failures("web1", 5, 6));  // written while vigil was stopped
  Child service = start();
  wait_running(service);
  journal_.append(failures("web1", 11, 2));
  ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 12; })) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0);
  EXPECT_EQ(hits_in(db_), 12);
  EXPECT_EQ(query_one(db_, "SELECT count(DISTINCT json_extract(captures, '$.user')) FROM hits"),
            "12");
}

TEST_F(RunJournal, AFirstStartRemembersTheTailEvenWithoutEntries) {
  journal_.append(failures("web1", 0, 2));
  {
    Child service = start();
    wait_running(service);
    // The tail's cursor is committed within a second, with no entry read.
    ASSERT_TRUE(wait_until([&] {
      return query_one(db_,
                       "SELECT count(*) FROM source WHERE key LIKE 'journal:%' AND "
                       "cursor != ''") == "1";
    })) << service.stderr_text();
    service.signal(SIGTERM);
    ASSERT_EQ(service.wait(), 0);
  }
  journal_.append(failures("web1", 2, 3));  // written while vigil was stopped
  Child service = start();
  wait_running(service);
  ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 3; })) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0);
  EXPECT_EQ(hits_in(db_), 3);
}

TEST_F(RunJournal, TwoHostsInOneDirectoryAreAttributedToTheirHost) {
  journal_.append(failures("web1", 0, 1));
  Child service = start();
  wait_running(service);
  journal_.append(failures("web1", 1, 3));
  journal_.append(failures("db1", 4, 2));
  ASSERT_TRUE(wait_until([&] { return hits_in(db_) >= 5; })) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0);
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM hits WHERE host = 'web1'"), "3");
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM hits WHERE host = 'db1'"), "2");
  EXPECT_EQ(query_one(db_, "SELECT group_concat(unit) FROM (SELECT DISTINCT unit FROM hits)"),
            "ssh.service");
}

// The system-journal path end to end: a real journald in a private mount
// namespace, sshd-like lines sent with systemd-cat, vigil run --journal.
TEST(RunLiveJournald, SystemJournalLinesAreStored) {
  VIGIL_RUN_IN_LIVE_JOURNALD();
  TempDir tmp;
  const std::string db = tmp.file("v.db");
  Child service({VIGIL_BINARY, "run", "--db", db, "--rules", fixture("basic.yml"), "--journal"});
  ASSERT_TRUE(wait_until([&] {
    return service.stderr_text().find("running:") != std::string::npos;
  })) << service.stderr_text();
  for (int i = 0; i < 3; ++i) {
    const ProcessResult r = run_process(
        {"/usr/bin/systemd-cat", "-t", "sshd", "/bin/echo",
         "Failed password for live" + std::to_string(i) + " from 198.51.100.9 port 22 ssh2"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
  }
  ASSERT_TRUE(wait_until([&] { return hits_in(db) >= 3; })) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0) << service.stderr_text();
  EXPECT_EQ(query_one(db, "SELECT group_concat(json_extract(captures, '$.user')) FROM hits"),
            "live0,live1,live2");
  EXPECT_EQ(query_one(db, "SELECT DISTINCT source FROM hits"), "journal");
}

}  // namespace
}  // namespace vigil::test
