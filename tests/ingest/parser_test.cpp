#include "ingest/parser.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "tests/support/time_zone.h"

namespace vigil::ingest {
namespace {

using namespace std::string_literals;
using test::utc_us;

const int64_t kReference = utc_us(2026, 11, 28, 12, 0, 0);

class ParserTest : public ::testing::Test {
 protected:
  // Parses a line that must parse; the Event views `line`, which must outlive it.
  static Event ok(std::string_view line, Format format = Format::kAuto) {
    LineParser parser(format, "auth.log", kReference);
    Event event;
    EXPECT_TRUE(parser.parse(line, event)) << line;
    EXPECT_TRUE(event.parsed);
    EXPECT_EQ(event.source, "auth.log");
    EXPECT_EQ(parser.failures(), 0u);
    return event;
  }

  test::ScopedTz tz_{"UTC"};
};

TEST_F(ParserTest, Rfc3164AuthLogLine) {
  const Event e =
      ok("Nov 28 06:25:14 web1 sshd[812]: Failed password for root from 203.0.113.7 port 22 ssh2");
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 812);
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(e.unit, "");
  EXPECT_EQ(e.message, "Failed password for root from 203.0.113.7 port 22 ssh2");
}

TEST_F(ParserTest, Rfc3164DayForms) {
  EXPECT_EQ(ok("Nov  3 06:25:14 web1 CRON[99]: x").ts_us, utc_us(2026, 11, 3, 6, 25, 14));
  EXPECT_EQ(ok("Nov 03 06:25:14 web1 CRON[99]: x").ts_us, utc_us(2026, 11, 3, 6, 25, 14));
  EXPECT_EQ(ok("Nov 3 06:25:14 web1 CRON[99]: x").ts_us, utc_us(2026, 11, 3, 6, 25, 14));
  EXPECT_EQ(ok("NOV 28 00:00:00 web1 x: y").ts_us, utc_us(2026, 11, 28, 0, 0, 0));
}

TEST_F(ParserTest, Rfc3164AllMonths) {
  const auto months = std::to_array<const char*>(
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"});
  for (int m = 1; m <= 12; ++m) {
    const std::string line = std::string(months[m - 1]) + " 15 10:00:00 web1 x: y";
    // Later than Nov 29 (reference + 1 day) falls in the previous year.
    const int year = m == 12 ? 2025 : 2026;
    EXPECT_EQ(ok(line).ts_us, utc_us(year, m, 15, 10, 0, 0)) << line;
  }
}

TEST_F(ParserTest, Rfc3164WithPriority) {
  const Event e = ok("<38>Nov 28 06:25:14 web1 sshd[812]: Accepted publickey for deploy");
  EXPECT_EQ(e.priority, kInfo);  // 38 = auth(4) * 8 + info(6)
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 812);
  EXPECT_EQ(e.message, "Accepted publickey for deploy");
  EXPECT_EQ(ok("<0>Nov 28 06:25:14 web1 k: m").priority, kEmerg);
  EXPECT_EQ(ok("<191>Nov 28 06:25:14 web1 k: m").priority, kDebug);
}

TEST_F(ParserTest, TagForms) {
  struct Case {
    std::string rest;  // after "Nov 28 06:25:14 web1 "
    std::string program;
    int32_t pid;
    std::string message;
  };
  const auto cases = std::to_array<Case>({
      {"sshd-session[99]: Connection closed", "sshd-session", 99, "Connection closed"},
      {"postfix/smtpd[1234]: connect from x", "postfix/smtpd", 1234, "connect from x"},
      {"org.gnome.Shell.desktop[2345]: warn", "org.gnome.Shell.desktop", 2345, "warn"},
      {"systemd_logind: New session", "systemd_logind", -1, "New session"},
      {"(sd-pam)[77]: pam_unix(systemd-user:session): x", "(sd-pam)", 77,
       "pam_unix(systemd-user:session): x"},
      {"kernel: [12345.678] UFW BLOCK IN=eth0", "kernel", -1, "[12345.678] UFW BLOCK IN=eth0"},
      {"sudo:   alice : TTY=pts/0 ; COMMAND=/bin/ls", "sudo", -1,
       "  alice : TTY=pts/0 ; COMMAND=/bin/ls"},
      {"prog[abc]: odd pid", "prog", -1, "odd pid"},
      {"prog[99999999999]: pid too big", "prog", -1, "pid too big"},
      {"prog[42] no colon", "prog", 42, "no colon"},
      {"prog:", "prog", -1, ""},
      {"prog[7]:", "prog", 7, ""},
      {"-- MARK --", "", -1, "-- MARK --"},
      {"http://example.org/ is not a tag", "", -1, "http://example.org/ is not a tag"},
      {"unclosed[12: text", "", -1, "unclosed[12: text"},
      {"", "", -1, ""},
  });
  for (const Case& c : cases) {
    const std::string line = "Nov 28 06:25:14 web1 " + c.rest;
    const Event e = ok(line);
    EXPECT_EQ(e.host, "web1") << line;
    EXPECT_EQ(e.program, c.program) << line;
    EXPECT_EQ(e.pid, c.pid) << line;
    EXPECT_EQ(e.message, c.message) << line;
  }
}

TEST_F(ParserTest, HostMissingBeforeTag) {
  const Event e = ok("Nov 28 06:25:14 sshd[812]: no host here");
  EXPECT_EQ(e.host, "");
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 812);
  EXPECT_EQ(e.message, "no host here");
  EXPECT_EQ(ok("Nov 28 06:25:14 kernel: boot").program, "kernel");
  EXPECT_EQ(ok("Nov 28 06:25:14 web1").host, "web1");
}

