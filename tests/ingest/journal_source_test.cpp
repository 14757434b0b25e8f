// JournalSource on real journal files written by systemd-journal-remote from the
// export-format fixture tests/ingest/fixtures/journal-two-hosts.export (ten entries
// of web1 and db1, one second apart from 2026-11-28T06:25:14Z).

#include "ingest/journal_source.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "tests/ingest/journal_recorder.h"
#include "tests/support/journal_fixture.h"
#include "tests/support/temp_dir.h"

namespace vigil::ingest {
namespace {

using journal_test::Collector;
using journal_test::follow_until;
using journal_test::read_all;
using journal_test::Seen;
using test::ExportWriter;
using test::JournalFixture;

constexpr int64_t kBase = 1795847114000000;  // 2026-11-28T06:25:14Z

JournalStart head() {
  JournalStart s;
  s.from_head = true;
  return s;
}
JournalStart tail() {
  return {};
}
JournalStart after(std::string cursor) {
  JournalStart s;
  s.after_cursor = std::move(cursor);
  return s;
}
JournalStart since(int64_t us) {
  JournalStart s;
  s.since_us = us;
  return s;
}

std::vector<std::string> read_messages(const JournalOptions& o) {
  JournalSource source(o);
  Collector sink;
  read_all(source, sink);
  return sink.messages();
}

class JournalSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::journal_remote_available())
        << test::kJournalRemote << " is missing: apt-get install systemd-journal-remote";
  }

  JournalOptions options(JournalStart start = head()) const {
    JournalOptions o;
    o.directory = journal_.dir().string();
    o.start = std::move(start);
    return o;
  }
  void add_fixture() const {
    journal_.append_file(VIGIL_SOURCE_DIR "/tests/ingest/fixtures/journal-two-hosts.export");
  }

  test::TempDir tmp_;
  JournalFixture journal_{tmp_.path() / "journal"};
};

constexpr const char* kSshd = "Failed password for root from 203.0.113.7 port 52144 ssh2";
constexpr const char* kPostgres =
    "[5-1] 2026-11-28 06:25:14.500 UTC [2300] app@governance_production FATAL:  password "
    "authentication failed for user \"app\"";
constexpr const char* kSudo =
    "   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx";
constexpr const char* kAppStdout =
    "2026-11-28T06:25:16.000Z ERROR [governance_app::github] webhook delivery failed: 401 "
    "Unauthorized";
constexpr const char* kUnitFailed = "governance-app.service: Failed with result 'exit-code'.";
constexpr const char* kKernel =
    "[UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.23 DST=10.0.0.5 PROTO=TCP SPT=40112 DPT=5432";
constexpr const char* kCron = "job done";
constexpr const char* kBackup = "backup finished";
constexpr const char* kAppErr =
    "2026-11-28T06:25:22.000Z ERROR [governance_app::db] query failed: connection refused";

TEST_F(JournalSourceTest, ReadsTheFieldsOfEveryEntryInTimeOrder) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  EXPECT_EQ(read_all(source, sink), 10u);
  ASSERT_EQ(sink.seen.size(), 10u);
  const std::string name = "journal:" + journal_.dir().string();
  EXPECT_EQ(source.name(), name);

  const Seen& ssh = sink.seen[0];
  EXPECT_EQ(ssh.ts_us, kBase + 1);
  EXPECT_EQ(ssh.source, name);
  EXPECT_EQ(ssh.host, "web1");
  EXPECT_EQ(ssh.program, "sshd");
  EXPECT_EQ(ssh.unit, "ssh.service");
  EXPECT_EQ(ssh.pid, 1402);
  EXPECT_EQ(ssh.priority, kInfo);
  EXPECT_EQ(ssh.message, kSshd);
  EXPECT_TRUE(ssh.parsed);

  const Seen& pg = sink.seen[1];
  EXPECT_EQ(pg.ts_us, kBase + 500000);
  EXPECT_EQ(pg.host, "db1");
  EXPECT_EQ(pg.program, "postgres");
  EXPECT_EQ(pg.unit, "postgresql@15-main.service");
  EXPECT_EQ(pg.priority, kErr);
  EXPECT_EQ(pg.message, kPostgres);

  const Seen& kernel = sink.seen[5];
  EXPECT_EQ(kernel.program, "kernel");
  EXPECT_EQ(kernel.unit, "");
  EXPECT_EQ(kernel.pid, -1);
  EXPECT_EQ(kernel.priority, kWarning);

  EXPECT_EQ(source.stats().entries, 10u);
  EXPECT_EQ(source.stats().missing_message, 1u);
  EXPECT_EQ(source.stats().binary_message, 0u);
}

