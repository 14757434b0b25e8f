// `vigil report` in each format, on the fixture database: the same figures in
// text, Markdown, HTML and JSON (parsed back with simdjson).

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "tests/reports/report_fixture.h"

namespace vigil::test {
namespace {

class ReportFormats : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->file("fixture.db");
    ASSERT_TRUE(scan_into(db_, {"auth.log", "app.log", "rfc5424.log"}));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static ProcessResult report(const std::string& format, const std::string& day = "2026-11-28") {
    return run_vigil({"report", "--db", db_, "--day", day, "--tz", "UTC", "--format", format});
  }
  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
};

TEST_F(ReportFormats, TextHasAlignedFiguresAndNoColourOffATerminal) {
  const ProcessResult r = report("text");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("vigil security report: 2026-11-28"), std::string::npos);
  EXPECT_NE(r.out.find("3\xC3\x97 usual"), std::string::npos);
  EXPECT_NE(r.out.find("203.0.113.5"), std::string::npos);
  EXPECT_NE(r.out.find("POSSIBLE COMPROMISE"), std::string::npos);
  EXPECT_NE(r.out.find("Alerts: 3 (2 high, 1 medium)."), std::string::npos);
  EXPECT_NE(r.out.find("unit=backup.service"), std::string::npos);
  EXPECT_NE(r.out.find("No action was planned or taken in this period."), std::string::npos);
  EXPECT_NE(r.out.find("p50 800 ms, p95 2.5 s, max 2.5 s"), std::string::npos);
  // The failures column of the top-IP table: numbers right-aligned under their header.
  const size_t header = r.out.find("source IP");
  ASSERT_NE(header, std::string::npos);
  const size_t line_start = r.out.rfind('\n', header) + 1;
  const size_t failures_end = r.out.find("failures", header) + 8 - line_start;
  const size_t row = r.out.find("203.0.113.5", header);
  const size_t row_start = r.out.rfind('\n', row) + 1;
  EXPECT_EQ(r.out.substr(row_start + failures_end - 1, 1), "4") << r.out;
}

TEST_F(ReportFormats, MarkdownTablesEscapeLogText) {
  const ProcessResult r = report("md");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("# vigil security report: 2026-11-28", 0), 0u);
  EXPECT_NE(r.out.find("## Authentication"), std::string::npos);
  EXPECT_NE(r.out.find("| 203.0.113.5 | 4 |"), std::string::npos);
  EXPECT_NE(r.out.find("\\[governance\\_app::db\\] query \\<n\\> failed from \\<ip\\> | 3 |"),
            std::string::npos)
      << r.out;
}

TEST_F(ReportFormats, HtmlIsSelfContained) {
  const std::string out = dir_->file("report.html");
  const ProcessResult r = run_vigil(
      {"report", "--db", db_, "--day", "2026-11-28", "--tz", "UTC", "--format", "html", "-o", out});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  const std::string html = text.str();
  EXPECT_NE(html.find("<meta name=\"viewport\""), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("<title>Failed logins per hour</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>Errors per hour</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>Top source IPs by failures</title>"), std::string::npos);
  EXPECT_NE(html.find("[governance_app::db] query &lt;n&gt; failed"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // nothing to fetch
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(ReportFormats, JsonParsesBackWithTheSameFigures) {
  const ProcessResult r = report("json");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << r.out;
  EXPECT_EQ(doc["authentication"]["failed"].get_int64().value(), 6);
  EXPECT_EQ(doc["authentication"]["top_ips"].at(0)["ip"].get_string().value(), "203.0.113.5");
  EXPECT_EQ(doc["authentication"]["top_ips"].at(0)["distinct_users"].get_int64().value(), 3);
  EXPECT_EQ(doc["authentication"]["failed_per_hour"].get_array().size(), 24u);
  EXPECT_EQ(doc["privilege"]["sudo_commands"].get_int64().value(), 4);
  EXPECT_EQ(doc["services"]["errors"].get_int64().value(), 6);
  EXPECT_DOUBLE_EQ(doc["services"]["slow"]["p95_ms"].get_double().value(), 2500.0);
  EXPECT_EQ(doc["summary"].at(0)["name"].get_string().value(), "failed logins");
  EXPECT_DOUBLE_EQ(doc["summary"].at(0)["baseline"].get_double().value(), 2.0);
  EXPECT_TRUE(doc["alerts"]["recorded"].get_bool().value());
  EXPECT_EQ(doc["alerts"]["total"].get_int64().value(), 3);
  EXPECT_EQ(doc["alerts"]["list"].at(0)["key"]["user"].get_string().value(), "mallory");
  EXPECT_EQ(doc["actions"]["total"].get_int64().value(), 0);
  EXPECT_TRUE(doc["has_data"].get_bool().value());
  EXPECT_EQ(doc["range"]["start"].get_string().value(), "2026-11-28T00:00:00Z");
}

TEST_F(ReportFormats, DayWithoutDataSaysSoInEveryFormat) {
  for (const char* format : {"text", "md", "html"}) {
    const ProcessResult r = report(format, "2026-12-05");
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_NE(r.out.find("No data for this period"), std::string::npos) << format;
  }
  const ProcessResult json = report("json", "2026-12-05");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json.out).get(doc), simdjson::SUCCESS);
  EXPECT_FALSE(doc["has_data"].get_bool().value());
}

TEST_F(ReportFormats, BadArgumentsAreClearErrors) {
  EXPECT_EQ(run_vigil({"report", "--db", db_, "--day", "2026-02-30"}).exit_status, 2);
  const ProcessResult zone = run_vigil({"report", "--db", db_, "--tz", "Mars/Olympus"});
  EXPECT_EQ(zone.exit_status, 2);
  EXPECT_NE(zone.err.find("unknown time zone"), std::string::npos);
  const ProcessResult missing = run_vigil({"report", "--db", dir_->file("none.db")});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_NE(missing.err.find("none.db"), std::string::npos);
  const std::string other = dir_->write("other.db", "not a database at all, just text");
  const ProcessResult bad = run_vigil({"report", "--db", other, "--day", "2026-11-28"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_NE(bad.err.find("other.db"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace vigil::test