TEST_F(ParserTest, Rfc3339HighPrecision) {
  const Event e = ok("2026-11-28T06:25:14.123456+01:00 web1 sshd[812]: Invalid user admin");
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 5, 25, 14, 123456));
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 812);
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(e.message, "Invalid user admin");
  EXPECT_EQ(ok("2026-11-28T06:25:14.5-05:00 db1 postgres[9]: x").ts_us,
            utc_us(2026, 11, 28, 11, 25, 14, 500000));
  EXPECT_EQ(ok("2026-11-28T06:25:14Z web1 kernel: x").ts_us, utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(ok("2026-11-28T06:25:14+05:30 web1 x: y", Format::kSyslog).ts_us,
            utc_us(2026, 11, 28, 0, 55, 14));
}

TEST_F(ParserTest, Rfc3339WithPriority) {
  const Event e = ok("<86>2026-11-28T06:25:14.000001+00:00 web1 sudo: alice : COMMAND=/bin/ls");
  EXPECT_EQ(e.priority, kInfo);
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14, 1));
  EXPECT_EQ(e.program, "sudo");
  EXPECT_EQ(e.message, "alice : COMMAND=/bin/ls");
}

TEST_F(ParserTest, Rfc5424WithStructuredData) {
  const Event e =
      ok("<34>1 2026-11-28T06:25:14.003Z web1 sshd 812 ID47 "
         "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] 'su root' failed");
  EXPECT_EQ(e.priority, kCrit);  // 34 = auth(4) * 8 + crit(2)
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14, 3000));
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.pid, 812);
  EXPECT_EQ(e.message, "'su root' failed");
}

TEST_F(ParserTest, Rfc5424SeveralBlocksWithEscapes) {
  const Event e = ok(
      R"(<165>1 2026-11-28T06:25:14+01:00 web1 app 7 - [a@1 x="a\]b" y="q\"]"][b@2 z="\\"] done)");
  EXPECT_EQ(e.priority, kNotice);
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 5, 25, 14));
  EXPECT_EQ(e.program, "app");
  EXPECT_EQ(e.pid, 7);
  EXPECT_EQ(e.message, "done");
}