TEST_F(JournalSourceTest, ProgramFallsBackToCommAndPidToSyslogPid) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  read_all(source, sink);
  ASSERT_EQ(sink.seen.size(), 10u);
  EXPECT_EQ(sink.seen[6].message, kCron);
  EXPECT_EQ(sink.seen[6].program, "cron-helper");  // no SYSLOG_IDENTIFIER: _COMM
  EXPECT_EQ(sink.seen[6].pid, 3001);
  EXPECT_EQ(sink.seen[7].message, kBackup);
  EXPECT_EQ(sink.seen[7].program, "pg_backup");
  EXPECT_EQ(sink.seen[7].pid, 4242);  // no _PID: SYSLOG_PID
}

TEST_F(JournalSourceTest, SystemdsMessagesAboutAUnitCarryThatUnit) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  read_all(source, sink);
  ASSERT_EQ(sink.seen.size(), 10u);
  const Seen& pid1 = sink.seen[4];
  EXPECT_EQ(pid1.message, kUnitFailed);
  EXPECT_EQ(pid1.program, "systemd");
  EXPECT_EQ(pid1.pid, 1);
  EXPECT_EQ(pid1.unit, "governance-app.service");  // UNIT=, not _SYSTEMD_UNIT=init.scope
}

TEST_F(JournalSourceTest, EachEventNamesItsSendingHost) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  read_all(source, sink);
  std::vector<std::string> hosts;
  for (const Seen& s : sink.seen) hosts.push_back(s.host);
  EXPECT_EQ(hosts, (std::vector<std::string>{"web1", "db1", "web1", "web1", "web1", "db1", "web1",
                                             "db1", "web1", "web1"}));
}

TEST_F(JournalSourceTest, AnEntryWithoutMessageIsDeliveredAndCounted) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  read_all(source, sink);
  ASSERT_EQ(sink.seen.size(), 10u);
  const Seen& coredump = sink.seen[8];
  EXPECT_FALSE(coredump.parsed);
  EXPECT_EQ(coredump.message, "");
  EXPECT_EQ(coredump.program, "systemd-coredump");
  EXPECT_EQ(coredump.priority, kCrit);
  EXPECT_EQ(source.stats().missing_message, 1u);
}

TEST_F(JournalSourceTest, BinaryMessagesArriveByteForByteAndAreCounted) {
  using std::string_view_literals::operator""sv;
  const std::string binary("bad \xff\xfe bytes, a NUL \0 and\na second line"sv);
  ASSERT_EQ(binary.size(), 39u);
  journal_.append(
      ExportWriter()
          .entry_at(kBase, "web1", {{"SYSLOG_IDENTIFIER", "blob"}, {"MESSAGE", binary}})
          .entry_at(kBase + 1, "web1", {{"SYSLOG_IDENTIFIER", "text"}, {"MESSAGE", "plain"}})
          .text());
  JournalSource source(options());
  Collector sink;
  read_all(source, sink);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{binary, "plain"}));
  EXPECT_EQ(source.stats().binary_message, 1u);
}

TEST_F(JournalSourceTest, LongMessagesAreReadWholeUpToTheLimitThenCut) {
  // journal-remote compresses this; sd-journal's default threshold would cut it at 64 KiB.
  std::string long_message;
  for (int i = 0; long_message.size() < size_t{200} * 1024; ++i)
    long_message += std::to_string(i) + ' ';
  journal_.append(
      ExportWriter()
          .entry_at(kBase, "web1", {{"SYSLOG_IDENTIFIER", "big"}, {"MESSAGE", long_message}})
          .text());
  {
    JournalSource source(options());
    Collector sink;
    read_all(source, sink);
    ASSERT_EQ(sink.seen.size(), 1u);
    EXPECT_EQ(sink.seen[0].message, long_message);
    EXPECT_EQ(source.stats().truncated_message, 0u);
  }
  JournalOptions cut = options();
  cut.max_message = 1000;
  JournalSource source(cut);
  Collector sink;
  read_all(source, sink);
  ASSERT_EQ(sink.seen.size(), 1u);
  EXPECT_EQ(sink.seen[0].message, long_message.substr(0, 1000));
  EXPECT_EQ(source.stats().truncated_message, 1u);
}

