// `vigil scan` on JSON-lines application logs, alone and mixed with text lines:
// the shipped app pack's JSON rules hit by level and by duration, captures come
// from structured fields, and bad JSON lines are counted, not lost.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <utility>

#include "tests/integration/vigil_cli.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

using Captures = std::map<std::string, std::string>;
using Hits = std::map<std::pair<int64_t, std::string>, Captures>;  // (line, rule) -> captures

struct ScanOutput {
  Hits hits;
  std::map<int64_t, std::string> ts;  // line -> "ts" of its hits
  std::string err;
};

ScanOutput scan_app_pack(const std::string& file, const std::string& format = "") {
  std::vector<std::string> args = {"scan", "--json", "--rules",
                                   std::string(VIGIL_SOURCE_DIR) + "/packs/app.yml"};
  if (!format.empty()) args.insert(args.end(), {"--format", format});
  args.push_back(file);
  const ProcessResult result = vigil(args);
  EXPECT_EQ(result.exit_status, 0) << result.err;
  ScanOutput out;
  out.err = result.err;
  simdjson::dom::parser parser;
  for (const std::string& text : split_lines(result.out)) {
    simdjson::dom::element hit;
    EXPECT_EQ(parser.parse(text).get(hit), simdjson::SUCCESS) << text;
    const int64_t line = int64_t(hit["line"]);
    Captures captures;
    for (auto [key, value] : simdjson::dom::object(hit["captures"])) {
      captures[std::string(key)] = std::string(std::string_view(value));
    }
    out.hits[{line, std::string(std::string_view(hit["rule"]))}] = std::move(captures);
    out.ts[line] = std::string(std::string_view(hit["ts"]));
  }
  return out;
}

std::set<std::pair<int64_t, std::string>> keys(const Hits& hits) {
  std::set<std::pair<int64_t, std::string>> out;
  for (const auto& [key, captures] : hits) out.insert(key);
  return out;
}

TEST(ScanJsonLines, LevelAndDurationRulesOnAJsonLinesFile) {
  const ScanOutput out = scan_app_pack(fixture("app-json.log"));
  const std::set<std::pair<int64_t, std::string>> expected = {
      {2, "app.json_error"},  {3, "app.json_warn"},           {4, "app.json_slow"},
      {4, "app.json_timing"}, {5, "app.json_timing"},         {6, "app.json_fatal"},
      {7, "app.json_error"},  // no time: counted, still matched
      {9, "app.json_error"},  {9, "app.db_connection_error"}, {10, "app.json_warn"},
      {10, "app.slow"},       {10, "app.json_slow"},          {10, "app.json_timing"},
  };
  EXPECT_EQ(keys(out.hits), expected);
  const Hits& h = out.hits;
  EXPECT_EQ(h.at({2, "app.json_error"}), (Captures{{"target", "governance_app::db"},
                                                   {"text", "query failed: connection refused"}}));
  EXPECT_EQ(
      h.at({4, "app.json_slow"}),
      (Captures{{"duration", "1532"}, {"target", "governance_app::db"}, {"text", "query done"}}));
  EXPECT_EQ(h.at({5, "app.json_timing"}), (Captures{{"duration", "12"}}));
  EXPECT_EQ(h.at({6, "app.json_fatal"}).at("target"), "governance_app::main");
  EXPECT_EQ(h.at({9, "app.db_connection_error"}).at("error"),
            "error communicating with database: Connection refused (os error 111)");
  // The text gives no duration, the elapsed_ms member fills it in.
  EXPECT_EQ(h.at({10, "app.slow"}), (Captures{{"duration", "2500.5"}}));
  EXPECT_EQ(h.at({10, "app.json_slow"}).at("duration"), "2500.5");

  EXPECT_EQ(out.ts.at(2), "2026-11-28T06:25:15.000001Z");
  EXPECT_EQ(out.ts.at(7), "2026-11-28T06:25:19Z") << "the previous line's time";
  EXPECT_EQ(out.ts.at(10), "2026-11-28T06:25:23.500000Z");
  EXPECT_NE(out.err.find("10 lines, 13 hits"), std::string::npos) << out.err;
  EXPECT_NE(out.err.find("2 lines did not parse (first at line 7)"), std::string::npos) << out.err;

  // --format json reads the same file the same way.
  EXPECT_EQ(scan_app_pack(fixture("app-json.log"), "json").hits, out.hits);
}

TEST(ScanJsonLines, JsonAndTextLinesInOneFile) {
  const ScanOutput out = scan_app_pack(fixture("app-mixed.log"));
  const std::set<std::pair<int64_t, std::string>> expected = {
      {1, "app.error"},      {1, "app.db_connection_error"},
      {2, "app.json_error"}, {3, "app.warn"},
      {3, "app.slow"},       {3, "app.timing"},
      {4, "app.json_slow"},  {4, "app.json_timing"},
      {5, "app.panic"},      {6, "app.panic"},
  };
  EXPECT_EQ(keys(out.hits), expected);
  EXPECT_EQ(out.hits.at({2, "app.json_error"}).at("text"),
            "handler returned 500: invalid signature");
  EXPECT_EQ(out.hits.at({3, "app.slow"}).at("duration"), "1532");
  EXPECT_EQ(out.hits.at({4, "app.json_slow"}).at("duration"), "2001");
  EXPECT_EQ(out.hits.at({6, "app.panic"}).at("thread"), "tokio-runtime-worker");
  EXPECT_EQ(out.err.find("did not parse"), std::string::npos) << out.err;

  // Told it is all JSON, the text lines are counted failures.
  const ScanOutput as_json = scan_app_pack(fixture("app-mixed.log"), "json");
  EXPECT_NE(as_json.err.find("3 lines did not parse (first at line 1)"), std::string::npos)
      << as_json.err;
  EXPECT_TRUE(as_json.hits.contains({2, "app.json_error"}));
}

TEST(ScanJsonLines, CapturesFromFieldsAreStored) {
  TempDir dir;
  const std::string db = dir.file("v.db");
  const ProcessResult result =
      vigil({"scan", "--db", db, "--rules", std::string(VIGIL_SOURCE_DIR) + "/packs/app.yml",
             fixture("app-json.log")});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(query_one(db,
                      "SELECT json_extract(captures,'$.duration') FROM hits "
                      "WHERE rule = 'app.json_slow' AND line = 4"),
            "1532");
  EXPECT_EQ(query_one(db, "SELECT message FROM hits WHERE rule = 'app.json_fatal'"),
            "cannot start: configuration unreadable");
  EXPECT_EQ(count_hits(db, "rule LIKE 'app.json_%'"), 11);
}

}  // namespace
}  // namespace vigil::test