TEST_F(ParserTest, Rfc5424NilValues) {
  LineParser parser(Format::kAuto, "s", kReference);
  Event e;
  ASSERT_TRUE(parser.parse("Nov 28 06:25:14 web1 x: before", e));
  // A NILVALUE time carries the previous line's.
  ASSERT_TRUE(parser.parse("<13>1 - - - - - -", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(e.priority, kNotice);
  EXPECT_EQ(e.host, "");
  EXPECT_EQ(e.program, "");
  EXPECT_EQ(e.pid, -1);
  EXPECT_EQ(e.message, "");
  EXPECT_TRUE(e.parsed);

  const Event f = ok("<13>1 2026-11-28T06:25:14Z - - - - - message only");
  EXPECT_EQ(f.host, "");
  EXPECT_EQ(f.program, "");
  EXPECT_EQ(f.pid, -1);
  EXPECT_EQ(f.message, "message only");
  EXPECT_EQ(ok("<13>1 2026-11-28T06:25:14Z h a worker-3 - - m").pid, -1);
}

TEST_F(ParserTest, Rfc5424DropsBom) {
  const Event e = ok("<14>1 2026-11-28T06:25:14Z web1 app 1 - - \xEF\xBB\xBFhello");
  EXPECT_EQ(e.message, "hello");
}

TEST_F(ParserTest, ApplicationLines) {
  const Event e = ok("2026-11-28T06:25:14.123Z ERROR [governance_app::db] query failed: timeout");
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14, 123000));
  EXPECT_EQ(e.priority, kErr);
  EXPECT_EQ(e.host, "");
  EXPECT_EQ(e.program, "");
  EXPECT_EQ(e.pid, -1);
  EXPECT_EQ(e.message, "[governance_app::db] query failed: timeout");

  const Event w = ok("2026-11-28 06:25:14,123 WARN slow request: 2300 ms");
  EXPECT_EQ(w.ts_us, utc_us(2026, 11, 28, 6, 25, 14, 123000));  // local time, TZ=UTC here
  EXPECT_EQ(w.priority, kWarning);
  EXPECT_EQ(w.message, "slow request: 2300 ms");

  // tracing's layout: the level right-aligned after two spaces.
  const Event t = ok("2026-11-28T06:25:14.123456Z  INFO governance_app: started");
  EXPECT_EQ(t.priority, kInfo);
  EXPECT_EQ(t.message, "governance_app: started");

  // log4j's "%-5p": padding after the level is not part of the message.
  EXPECT_EQ(ok("2026-11-28 06:25:14 INFO  ready").message, "ready");
  EXPECT_EQ(ok("2026-11-28 06:25:14 [ERROR] boom").message, "boom");
  EXPECT_EQ(ok("2026-11-28 06:25:14 error: boom").message, "boom");
  EXPECT_EQ(ok("2026-11-28 06:25:14 ERROR").message, "");
}

TEST_F(ParserTest, LevelWordsMapToPriorities) {
  struct Case {
    const char* level;
    int8_t priority;
  };
  const auto cases = std::to_array<Case>({
      {"TRACE", kDebug},
      {"DEBUG", kDebug},
      {"debug", kDebug},
      {"INFO", kInfo},
      {"Info", kInfo},
      {"NOTICE", kNotice},
      {"WARN", kWarning},
      {"WARNING", kWarning},
      {"warning", kWarning},
      {"ERROR", kErr},
      {"ERR", kErr},
      {"err", kErr},
      {"FATAL", kCrit},
      {"CRITICAL", kCrit},
      {"CRIT", kCrit},
      {"[WARN]", kWarning},
      {"[fatal]", kCrit},
      {"NOTICE:", kNotice},
  });
  for (const Case& c : cases) {
    const std::string line = "2026-11-28T06:25:14Z "s + c.level + " message";
    const Event e = ok(line, Format::kApp);
    EXPECT_EQ(e.priority, c.priority) << line;
    EXPECT_EQ(e.message, "message") << line;
  }
}

TEST_F(ParserTest, AppFormatWithoutLevel) {
  // kApp: a time and free text is an application line with no priority.
  const Event e = ok("2026-11-28T06:25:14Z cache warmed in 12 ms", Format::kApp);
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(e.message, "cache warmed in 12 ms");
  // kAuto: without a level word the same line is the RFC 3339 syslog form.
  const Event s = ok("2026-11-28T06:25:14Z cache warmed in 12 ms");
  EXPECT_EQ(s.host, "cache");
  EXPECT_EQ(s.program, "");
  EXPECT_EQ(s.message, "warmed in 12 ms");
}

TEST_F(ParserTest, SyslogFormatNeverReadsLevels) {
  const Event e = ok("2026-11-28T06:25:14Z ERROR [db] query failed", Format::kSyslog);
  EXPECT_EQ(e.host, "ERROR");
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(e.message, "[db] query failed");
}

