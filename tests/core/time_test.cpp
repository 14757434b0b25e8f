#include "core/time.h"

#include <gtest/gtest.h>

#include <array>
#include <ctime>
#include <string>

#include "tests/support/time_zone.h"

namespace vigil {
namespace {

using test::ScopedTz;
using test::utc_us;

CivilTime civil(int y, int mo, int d, int h, int mi, int s) {
  CivilTime t;
  t.year = y;
  t.month = mo;
  t.day = d;
  t.hour = h;
  t.minute = mi;
  t.second = s;
  return t;
}

TEST(DaysFromCivil, KnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2026, 11, 28), 20785);
  EXPECT_EQ(days_from_civil(1600, 1, 1), -135140);
}

TEST(DaysInMonth, LeapYearsAndBadMonths) {
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2026, 2), 28u);
  EXPECT_EQ(days_in_month(1900, 2), 28u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(2026, 4), 30u);
  EXPECT_EQ(days_in_month(2026, 12), 31u);
  EXPECT_EQ(days_in_month(2026, 0), 0u);
  EXPECT_EQ(days_in_month(2026, 13), 0u);
}

TEST(CivilFromUs, SplitsFieldsExactly) {
  const CivilTime t = civil_from_us(utc_us(2026, 11, 28, 6, 25, 14, 123456));
  EXPECT_EQ(t.year, 2026);
  EXPECT_EQ(t.month, 11);
  EXPECT_EQ(t.day, 28);
  EXPECT_EQ(t.hour, 6);
  EXPECT_EQ(t.minute, 25);
  EXPECT_EQ(t.second, 14);
  EXPECT_EQ(t.micros, 123456);
}

TEST(CivilFromUs, BeforeTheEpochRoundsDown) {
  const CivilTime t = civil_from_us(-1);
  EXPECT_EQ(t.year, 1969);
  EXPECT_EQ(t.month, 12);
  EXPECT_EQ(t.day, 31);
  EXPECT_EQ(t.hour, 23);
  EXPECT_EQ(t.minute, 59);
  EXPECT_EQ(t.second, 59);
  EXPECT_EQ(t.micros, 999999);
}

TEST(CivilFromUs, RoundTripsEveryDayOverCenturies) {
  for (int64_t day = -200'000; day <= 200'000; day += 7) {
    const CivilTime t = civil_from_us(day * 86'400'000'000 + 3'600'000'000);
    ASSERT_EQ(days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)),
              day);
    ASSERT_EQ(t.hour, 1);
  }
}

TEST(ParseIso8601, OffsetsConvertToUtc) {
  size_t used = 0;
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14.123456+01:00", &used),
            utc_us(2026, 11, 28, 5, 25, 14, 123456));
  EXPECT_EQ(used, 32u);
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14-05:30", &used), utc_us(2026, 11, 28, 11, 55, 14));
  EXPECT_EQ(used, 25u);
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14+0100", &used), utc_us(2026, 11, 28, 5, 25, 14));
  EXPECT_EQ(used, 24u);
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14+01 web1", &used), utc_us(2026, 11, 28, 5, 25, 14));
  EXPECT_EQ(used, 22u);
  EXPECT_EQ(parse_iso8601("2026-11-28T00:25:14+01:00", &used), utc_us(2026, 11, 27, 23, 25, 14));
}

TEST(ParseIso8601, ZuluFractionsAndSeparators) {
  size_t used = 0;
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14.003Z web1", &used),
            utc_us(2026, 11, 28, 6, 25, 14, 3000));
  EXPECT_EQ(used, 24u);
  EXPECT_EQ(parse_iso8601("2026-11-28t06:25:14z", &used), utc_us(2026, 11, 28, 6, 25, 14));
  EXPECT_EQ(used, 20u);
  // Digits past the sixth are read and dropped, not rounded.
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14.123456789Z", &used),
            utc_us(2026, 11, 28, 6, 25, 14, 123456));
  EXPECT_EQ(used, 30u);
  EXPECT_EQ(parse_iso8601("2026-11-28 06:25:14,5Z", nullptr),
            utc_us(2026, 11, 28, 6, 25, 14, 500000));
  EXPECT_EQ(parse_iso8601("2024-02-29T12:00:00Z", nullptr), utc_us(2024, 2, 29, 12, 0, 0));
}

TEST(ParseIso8601, LeapSecondLandsOnTheNextMinute) {
  EXPECT_EQ(parse_iso8601("2016-12-31T23:59:60Z", nullptr), utc_us(2017, 1, 1, 0, 0, 0));
}

TEST(ParseIso8601, NoZoneIsLocalTime) {
  {
    ScopedTz tz("UTC");
    size_t used = 0;
    EXPECT_EQ(parse_iso8601("2026-11-28 06:25:14,123 WARN x", &used),
              utc_us(2026, 11, 28, 6, 25, 14, 123000));
    EXPECT_EQ(used, 23u);
  }
  ScopedTz tz("Europe/Berlin");
  EXPECT_EQ(parse_iso8601("2026-11-28T06:25:14", nullptr), utc_us(2026, 11, 28, 5, 25, 14));
  EXPECT_EQ(parse_iso8601("2026-07-01T12:00:00", nullptr), utc_us(2026, 7, 1, 10, 0, 0));
}

