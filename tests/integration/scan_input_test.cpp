// `vigil scan` on awkward input: every hit still found, every bad line counted,
// the JSON output always valid.

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tests/integration/vigil_cli.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

// Parses every stdout line as JSON and returns the "captures.user" of each hit.
std::vector<std::string> users_of_hits(const std::string& out) {
  std::vector<std::string> users;
  simdjson::dom::parser parser;
  for (const std::string& line : split_lines(out)) {
    simdjson::dom::element hit;
    const auto error = parser.parse(line).get(hit);
    EXPECT_EQ(error, simdjson::SUCCESS) << "not JSON: " << line;
    if (error != simdjson::SUCCESS) continue;
    std::string_view user;
    if (hit["captures"]["user"].get(user) == simdjson::SUCCESS) users.emplace_back(user);
  }
  return users;
}

TEST(ScanJson, HitCarriesTheContractFields) {
  TempDir dir;
  const std::string log = dir.write("auth.log", noise(0) + failed_password(1));
  const ProcessResult result = scan_basic({"--json", log});
  ASSERT_EQ(result.exit_status, 0) << result.err;

  simdjson::dom::parser parser;
  simdjson::dom::element hit = parser.parse(split_lines(result.out).at(0));
  EXPECT_EQ(std::string_view(hit["type"]), "hit");
  EXPECT_EQ(std::string_view(hit["source"]), log);
  EXPECT_EQ(int64_t(hit["line"]), 2);
  EXPECT_EQ(int64_t(hit["offset"]), static_cast<int64_t>(noise(0).size()));
  EXPECT_EQ(std::string_view(hit["host"]), "web1");
  EXPECT_EQ(std::string_view(hit["program"]), "sshd");
  EXPECT_EQ(int64_t(hit["pid"]), 812);
  EXPECT_EQ(std::string_view(hit["rule"]), "t.failed_password");
  EXPECT_EQ(std::string_view(hit["severity"]), "medium");
  EXPECT_EQ(std::string_view(hit["captures"]["user"]), "user1");
  EXPECT_EQ(std::string_view(hit["captures"]["ip"]), "203.0.113.7");
  EXPECT_EQ(std::string_view(hit["message"]),
            "Failed password for user1 from 203.0.113.7 port 40001 ssh2");
  // RFC 3164 has no year: the file's mtime (now) decides it; the rest is exact.
  EXPECT_NE(std::string_view(hit["ts"]).find("-11-28T06:11:14Z"), std::string_view::npos);
  EXPECT_NE(result.err.find("1 hits"), std::string::npos) << result.err;
}

TEST(ScanBadInput, EveryHitFoundAndEveryBadLineCounted) {
  TempDir dir;
  std::string text;
  text += "\xff\xfe garbage that is not a log line\n";  // invalid UTF-8
  text += failed_password(1);
  text += "Nov 28 06:11:14 web1 sshd[812]: Failed password for nul";  // NUL inside
  text += '\0';
  text += "user from 203.0.113.8 port 1 ssh2\n";
  text += std::string(2 << 20, 'x') + "\n";  // a 2 MiB line
  text +=
      "Nov 28 06:12:14 web1 sshd[812]: Failed password for crlf from 203.0.113.9 port 2 ssh2\r\n";
  text +=
      "Nov 28 06:13:14 web1 sshd[812]: Failed password for \xc3\x28 from 203.0.113.10 port 3 "
      "ssh2\n";
  text += "\n";
  text += "Nov 28 06:14:14 web1 sshd[812]: Failed password for last from 203.0.113.11 port 4 ssh2";
  const std::string log = dir.write("auth.log", text);

  const ProcessResult result = scan_basic({"--json", log});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  const std::vector<std::string> users = users_of_hits(result.out);
  const std::vector<std::string> expected = {"user1", "nul\xEF\xBF\xBDuser", "crlf",
                                             "\xEF\xBF\xBD(", "last"};
  EXPECT_EQ(users, expected);
  EXPECT_NE(result.err.find("did not parse"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("1 lines longer than 1 MiB were cut"), std::string::npos) << result.err;
}

TEST(ScanBadInput, EmptyFileIsFine) {
  TempDir dir;
  const ProcessResult result = scan_basic({dir.write("empty.log", "")});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_NE(result.out.find("0 lines, 0 hits"), std::string::npos) << result.out;
}

TEST(ScanBadInput, MissingFileIsAUsageErrorNamingIt) {
  const ProcessResult result = scan_basic({"/nonexistent/auth.log"});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("/nonexistent/auth.log"), std::string::npos) << result.err;
}

TEST(ScanBadInput, UnknownFormatIsAUsageError) {
  TempDir dir;
  const ProcessResult result = scan_basic({"--format", "xml", dir.write("a.log", noise(0))});
  EXPECT_EQ(result.exit_status, 2);
}

TEST(ScanApp, ApplicationLinesAreMatchedByPriority) {
  TempDir dir;
  const std::string log = dir.write(
      "application.log",
      "2026-11-28T06:25:14.123Z INFO [governance_app::api] GET /health 200\n"
      "2026-11-28T06:25:15.500Z ERROR [governance_app::db] query failed: connection refused\n");
  const std::string db = dir.file("v.db");
  const ProcessResult result = scan_basic({"--db", db, log});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(count_hits(db), 1);
  EXPECT_EQ(query_one(db, "SELECT json_extract(captures,'$.module') FROM hits"),
            "governance_app::db");
  EXPECT_EQ(query_one(db, "SELECT ts FROM hits"), "1795847115500000");
}

}  // namespace
}  // namespace vigil::test