TEST_F(ParserTest, AppFormatRejectsSyslogLines) {
  LineParser parser(Format::kApp, "app.log", kReference);
  Event e;
  EXPECT_FALSE(parser.parse("Nov 28 06:25:14 web1 sshd[812]: x", e));
  EXPECT_FALSE(parser.parse("<34>1 2026-11-28T06:25:14Z web1 sshd 812 - - x", e));
  EXPECT_EQ(parser.failures(), 2u);
}

TEST(ParserYear, InferredAcrossNewYear) {
  test::ScopedTz tz("UTC");
  // The file was last written on 2 January 2027.
  LineParser parser(Format::kAuto, "auth.log", utc_us(2027, 1, 2, 10, 0, 0));
  Event e;
  ASSERT_TRUE(parser.parse("Dec 31 23:59:59 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 12, 31, 23, 59, 59));
  ASSERT_TRUE(parser.parse("Jan  1 00:00:01 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2027, 1, 1, 0, 0, 1));
  // Up to a day past the reference still counts as this year (clock skew, zones).
  ASSERT_TRUE(parser.parse("Jan  3 09:59:59 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2027, 1, 3, 9, 59, 59));
  ASSERT_TRUE(parser.parse("Jan  3 10:00:01 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 1, 3, 10, 0, 1));
}

// The parser remembers the last RFC 3164 time as written; a repeated time must
// still follow the year limit and the local-time conversion it would get parsed.
TEST(ParserYear, RepeatedTimeFollowsAMovedReferenceTime) {
  test::ScopedTz tz("UTC");
  LineParser parser(Format::kAuto, "auth.log", utc_us(2026, 12, 30, 0, 0, 0));
  Event e;
  ASSERT_TRUE(parser.parse("Dec 31 23:59:59 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2025, 12, 31, 23, 59, 59));  // more than a day ahead
  parser.set_reference_time(utc_us(2027, 1, 1, 0, 0, 5));
  ASSERT_TRUE(parser.parse("Dec 31 23:59:59 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 12, 31, 23, 59, 59));
}

TEST(ParserYear, RepeatedTimePrefixStillNeedsTheRestOfTheLine) {
  test::ScopedTz tz("UTC");
  LineParser parser(Format::kAuto, "auth.log", kReference);
  Event e;
  ASSERT_TRUE(parser.parse("Nov  3 06:25:14 web1 x: y", e));
  EXPECT_FALSE(parser.parse("Nov  3 06:25:145 web1 x: y", e));
  EXPECT_FALSE(parser.parse("Nov  3 06:25:14", e));
  ASSERT_TRUE(parser.parse("Nov  3 06:25:14 web2 x: z", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 3, 6, 25, 14));
  EXPECT_EQ(e.host, "web2");
  ASSERT_TRUE(parser.parse("Nov 3 06:25:14 web3 x: z", e));  // unpadded: another spelling
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 3, 6, 25, 14));
  EXPECT_EQ(parser.failures(), 2u);
}

TEST(ParserYear, Feb29NeedsALeapYear) {
  test::ScopedTz tz("UTC");
  LineParser after_leap(Format::kAuto, "a", utc_us(2029, 1, 5, 0, 0, 0));
  Event e;
  ASSERT_TRUE(after_leap.parse("Feb 29 12:00:00 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2028, 2, 29, 12, 0, 0));
  LineParser not_leap(Format::kAuto, "a", utc_us(2027, 6, 1, 0, 0, 0));
  EXPECT_FALSE(not_leap.parse("Feb 29 12:00:00 web1 x: y", e));
}

TEST(ParserDst, Rfc3164LocalTimeAcrossBerlinTransitions) {
  test::ScopedTz tz("Europe/Berlin");
  LineParser parser(Format::kAuto, "auth.log", utc_us(2026, 11, 1, 0, 0, 0));
  Event e;
  const auto ts = [&](const char* line) {
    EXPECT_TRUE(parser.parse(line, e)) << line;
    return e.ts_us;
  };
  EXPECT_EQ(ts("Mar 29 01:59:59 web1 x: y"), utc_us(2026, 3, 29, 0, 59, 59));
  EXPECT_EQ(ts("Mar 29 03:00:00 web1 x: y"), utc_us(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(ts("Oct 25 01:30:00 web1 x: y"), utc_us(2026, 10, 24, 23, 30, 0));
  EXPECT_EQ(ts("Oct 25 02:30:00 web1 x: y"), utc_us(2026, 10, 25, 0, 30, 0));
  EXPECT_EQ(ts("Oct 25 02:10:00 web1 x: y"), utc_us(2026, 10, 25, 1, 10, 0));
  EXPECT_EQ(ts("Oct 25 03:00:00 web1 x: y"), utc_us(2026, 10, 25, 2, 0, 0));
  // Zone-less application times are local too.
  EXPECT_EQ(ts("2026-07-01 12:00:00,250 INFO summer"), utc_us(2026, 7, 1, 10, 0, 0, 250000));
}

// The parser remembers the last RFC 3164 time as written: when an application
// line of the same file moved the repeated hour into its second pass, the same
// RFC 3164 time again is in the second pass too.
TEST(ParserDst, RepeatedRfc3164TimeFollowsTheRepeatedHour) {
  test::ScopedTz tz("Europe/Berlin");
  LineParser parser(Format::kAuto, "mixed.log", utc_us(2026, 11, 1, 0, 0, 0));
  Event e;
  ASSERT_TRUE(parser.parse("Oct 25 02:30:00 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 10, 25, 0, 30, 0));
  ASSERT_TRUE(parser.parse("2026-10-25 02:10:00,000 INFO after the clocks went back", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 10, 25, 1, 10, 0));
  ASSERT_TRUE(parser.parse("Oct 25 02:30:00 web1 x: y", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 10, 25, 1, 30, 0));
}

// A failed line keeps the whole line, the last good time, and is counted.
TEST(ParserFailure, BestEffortEvent) {
  test::ScopedTz tz("UTC");
  LineParser parser(Format::kAuto, "auth.log", kReference);
  Event e;
  EXPECT_FALSE(parser.parse("garbage before any good line", e));
  EXPECT_FALSE(e.parsed);
  EXPECT_EQ(e.ts_us, kReference);
  EXPECT_EQ(e.message, "garbage before any good line");
  EXPECT_EQ(e.source, "auth.log");
  EXPECT_EQ(e.host, "");
  EXPECT_EQ(e.program, "");
  EXPECT_EQ(e.pid, -1);
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(parser.failures(), 1u);

  ASSERT_TRUE(parser.parse("<34>Nov 28 06:25:14 web1 sshd[812]: ok", e));
  EXPECT_FALSE(parser.parse("\tat com.example.Foo(Foo.java:42)", e));
  EXPECT_EQ(e.ts_us, utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(e.priority, kPriorityUnknown);  // nothing of the failed attempt leaks
  EXPECT_EQ(e.host, "");
  EXPECT_EQ(parser.failures(), 2u);
}

TEST(ParserFailure, EmptyLineIsACountedFailure) {
  LineParser parser(Format::kAuto, "auth.log", kReference);
  Event e;
  EXPECT_FALSE(parser.parse("", e));
  EXPECT_FALSE(e.parsed);
  EXPECT_EQ(e.message, "");
  EXPECT_EQ(e.ts_us, kReference);
  EXPECT_EQ(parser.failures(), 1u);
}

TEST(ParserFailure, BadInputNeverParses) {
  test::ScopedTz tz("UTC");
  const auto bad = std::to_array<std::string>({
      " ",
      "garbage",
      "\xff\xfe\x00\x01 binary"s,
      "\0\0\0\0"s,
      "Nov",
      "Nov 28",
      "Nov 28 06:2",
      "Nov 28 06:25:14",
      "Nov 28 06:25:14 ",
      "Nov 28 06:25:14  double space",
      "Nox 28 06:25:14 web1 x: y",
      "Nov 32 06:25:14 web1 x: y",
      "Nov 00 06:25:14 web1 x: y",
      "Feb 30 06:25:14 web1 x: y",
      "Nov 28 25:00:00 web1 x: y",
      "Nov 28 06:61:00 web1 x: y",
      "Nov 28 06-25-14 web1 x: y",
      "Nov 28 06:25:14web1 x: y",
      "<",
      "<>Nov 28 06:25:14 web1 x: y",
      "<192>Nov 28 06:25:14 web1 x: y",
      "<1234>Nov 28 06:25:14 web1 x: y",
      "<34Nov 28 06:25:14 web1 x: y",
      "<34>",
      "<34>1",
      "<34>1 ",
      "<34>1 garbage",
      "<34>1 2026-11-28T06:25:14Z",
      "<34>1 2026-11-28T06:25:14Z web1 sshd 812",
      "<34>1 2026-11-28T06:25:14Z web1 sshd 812 ID47",
      "<34>1 2026-11-28T06:25:14Z web1 sshd 812 ID47 [a x=\"y",
      R"(<34>1 2026-11-28T06:25:14Z web1 sshd 812 ID47 [a x="y\"])",
      "<34>1 2026-11-28T06:25:14Z web1 sshd 812 ID47 [a]msg",
      "<34>1 2026-11-28T06:25:14Z web1 sshd 812 ID47 x",
      "<34>2 2026-11-28T06:25:14Z web1 sshd 812 ID47 - x",
      "2026",
      "2026-11-28",
      "2026-11-28T06:25:14",
      "2026-11-28T06:25:14Z",
      "2026-11-28T06:25:14Zweb1 x: y",
      "2026-02-30T06:25:14Z web1 x: y",
      "2026-11-28T25:25:14Z ERROR x",
      "2026-11-28T06:25:14.Z ERROR x",
      "12345 not a time",
  });
  for (const std::string& line : bad) {
    LineParser parser(Format::kAuto, "auth.log", kReference);
    Event e;
    EXPECT_FALSE(parser.parse(line, e)) << line;
    EXPECT_FALSE(e.parsed) << line;
    EXPECT_EQ(e.message, line);
    EXPECT_EQ(e.ts_us, kReference) << line;
    EXPECT_EQ(parser.failures(), 1u) << line;
  }
}

TEST(ParserBytes, NulAndInvalidUtf8InAMessageAreKeptExactly) {
  test::ScopedTz tz("UTC");
  LineParser parser(Format::kAuto, "auth.log", kReference);
  Event e;
  const std::string line = "Nov 28 06:25:14 web1 app[1]: a\0b\xff\xc3("s;
  ASSERT_TRUE(parser.parse(line, e));
  EXPECT_EQ(e.message, "a\0b\xff\xc3("s);
  EXPECT_EQ(e.message.data(), line.data() + 29);  // a view into the line, not a copy
  const std::string host = "Nov 28 06:25:14 w\xffz\0 app: m"s;
  ASSERT_TRUE(parser.parse(host, e));
  EXPECT_EQ(e.host, "w\xffz\0"s);
  EXPECT_EQ(e.message, "m");
}

TEST(ParserBytes, HugeLines) {
  test::ScopedTz tz("UTC");
  LineParser parser(Format::kAuto, "auth.log", kReference);
  Event e;
  const std::string body(3 << 20, 'x');
  const std::string good = "Nov 28 06:25:14 web1 app[1]: " + body;
  ASSERT_TRUE(parser.parse(good, e));
  EXPECT_EQ(e.message.size(), body.size());
  EXPECT_FALSE(parser.parse(body, e));
  EXPECT_EQ(e.message.size(), body.size());
  const std::string sd = "<34>1 2026-11-28T06:25:14Z h a 1 - [a x=\"" + body;  // never closed
  EXPECT_FALSE(parser.parse(sd, e));
  EXPECT_EQ(parser.failures(), 2u);
}

TEST(ParserFormatName, KnownNames) {
  EXPECT_EQ(parse_format_name("auto"), Format::kAuto);
  EXPECT_EQ(parse_format_name("syslog"), Format::kSyslog);
  EXPECT_EQ(parse_format_name("app"), Format::kApp);
  EXPECT_EQ(parse_format_name("json"), Format::kJson);
  EXPECT_EQ(parse_format_name("xml"), std::nullopt);
  EXPECT_EQ(parse_format_name(""), std::nullopt);
  EXPECT_EQ(parse_format_name("Auto"), std::nullopt);
}

}  // namespace
}  // namespace vigil::ingest
