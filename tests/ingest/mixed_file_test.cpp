// A file as a real host writes it: the three syslog forms, application lines and
// junk in one file, read by LineReader and parsed by one LineParser in kAuto.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <string>
#include <vector>

#include "ingest/line_reader.h"
#include "ingest/parser.h"
#include "tests/support/temp_dir.h"
#include "tests/support/time_zone.h"

namespace vigil::ingest {
namespace {

using namespace std::string_literals;
using test::utc_us;

struct Expected {
  uint64_t line;
  bool parsed;
  int64_t ts_us;
  std::string host, program;
  int32_t pid;
  int8_t priority;
  std::string message;
};

TEST(MixedFile, EveryFormInOneFile) {
  test::ScopedTz tz("UTC");
  test::TempDir dir;
  const std::string content =
      "Nov 28 06:25:14 web1 sshd[812]: Failed password for root from 203.0.113.7 port 22 ssh2\n"
      "2026-11-28T06:25:15.123456+01:00 web1 sudo:    alice : COMMAND=/usr/bin/systemctl\r\n"
      "<34>1 2026-11-28T06:25:16.003Z web1 sshd 812 ID47 [x@1 a=\"\\]\"] BOM-less msg\n"
      "2026-11-28T06:25:17.5Z ERROR [governance_app::db] query failed\n"
      "\n"
      "\tat frame \xff\0 junk\n"s
      "<38>Nov 28 06:25:18 web1 kernel: [12345.678] UFW BLOCK\n"
      "2026-11-28 06:25:19,250 WARN slow request 2300ms";  // no final newline
  const std::string path = dir.write("mixed.log", content);

  LineReader reader(path);
  LineParser parser(Format::kAuto, "mixed.log", reader.mtime_us());
  const int64_t t4 = utc_us(2026, 11, 28, 6, 25, 17, 500000);
  const std::vector<Expected> want = {
      {1, true, utc_us(2026, 11, 28, 6, 25, 14), "web1", "sshd", 812, kPriorityUnknown,
       "Failed password for root from 203.0.113.7 port 22 ssh2"},
      {2, true, utc_us(2026, 11, 28, 5, 25, 15, 123456), "web1", "sudo", -1, kPriorityUnknown,
       "   alice : COMMAND=/usr/bin/systemctl"},
      {3, true, utc_us(2026, 11, 28, 6, 25, 16, 3000), "web1", "sshd", 812, kCrit, "BOM-less msg"},
      {4, true, t4, "", "", -1, kErr, "[governance_app::db] query failed"},
      {5, false, t4, "", "", -1, kPriorityUnknown, ""},
      {6, false, t4, "", "", -1, kPriorityUnknown, "\tat frame \xff\0 junk"s},
      {7, true, utc_us(2026, 11, 28, 6, 25, 18), "web1", "kernel", -1, kInfo,
       "[12345.678] UFW BLOCK"},
      {8, true, utc_us(2026, 11, 28, 6, 25, 19, 250000), "", "", -1, kWarning,
       "slow request 2300ms"},
  };
  Line line;
  Event event;
  for (const Expected& w : want) {
    ASSERT_TRUE(reader.next(line));
    SCOPED_TRACE("line " + std::to_string(w.line));
    EXPECT_EQ(line.number, w.line);
    EXPECT_EQ(parser.parse(line.text, event), w.parsed);
    EXPECT_EQ(event.parsed, w.parsed);
    EXPECT_EQ(event.source, "mixed.log");
    EXPECT_EQ(event.ts_us, w.ts_us);
    EXPECT_EQ(event.host, w.host);
    EXPECT_EQ(event.program, w.program);
    EXPECT_EQ(event.pid, w.pid);
    EXPECT_EQ(event.priority, w.priority);
    EXPECT_EQ(event.message, w.message);
  }
  EXPECT_FALSE(reader.next(line));
  EXPECT_EQ(parser.failures(), 2u);
  EXPECT_EQ(reader.position().offset, content.size());
  EXPECT_EQ(reader.position().line, 8u);
}

// The year of RFC 3164 lines comes from the file's mtime: December lines in a file
// last written in January belong to the year before.
TEST(MixedFile, YearFromModificationTime) {
  test::ScopedTz tz("UTC");
  test::TempDir dir;
  const std::string path =
      dir.write("auth.log.1", "Dec 31 23:59:58 web1 CRON[1]: a\nJan  1 00:00:02 web1 CRON[2]: b\n");
  const auto times =
      std::to_array<timespec>({{0, UTIME_OMIT}, {utc_us(2027, 1, 1, 6, 25, 0) / 1'000'000, 0}});
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times.data(), 0), 0);
  LineReader reader(path);
  LineParser parser(Format::kAuto, "auth.log.1", reader.mtime_us());
  Line line;
  Event event;
  ASSERT_TRUE(reader.next(line));
  ASSERT_TRUE(parser.parse(line.text, event));
  EXPECT_EQ(event.ts_us, utc_us(2026, 12, 31, 23, 59, 58));
  ASSERT_TRUE(reader.next(line));
  ASSERT_TRUE(parser.parse(line.text, event));
  EXPECT_EQ(event.ts_us, utc_us(2027, 1, 1, 0, 0, 2));
}

}  // namespace
}  // namespace vigil::ingest