TEST_F(JournalSourceTest, FieldLookupAnswersAnyFieldOfTheEntry) {
  add_fixture();
  for (const bool gathered : {false, true}) {
    JournalOptions o = options();
    if (gathered) o.fields = {"MESSAGE_ID", "_TRANSPORT", "NOT_THERE"};
    JournalSource source(o);
    Collector sink;
    std::vector<std::string> transports;
    sink.also = [&](const Event& e) {
      ASSERT_NE(e.fields, nullptr);
      const auto transport = e.fields->field("_TRANSPORT");
      transports.push_back(transport ? std::string(*transport) : "-");
      if (e.message != kUnitFailed) return;
      const auto id = e.fields->field("MESSAGE_ID");
      const auto code = e.fields->field("CODE_FILE");
      const auto unit = e.fields->field("UNIT");
      // Earlier answers stay valid after later lookups, as does the message.
      ASSERT_TRUE(id && code && unit);
      EXPECT_EQ(*id, "d9b373ed55a64feb8242e02dbe79a49c");
      EXPECT_EQ(*code, "src/core/unit.c");
      EXPECT_EQ(*unit, "governance-app.service");
      EXPECT_EQ(e.message, kUnitFailed);
      EXPECT_EQ(e.fields->field("NOT_THERE"), std::nullopt);
      EXPECT_EQ(e.fields->field(""), std::nullopt);
      EXPECT_EQ(e.fields->field("UNIT=governance-app.service"), std::nullopt);
      EXPECT_EQ(e.fields->field(std::string_view("UNIT\0X", 6)), std::nullopt);
    };
    read_all(source, sink);
    EXPECT_EQ(transports,
              (std::vector<std::string>{"syslog", "syslog", "syslog", "stdout", "journal", "kernel",
                                        "stdout", "syslog", "journal", "stdout"}))
        << "gathered=" << gathered;
  }
}

TEST_F(JournalSourceTest, FiltersByUnitAsJournalctlDoes) {
  add_fixture();
  JournalOptions o = options();
  o.filter.units = {"governance-app.service"};
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kAppStdout, kUnitFailed, kAppErr}));
  o.filter.units = {"ssh.service", "postgresql@15-main.service"};
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kSshd, kPostgres}));
}

TEST_F(JournalSourceTest, FiltersByIdentifier) {
  add_fixture();
  JournalOptions o = options();
  o.filter.identifiers = {"sudo", "kernel"};
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kSudo, kKernel}));
}

TEST_F(JournalSourceTest, UnitsAndIdentifiersAddUp) {
  add_fixture();
  JournalOptions o = options();
  o.filter.units = {"governance-app.service"};
  o.filter.identifiers = {"sshd"};
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kSshd, kAppStdout, kUnitFailed, kAppErr}));
}

TEST_F(JournalSourceTest, FiltersByMaximumPriority) {
  add_fixture();
  JournalOptions o = options();
  o.filter.max_priority = kErr;
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kPostgres, "", kAppErr}));
  o.filter.max_priority = kEmerg;
  EXPECT_TRUE(read_messages(o).empty());
}

TEST_F(JournalSourceTest, PriorityBoundAppliesToUnitsAndIdentifiers) {
  add_fixture();
  JournalOptions o = options();
  o.filter.units = {"governance-app.service"};
  o.filter.identifiers = {"sshd", "postgres"};
  o.filter.max_priority = kWarning;
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kPostgres, kUnitFailed, kAppErr}));
}

TEST_F(JournalSourceTest, RejectsAPriorityBoundOutOfRange) {
  add_fixture();
  JournalOptions o = options();
  o.filter.max_priority = 8;
  EXPECT_THROW(JournalSource source(o), Error);
}

TEST_F(JournalSourceTest, ResumesAfterACursorWithoutRepeatingOrSkipping) {
  add_fixture();
  std::vector<std::string> all = read_messages(options());
  ASSERT_EQ(all.size(), 10u);
  for (size_t split = 1; split <= all.size(); ++split) {
    std::string cursor;
    {
      JournalSource source(options());
      Collector sink;
      ASSERT_EQ(source.read(split, sink), split);
      cursor = source.cursor();
    }
    ASSERT_FALSE(cursor.empty());
    const auto rest = read_messages(options(after(cursor)));
    EXPECT_EQ(rest, std::vector<std::string>(all.begin() + static_cast<long>(split), all.end()))
        << "after entry " << split;
  }
}

