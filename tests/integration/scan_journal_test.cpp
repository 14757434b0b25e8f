// `vigil scan --journal-dir DIR` on journal files written by systemd-journal-remote:
// hits stored with their sending host, and a re-scan resuming after the saved
// cursor (nothing stored twice, nothing skipped).

#include <gtest/gtest.h>

#include <string>

#include "tests/integration/vigil_cli.h"
#include "tests/support/journal_fixture.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

constexpr int64_t kBase = 1795847114000000;  // 2026-11-28T06:25:14Z

// `count` entries from `first` on: every third a failed password from `host`'s
// sshd, the others noise of CRON (all one second apart).
std::string entries(int first, int count, const std::string& host) {
  ExportWriter w;
  for (int i = first; i < first + count; ++i) {
    const int64_t t = kBase + int64_t{i} * 1'000'000;
    if (i % 3 == 0) {
      const std::string message = "Failed password for user" + std::to_string(i) +
                                  " from 203.0.113." + std::to_string(i % 250) + " port " +
                                  std::to_string(40000 + i) + " ssh2";
      w.entry_at(t, host,
                 {{"SYSLOG_IDENTIFIER", "sshd"},
                  {"_PID", "812"},
                  {"PRIORITY", "6"},
                  {"_SYSTEMD_UNIT", "ssh.service"},
                  {"MESSAGE", message}});
    } else {
      w.entry_at(
          t, host,
          {{"SYSLOG_IDENTIFIER", "CRON"}, {"PRIORITY", "6"}, {"MESSAGE", "(root) CMD (true)"}});
    }
  }
  return w.text();
}

class ScanJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(journal_remote_available()) << kJournalRemote << " is missing";
  }
  ProcessResult scan(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--db", db_, "--journal-dir", journal_.dir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return scan_basic(args);
  }

  TempDir tmp_;
  std::string db_ = tmp_.file("vigil.db");
  JournalFixture journal_{tmp_.path() / "journal"};
};

TEST_F(ScanJournal, StoresHitsWithTheSendingHost) {
  journal_.append(entries(0, 30, "web1"));
  journal_.append(entries(30, 30, "db1"));
  const ProcessResult r = scan();
  ASSERT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_EQ(count_hits(db_), 20);
  EXPECT_EQ(count_hits(db_, "host = 'web1'"), 10);
  EXPECT_EQ(count_hits(db_, "host = 'db1'"), 10);
  EXPECT_EQ(count_hits(db_, "program = 'sshd' AND unit = 'ssh.service' AND pid = 812"), 20);
  const std::string source = "journal:" + journal_.dir().string();
  EXPECT_EQ(count_hits(db_, "source = '" + source + "'"), 20);
  // Entry numbers as lines; the time is the entry's.
  EXPECT_EQ(query_one(db_, "SELECT line FROM hits WHERE message LIKE '%user33 %'"), "34");
  EXPECT_EQ(query_one(db_, "SELECT ts FROM hits WHERE message LIKE '%user33 %'"),
            std::to_string(kBase + 33'000'000));
  EXPECT_NE(r.out.find("60 journal entries, 20 hits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(source + ": 60 entries, 20 hits, from the start"), std::string::npos)
      << r.out;
}

TEST_F(ScanJournal, ReScanResumesAfterTheLastCursor) {
  journal_.append(entries(0, 30, "web1"));
  ASSERT_EQ(scan().exit_status, 0);
  ASSERT_EQ(count_hits(db_), 10);

  const ProcessResult again = scan();
  ASSERT_EQ(again.exit_status, 0) << again.err;
  EXPECT_EQ(count_hits(db_), 10);
  EXPECT_NE(again.out.find("0 entries, 0 hits, resumed at entry 31"), std::string::npos)
      << again.out;

  journal_.append(entries(30, 15, "web1"));  // 5 more hits
  const ProcessResult third = scan();
  ASSERT_EQ(third.exit_status, 0) << third.err;
  EXPECT_NE(third.out.find("15 entries, 5 hits, resumed at entry 31"), std::string::npos)
      << third.out;
  EXPECT_EQ(count_hits(db_), 15);
  EXPECT_EQ(query_one(db_,
                      "SELECT count(*) FROM (SELECT message FROM hits GROUP BY message "
                      "HAVING count(*) > 1)"),
            "0");
  EXPECT_EQ(query_one(db_, "SELECT min(line) FROM hits WHERE message LIKE '%user30 %'"), "31");
  EXPECT_EQ(query_one(db_, "SELECT max(line) FROM hits"), "43");
}

TEST_F(ScanJournal, PrintsJsonHitsNamingTheJournal) {
  journal_.append(entries(0, 4, "web2"));
  const ProcessResult r = scan_basic({"--json", "--journal-dir", journal_.dir().string()});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;  // entries 0 and 3
  EXPECT_NE(lines[0].find("\"source\":\"journal:" + journal_.dir().string() + "\""),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("\"host\":\"web2\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"line\":4"), std::string::npos) << lines[1];
}

TEST_F(ScanJournal, ScansFilesAndAJournalTogether) {
  journal_.append(entries(0, 6, "web1"));
  const std::string log = tmp_.write("auth.log", failed_password(1) + noise(2));
  const ProcessResult r = scan({log});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_hits(db_), 3);
  EXPECT_EQ(count_hits(db_, "source LIKE 'journal:%'"), 2);
}

TEST_F(ScanJournal, WithoutFilesOrJournalIsAUsageError) {
  const ProcessResult r = vigil({"scan", "--db", db_});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("--journal-dir"), std::string::npos) << r.err;
}

TEST_F(ScanJournal, AMissingDirectoryIsAUsageError) {
  const ProcessResult r = scan_basic({"--journal-dir", tmp_.file("nowhere")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST_F(ScanJournal, ShippedPacksSeeJournalFieldsAsTheyExpect) {
  journal_.append_file(VIGIL_SOURCE_DIR "/tests/ingest/fixtures/journal-two-hosts.export");
  const ProcessResult r = vigil({"scan", "--db", db_, "--journal-dir", journal_.dir().string()});
  ASSERT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_EQ(count_hits(db_, "rule = 'ssh.failed_password' AND host = 'web1'"), 1);
  EXPECT_EQ(count_hits(db_, "rule = 'pg.password_auth_failed' AND host = 'db1'"), 1);
  EXPECT_EQ(count_hits(db_, "rule = 'sudo.command'"), 1);
  EXPECT_EQ(count_hits(db_, "rule = 'app.journal_error'"), 2);
  EXPECT_EQ(count_hits(db_, "rule = 'systemd.unit_failed' AND unit = 'governance-app.service'"), 1);
  EXPECT_NE(r.out.find("entries without MESSAGE (scanned as empty messages): 1"), std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace vigil::test
