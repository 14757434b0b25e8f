// Day boundaries in the report's time zone: 23:59:59.999 local belongs to its
// day, and a DST change day has 23 (or 25) hours.

#include <gtest/gtest.h>

#include "reports/report.h"
#include "tests/reports/report_fixture.h"
#include "tests/support/time_zone.h"

namespace vigil::reports {
namespace {

using test::utc_us;

TEST(LocalDay, BerlinSpringForwardHas23Hours) {
  const test::ScopedTz berlin("Europe/Berlin");
  const auto day = local_day("2026-03-29");
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->start_us, utc_us(2026, 3, 28, 23, 0, 0));
  EXPECT_EQ(day->end_us, utc_us(2026, 3, 29, 22, 0, 0));
}

TEST(LocalDay, BerlinFallBackHas25Hours) {
  const test::ScopedTz berlin("Europe/Berlin");
  const auto day = local_day("2026-10-25");
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->end_us - day->start_us, 25 * 3'600'000'000LL);
}

TEST(LocalDay, ContainingDayAndInvalidDates) {
  const test::ScopedTz tokyo("Asia/Tokyo");
  // 2026-11-28T15:00Z is midnight of the 29th in Tokyo.
  EXPECT_EQ(local_day_of(utc_us(2026, 11, 28, 15, 0, 0)).label, "2026-11-29");
  EXPECT_EQ(local_day_of(utc_us(2026, 11, 28, 14, 59, 59, 999'999)).label, "2026-11-28");
  EXPECT_FALSE(local_day("2026-02-29").has_value());
  EXPECT_FALSE(local_day("2026-13-01").has_value());
  EXPECT_FALSE(local_day("28.11.2026").has_value());
  EXPECT_TRUE(local_day("2028-02-29").has_value());
}

class ReportDst : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    db_ = dir_->file("dst.db");
    ASSERT_TRUE(test::scan_into(db_, {"dst.log"}));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static Report berlin_day(const char* date) {
    const test::ScopedTz berlin("Europe/Berlin");
    return build_report(db_, *local_day(date));
  }
  static inline test::TempDir* dir_ = nullptr;
  static inline std::string db_;
};

TEST_F(ReportDst, LastMillisecondBelongsToItsDay) {
  const Report before = berlin_day("2026-03-28");
  EXPECT_EQ(before.auth.failed, 1);  // 23:59:59.999+01:00
  ASSERT_EQ(before.auth.failed_per_hour.size(), 24u);
  EXPECT_EQ(before.auth.failed_per_hour[23], 1);
}

TEST_F(ReportDst, ChangeDayHas23HourBuckets) {
  const Report day = berlin_day("2026-03-29");
  // 00:00:00+01:00, 03:30+02:00 and 23:59:59.999+02:00; not the 30th's midnight.
  EXPECT_EQ(day.auth.failed, 3);
  ASSERT_EQ(day.auth.failed_per_hour.size(), 23u);
  ASSERT_EQ(day.hour_labels.size(), 23u);
  EXPECT_EQ(day.hour_labels[1], "01:00");
  EXPECT_EQ(day.hour_labels[2], "03:00");  // 02:00 does not exist that night
  EXPECT_EQ(day.auth.failed_per_hour[0], 1);
  EXPECT_EQ(day.auth.failed_per_hour[2], 1);
  EXPECT_EQ(day.auth.failed_per_hour[22], 1);
}

TEST_F(ReportDst, CommandLineZoneMovesTheBoundaries) {
  const auto run = [](const char* tz) {
    return test::run_vigil(
        {"report", "--db", db_, "--day", "2026-03-29", "--tz", tz, "--format", "json"});
  };
  const test::ProcessResult berlin = run("Europe/Berlin");
  ASSERT_EQ(berlin.exit_status, 0) << berlin.err;
  EXPECT_NE(berlin.out.find("\"failed\":3"), std::string::npos) << berlin.out;
  EXPECT_NE(berlin.out.find("\"start\":\"2026-03-28T23:00:00Z\""), std::string::npos);
  // In UTC the 29th holds 01:30Z, 21:59:59.999Z and 22:00Z.
  const test::ProcessResult utc = run("UTC");
  ASSERT_EQ(utc.exit_status, 0) << utc.err;
  EXPECT_NE(utc.out.find("\"failed\":3"), std::string::npos);
  EXPECT_NE(utc.out.find("\"start\":\"2026-03-29T00:00:00Z\""), std::string::npos);
}

}  // namespace
}  // namespace vigil::reports
