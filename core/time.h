#pragma once
// Timestamps in the forms logs write them, to microseconds since the epoch (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// 28..31; 0 when `month` is not 1-12.
unsigned days_in_month(int64_t year, unsigned month);

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t micros = 0;
};
CivilTime civil_from_us(int64_t us_utc);

// Converts local wall-clock time (the TZ of the process) to UTC, caching the
// offset per hour so that a file of RFC 3164 lines does not call into the time
// zone database per line. Offsets are found with localtime_r (UTC -> local, never
// ambiguous) and checked, so DST transitions are exact:
//  - a local hour that does not exist (spring forward) uses the offset before the
//    transition, as mktime does;
//  - a local hour that exists twice (fall back) maps to its first occurrence until
//    the times run back by more than a minute within that hour: logs are written in
//    order, so that is the clock being set back, and the rest of the hour maps to
//    the second occurrence.
// Holds per-stream state: use one converter per file or stream.
class LocalTimeConverter {
 public:
  int64_t to_utc_us(const CivilTime& local);

 private:
  void load_hour(const CivilTime& local, int64_t hour_key);

  // A hit costs one comparison: the key packs the civil fields, no day count needed.
  int64_t cached_hour_key_ = -1;   // year, month, day and hour of the cached local hour
  int64_t hour_start_utc_s_ = 0;   // the cached local hour's first second, in UTC
  int64_t later_start_utc_s_ = 0;  // the same for the hour's second occurrence
  bool ambiguous_ = false;         // the cached hour occurs twice and we are in the first
  int latest_in_hour_s_ = 0;       // latest minute*60+second seen in the cached hour
};

// Parses an RFC 3339 / ISO 8601 timestamp at the start of `text`:
// "2026-11-28T06:25:14.123456+01:00", "...Z", a space instead of 'T', a comma
// instead of the dot, "+0100" or "+01" zones, or no zone (then local time). Fraction
// digits past the sixth are read and dropped. Second 60 (a leap second) is accepted
// and lands on the next minute. Returns µs UTC and sets `consumed` (when not null)
// to the bytes used; nullopt for a truncated or impossible time (Feb 30, hour 25).
std::optional<int64_t> parse_iso8601(std::string_view text, size_t* consumed);
// The same, converting zone-less times with `local` (keeps its per-hour cache).
std::optional<int64_t> parse_iso8601(std::string_view text, size_t* consumed,
                                     LocalTimeConverter& local);

// "2026-11-28T06:25:14.123456Z" (fraction only when non-zero, then always 6 digits).
std::string format_iso8601_utc(int64_t us_utc);

}  // namespace vigil
