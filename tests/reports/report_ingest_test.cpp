// Ingest health (schema v3) against logs written here with known silences,
// scanned by the real `vigil scan`; the report day is 2026-11-28 in UTC.
//
// quiet.log: a line every 5 minutes from 2026-11-25 00:00 to 2026-11-28 20:00,
// except for these silences (the line before and after each remain):
//   25th 02:00-02:40 (40 min), 26th 03:00-03:20 (20 min), 27th 04:00-04:30 (30 min)
//     -> usual longest silence: median(40, 20, 30) = 30 min; threshold 1 h
//   28th 06:00-06:50 (50 min: below the threshold, not listed)
//   28th 12:00-14:00 (2 h: listed)
//   28th from 20:00: nothing more, quiet until the day's end (4 h: listed, open)
// Lines: 25th 288 - 7 = 281, 26th 288 - 3 = 285, 27th 288 - 5 = 283 (mean 283);
// 28th 00:00..20:00 = 241 - 9 - 23 = 209.
//
// fresh.log: only the 28th, no baseline (threshold 1 h): every 5 minutes
// 08:00-08:30, 09:15-09:30, 10:40-23:55 -> silences of 45 min (not listed) and
// 70 min (listed); 23:55 to the day's end is 5 min (not listed).

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <array>
#include <ctime>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "reports/report.h"
#include "tests/reports/report_fixture.h"
#include "tests/support/time_zone.h"

namespace vigil::reports {
namespace {

using test::utc_us;

constexpr int64_t kMinute = 60'000'000;

std::string line_at(int64_t us, int n) {
  const auto seconds = static_cast<std::time_t>(us / 1'000'000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> text{};
  const size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return std::string(text.data(), length) + " web1 cron[1]: tick " + std::to_string(n) + "\n";
}

// A line every 5 minutes in [from, to], skipping those strictly inside a silence.
std::string every_five_minutes(int64_t from, int64_t to,
                               const std::vector<std::pair<int64_t, int64_t>>& silences) {
  std::string text;
  int n = 0;
  for (int64_t t = from; t <= to; t += 5 * kMinute) {
    bool quiet = false;
    for (const auto& [start, end] : silences) quiet = quiet || (t > start && t < end);
    if (!quiet) text += line_at(t, ++n);
  }
  return text;
}

int64_t at(int day, int h, int m) {
  return utc_us(2026, 11, day, h, m, 0);
}

class ReportIngest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    db_ = dir_->file("ingest.db");
    quiet_ = dir_->write("quiet.log", every_five_minutes(at(25, 0, 0), at(28, 20, 0),
                                                         {{at(25, 2, 0), at(25, 2, 40)},
                                                          {at(26, 3, 0), at(26, 3, 20)},
                                                          {at(27, 4, 0), at(27, 4, 30)},
                                                          {at(28, 6, 0), at(28, 6, 50)},
                                                          {at(28, 12, 0), at(28, 14, 0)}}));
    fresh_ = dir_->write("fresh.log", every_five_minutes(at(28, 8, 0), at(28, 23, 55),
                                                         {{at(28, 8, 30), at(28, 9, 15)},
                                                          {at(28, 9, 30), at(28, 10, 40)}}));
    const test::ProcessResult scan = test::run_vigil({"scan", "--db", db_, quiet_, fresh_});
    ASSERT_EQ(scan.exit_status, 0) << scan.err;
    const test::ScopedTz utc("UTC");
    report_ = new Report(build_report(db_, *local_day("2026-11-28")));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete dir_;
  }
  static const SourceHealth& source(const std::string& path) {
    for (const SourceHealth& s : report_->ingest.sources) {
      if (s.source == path) return s;
    }
    throw std::runtime_error("no source " + path);
  }

