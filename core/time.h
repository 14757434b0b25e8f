#pragma once
// Timestamps in the forms logs write them, to microseconds since the epoch (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

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

// Parses an RFC 3339 / ISO 8601 timestamp at the start of `text`:
// "2026-11-28T06:25:14.123456+01:00", "...Z", a space instead of 'T', or no zone
// (then local time). Returns µs UTC and sets `consumed` to the bytes used.
std::optional<int64_t> parse_iso8601(std::string_view text, size_t* consumed);

// "2026-11-28T06:25:14.123456Z" (fraction only when non-zero).
std::string format_iso8601_utc(int64_t us_utc);

// Converts local wall-clock time (the TZ of the process) to UTC, caching the
// offset per hour so that a file of RFC 3164 lines does not call mktime per line.
class LocalTimeConverter {
 public:
  int64_t to_utc_us(const CivilTime& local);

 private:
  int64_t cached_hour_key_ = -1;  // days*24+hour of the cached local hour
  int64_t cached_offset_s_ = 0;   // UTC = local - offset
};

}  // namespace vigil
