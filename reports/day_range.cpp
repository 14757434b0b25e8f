// Local days in the process's time zone, exact across DST changes.

#include <array>
#include <cstdio>
#include <ctime>

#include "core/time.h"
#include "reports/report.h"

namespace vigil::reports {
namespace {

// Local midnight of a civil date as µs UTC. LocalTimeConverter finds the offset
// with localtime_r, so a day that starts in a DST gap still gets its first instant.
int64_t local_midnight_us(int year, int month, int day) {
  // Normalise day overflow (the 32nd -> the 1st of the next month).
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), 1) + (day - 1);
  const CivilTime civil = civil_from_us(days * 86'400'000'000LL);
  LocalTimeConverter converter;
  return converter.to_utc_us(CivilTime{civil.year, civil.month, civil.day, 0, 0, 0, 0});
}

ReportRange make_day(int year, int month, int day) {
  ReportRange range;
  range.start_us = local_midnight_us(year, month, day);
  range.end_us = local_midnight_us(year, month, day + 1);
  std::array<char, 16> label{};
  if (std::snprintf(label.data(), label.size(), "%04d-%02d-%02d", year, month, day) > 0) {
    range.label = label.data();
  }
  return range;
}

}  // namespace

std::optional<ReportRange> local_day(const std::string& yyyy_mm_dd) {
  int year = 0;
  int month = 0;
  int day = 0;
  char extra = 0;
  if (yyyy_mm_dd.size() != 10 ||
      // NOLINTNEXTLINE(cert-err34-c): 4 and 2 digits at most, which cannot overflow an int
      std::sscanf(yyyy_mm_dd.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &extra) != 3) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  return make_day(year, month, day);
}

ReportRange local_day_of(int64_t us_utc) {
  const auto seconds =
      static_cast<time_t>(us_utc >= 0 ? us_utc / 1'000'000 : (us_utc - 999'999) / 1'000'000);
  struct tm tm {};
  localtime_r(&seconds, &tm);
  return make_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

}  // namespace vigil::reports