  static inline test::TempDir* dir_ = nullptr;
  static inline std::string db_, quiet_, fresh_;
  static inline Report* report_ = nullptr;
};

TEST_F(ReportIngest, LinesInTheRangeAgainstTheSevenDayMean) {
  ASSERT_TRUE(report_->ingest.recorded);
  const SourceHealth& quiet = source(quiet_);
  EXPECT_EQ(quiet.range_lines.today, 209);
  ASSERT_TRUE(quiet.range_lines.baseline.has_value());
  EXPECT_DOUBLE_EQ(*quiet.range_lines.baseline, 283.0);  // the 25th to the 27th
  EXPECT_EQ(describe_change(quiet.range_lines), "0.7\xC3\x97 usual");
  EXPECT_EQ(quiet.range_parse_failures, 0);
  EXPECT_EQ(quiet.lines, 281 + 285 + 283 + 209);  // the total since first read
  const SourceHealth& fresh = source(fresh_);
  EXPECT_EQ(fresh.range_lines.today, 7 + 4 + 160);
  EXPECT_FALSE(fresh.range_lines.baseline.has_value());
}

TEST_F(ReportIngest, SilencesLongerThanUsualAndTheOpenOne) {
  const SourceHealth& quiet = source(quiet_);
  ASSERT_EQ(quiet.gaps.size(), 2u);  // not the 50 minutes at 06:00
  EXPECT_EQ(quiet.gaps[0].start_us, at(28, 12, 0));
  EXPECT_EQ(quiet.gaps[0].end_us, at(28, 14, 0));
  EXPECT_EQ(quiet.gaps[0].length_us, 120 * kMinute);
  EXPECT_EQ(quiet.gaps[0].usual_us, 30 * kMinute);
  EXPECT_EQ(quiet.gaps[1].start_us, at(28, 20, 0));
  EXPECT_FALSE(quiet.gaps[1].end_us.has_value());  // still quiet
  EXPECT_EQ(quiet.gaps[1].length_us, 240 * kMinute);
}

TEST_F(ReportIngest, WithoutABaselineOnlyAnHourOrMoreIsListed) {
  const SourceHealth& fresh = source(fresh_);
  ASSERT_EQ(fresh.gaps.size(), 1u);  // not the 45 minutes, nor the last 5
  EXPECT_EQ(fresh.gaps[0].start_us, at(28, 9, 30));
  EXPECT_EQ(fresh.gaps[0].end_us, at(28, 10, 40));
  EXPECT_FALSE(fresh.gaps[0].usual_us.has_value());
}

TEST_F(ReportIngest, EveryFormatShowsTheSilences) {
  const test::ScopedTz utc("UTC");
  const std::string text = render_text(*report_);
  EXPECT_NE(text.find("2026-11-28 12:00:00"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-11-28 14:00:00"), std::string::npos) << text;
  EXPECT_NE(text.find("STILL QUIET"), std::string::npos) << text;
  EXPECT_NE(text.find("1 h 10 min"), std::string::npos) << text;
  EXPECT_NE(text.find("no baseline yet"), std::string::npos) << text;
  EXPECT_NE(text.find("0.7\xC3\x97 usual"), std::string::npos) << text;
  EXPECT_NE(render_markdown(*report_).find("STILL QUIET"), std::string::npos);
  EXPECT_NE(render_html(*report_).find("STILL QUIET"), std::string::npos);

  const std::string json = render_json(*report_);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_TRUE(doc["ingest"]["recorded"].get_bool().value());
  bool found = false;
  for (simdjson::dom::element s : doc["ingest"]["sources"].get_array()) {
    if (std::string_view(s["source"].get_string().value()) != quiet_) continue;
    found = true;
    EXPECT_EQ(s["range"]["lines"].get_int64().value(), 209);
    EXPECT_DOUBLE_EQ(s["range"]["baseline"].get_double().value(), 283.0);
    simdjson::dom::array gaps = s["gaps"].get_array();
    ASSERT_EQ(gaps.size(), 2u);
    EXPECT_EQ(gaps.at(0)["start_us"].get_int64().value(), at(28, 12, 0));
    EXPECT_EQ(gaps.at(0)["end_us"].get_int64().value(), at(28, 14, 0));
    EXPECT_EQ(std::string_view(gaps.at(0)["end"].get_string().value()), "2026-11-28T14:00:00Z");
    EXPECT_EQ(gaps.at(0)["usual_us"].get_int64().value(), 30 * kMinute);
    EXPECT_TRUE(gaps.at(1)["end"].is_null());
    EXPECT_TRUE(gaps.at(1)["still_quiet"].get_bool().value());
  }
  EXPECT_TRUE(found) << json;
}

TEST_F(ReportIngest, ADatabaseBeforeSchemaV3ShowsTotalsOnly) {
  const std::string copy = dir_->file("v2.db");
  ASSERT_TRUE(test::older_schema_copy(
      db_, copy,
      "DROP TABLE source_hour; DROP TABLE source_gap; DROP TABLE source_event; "
      "PRAGMA user_version = 2"));
  const test::ScopedTz utc("UTC");
  const Report report = build_report(copy, *local_day("2026-11-28"));
  EXPECT_FALSE(report.ingest.recorded);
  ASSERT_EQ(report.ingest.sources.size(), 2u);
  EXPECT_TRUE(report.ingest.sources[0].gaps.empty());
  EXPECT_NE(render_text(report).find("not recorded in this database"), std::string::npos);
  EXPECT_NE(render_json(report).find(R"("ingest":{"recorded":false)"), std::string::npos);
}

}  // namespace
}  // namespace vigil::reports