TEST_F(JournalSourceTest, ResumesAtTheEndThenReadsWhatWasAppended) {
  add_fixture();
  std::string cursor;
  {
    JournalSource source(options());
    Collector sink;
    read_all(source, sink);
    cursor = source.cursor();
  }
  const JournalOptions resume = options(after(cursor));
  EXPECT_TRUE(read_messages(resume).empty());
  {
    JournalSource source(resume);
    EXPECT_EQ(source.cursor(), cursor);  // nothing read: still where it started
  }
  journal_.append(ExportWriter()
                      .entry_at(kBase + 60'000'000, "web1", {{"MESSAGE", "later one"}})
                      .entry_at(kBase + 61'000'000, "db1", {{"MESSAGE", "later two"}})
                      .text());
  EXPECT_EQ(read_messages(resume), (std::vector<std::string>{"later one", "later two"}));
}

TEST_F(JournalSourceTest, ResumesAfterTheCursorOfAnEntryTheFilterDrops) {
  add_fixture();
  std::string cursor;
  {
    JournalSource source(options());
    Collector sink;
    source.read(3, sink);  // up to sudo
    cursor = source.cursor();
  }
  JournalOptions o = options(after(cursor));
  o.filter.identifiers = {"sshd", "governance-app"};  // not sudo
  EXPECT_EQ(read_messages(o), (std::vector<std::string>{kAppStdout, kAppErr}));
}

TEST_F(JournalSourceTest, CursorIsEmptyBeforeAnyEntry) {
  add_fixture();
  JournalSource source(options());
  EXPECT_EQ(source.cursor(), "");
}

TEST_F(JournalSourceTest, StartsAtATime) {
  add_fixture();
  EXPECT_EQ(read_messages(options(since(kBase + 5'000'000))),
            (std::vector<std::string>{kCron, kBackup, "", kAppErr}));
}

TEST_F(JournalSourceTest, RejectsAMalformedCursor) {
  add_fixture();
  try {
    JournalSource source(options(after("not a cursor")));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a cursor"), std::string::npos) << e.what();
  }
}

TEST_F(JournalSourceTest, AMissingDirectoryIsAnErrorNamingIt) {
  JournalOptions o = options();
  o.directory = (tmp_.path() / "nowhere").string();
  try {
    JournalSource source(o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(o.directory), std::string::npos) << e.what();
  }
}

TEST_F(JournalSourceTest, FromTheTailReadsOnlyWhatIsAppended) {
  add_fixture();
  JournalOptions o = options(tail());
  o.follow = true;
  JournalSource source(o);
  Collector sink;
  EXPECT_EQ(read_all(source, sink), 0u);
  EXPECT_FALSE(source.cursor().empty());  // standing on the last entry
  journal_.append(ExportWriter()
                      .entry_at(kBase + 60'000'000, "web1", {{"MESSAGE", "new one"}})
                      .entry_at(kBase + 61'000'000, "web1", {{"MESSAGE", "new two"}})
                      .entry_at(kBase + 62'000'000, "db1", {{"MESSAGE", "new three"}})
                      .text());
  follow_until(source, sink, 3);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{"new one", "new two", "new three"}));
}

TEST_F(JournalSourceTest, FollowsAJournalThatStartsEmpty) {
  // No file yet: the first ones appear while following (a new file, not an append).
  JournalOptions o = options(tail());
  o.follow = true;
  o.filter.identifiers = {"wanted"};
  JournalSource source(o);
  Collector sink;
  EXPECT_EQ(read_all(source, sink), 0u);
  journal_.append(
      ExportWriter()
          .entry_at(kBase, "web1", {{"SYSLOG_IDENTIFIER", "wanted"}, {"MESSAGE", "a"}})
          .entry_at(kBase + 1, "web1", {{"SYSLOG_IDENTIFIER", "other"}, {"MESSAGE", "b"}})
          .entry_at(kBase + 2, "web1", {{"SYSLOG_IDENTIFIER", "wanted"}, {"MESSAGE", "c"}})
          .text());
  follow_until(source, sink, 2);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{"a", "c"}));
  // And appends to it keep coming.
  journal_.append(
      ExportWriter()
          .entry_at(kBase + 3, "web1", {{"SYSLOG_IDENTIFIER", "wanted"}, {"MESSAGE", "d"}})
          .text());
  follow_until(source, sink, 3);
  EXPECT_EQ(sink.messages(), (std::vector<std::string>{"a", "c", "d"}));
}

TEST_F(JournalSourceTest, ReadHonoursItsLimit) {
  add_fixture();
  JournalSource source(options());
  Collector sink;
  EXPECT_EQ(source.read(3, sink), 3u);
  EXPECT_EQ(sink.seen.size(), 3u);
  EXPECT_EQ(source.read(100, sink), 7u);
  EXPECT_EQ(source.read(100, sink), 0u);
  EXPECT_EQ(sink.seen.size(), 10u);
}

}  // namespace
}  // namespace vigil::ingest