TEST(ParseIso8601, RejectsTruncatedAndImpossibleTimes) {
  const auto bad = std::to_array<const char*>({
      "",
      "2026",
      "2026-11-28",
      "2026-11-28T06:25",
      "2026-11-28T06:25:1",
      "2026-02-30T06:25:14Z",
      "2026-02-29T06:25:14Z",
      "2026-11-31T06:25:14Z",
      "2026-13-01T06:25:14Z",
      "2026-00-01T06:25:14Z",
      "2026-11-00T06:25:14Z",
      "2026-11-28T25:00:00Z",
      "2026-11-28T24:00:00Z",
      "2026-11-28T06:60:00Z",
      "2026-11-28T06:25:61Z",
      "2026-11-28T06:25:14.Z",
      "2026-11-28T06:25:14+24:00",
      "2026-11-28T06:25:14+01:60",
      "2026-11-28T06:25:14+01:",
      "2026-11-28T06:25:14+1",
      "2026/11/28T06:25:14Z",
      "2026-11-28X06:25:14Z",
      "20x6-11-28T06:25:14Z",
      "2026-11-28T06:2x:14Z",
  });
  for (const char* text : bad) {
    size_t used = 99;
    EXPECT_EQ(parse_iso8601(text, &used), std::nullopt) << text;
  }
}

TEST(FormatIso8601, FractionOnlyWhenNonZero) {
  EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601_utc(utc_us(2026, 11, 28, 6, 25, 14)), "2026-11-28T06:25:14Z");
  EXPECT_EQ(format_iso8601_utc(utc_us(2026, 11, 28, 6, 25, 14, 3000)),
            "2026-11-28T06:25:14.003000Z");
  EXPECT_EQ(format_iso8601_utc(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(FormatIso8601, RoundTripsThroughTheParser) {
  for (int64_t us = -5'000'000'000'000; us < 4'000'000'000'000'000; us += 77'777'777'777'777) {
    const std::string text = format_iso8601_utc(us);
    ASSERT_EQ(parse_iso8601(text, nullptr), us) << text;
  }
}

TEST(LocalTimeConverter, BerlinSpringForward) {
  ScopedTz tz("Europe/Berlin");
  LocalTimeConverter local;
  EXPECT_EQ(local.to_utc_us(civil(2026, 3, 29, 1, 59, 59)), utc_us(2026, 3, 29, 0, 59, 59));
  EXPECT_EQ(local.to_utc_us(civil(2026, 3, 29, 3, 0, 0)), utc_us(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(local.to_utc_us(civil(2026, 3, 29, 3, 59, 59)), utc_us(2026, 3, 29, 1, 59, 59));
  // 02:30 does not exist that night; like mktime, read it with the winter offset.
  EXPECT_EQ(local.to_utc_us(civil(2026, 3, 29, 2, 30, 0)), utc_us(2026, 3, 29, 1, 30, 0));
}

TEST(LocalTimeConverter, BerlinFallBackRepeatsTheHour) {
  ScopedTz tz("Europe/Berlin");
  LocalTimeConverter local;
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 1, 59, 0)), utc_us(2026, 10, 24, 23, 59, 0));
  // First 02:xx: summer time.
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 2, 30, 0)), utc_us(2026, 10, 25, 0, 30, 0));
  // A writer a few seconds behind is not the clock going back.
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 2, 29, 50)), utc_us(2026, 10, 25, 0, 29, 50));
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 2, 59, 59)), utc_us(2026, 10, 25, 0, 59, 59));
  // The clock went back: second 02:xx, winter time, for the rest of the hour.
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 2, 0, 5)), utc_us(2026, 10, 25, 1, 0, 5));
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 2, 40, 0)), utc_us(2026, 10, 25, 1, 40, 0));
  EXPECT_EQ(local.to_utc_us(civil(2026, 10, 25, 3, 0, 0)), utc_us(2026, 10, 25, 2, 0, 0));
}

TEST(LocalTimeConverter, KeepsMicroseconds) {
  ScopedTz tz("Europe/Berlin");
  LocalTimeConverter local;
  CivilTime t = civil(2026, 11, 28, 6, 25, 14);
  t.micros = 123456;
  EXPECT_EQ(local.to_utc_us(t), utc_us(2026, 11, 28, 5, 25, 14, 123456));
}

// Walks a year in 10-minute steps through the local times the C library gives for
// each instant: the converter must find every instant again, through both DST
// transitions, in zones with whole- and half-hour offsets, north and south.
TEST(LocalTimeConverter, MatchesTheTimeZoneDatabaseForAWholeYear) {
  for (const char* zone : {"Europe/Berlin", "America/New_York", "America/St_Johns",
                           "Australia/Sydney", "Asia/Kolkata", "UTC"}) {
    ScopedTz tz(zone);
    LocalTimeConverter local;
    for (int64_t s = utc_us(2026, 1, 1, 0, 0, 0) / 1'000'000;
         s < utc_us(2027, 1, 1, 0, 0, 0) / 1'000'000; s += 600) {
      const auto t = static_cast<time_t>(s);
      struct tm tm {};
      localtime_r(&t, &tm);
      const CivilTime c =
          civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      ASSERT_EQ(local.to_utc_us(c), s * 1'000'000) << zone << " at " << s;
    }
  }
}

}  // namespace
}  // namespace vigil
