#pragma once
// Time arithmetic and the timestamp forms the generated logs carry. All times are
// microseconds since the epoch, UTC; the generated host runs in UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loggen {

constexpr int64_t kUsPerMs = 1'000;
constexpr int64_t kUsPerSec = 1'000'000;
constexpr int64_t kUsPerMin = 60 * kUsPerSec;
constexpr int64_t kUsPerHour = 60 * kUsPerMin;
constexpr int64_t kUsPerDay = 24 * kUsPerHour;

struct Civil {
  int64_t year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  unsigned micros = 0;
};

Civil civil_from_us(int64_t us);
int64_t us_from_civil(const Civil& c);

// "2026-11-28T00:00:00Z", with optional fraction and "+HH:MM"/"-HH:MM" zone.
std::optional<int64_t> parse_timestamp(std::string_view text);
// "86400", "3600s", "90m", "24h", "2d"; must be > 0.
std::optional<int64_t> parse_duration_us(std::string_view text);

// Appends "Nov 28 06:25:14" (RFC 3164, day padded with a space).
void append_rfc3164(std::string& out, int64_t us);
// Appends "2026-11-28T06:25:14.123456+00:00" (rsyslog's high-precision form).
void append_rfc3339(std::string& out, int64_t us);
// Appends "2026-11-28T06:25:14.123Z" (the application log's form).
void append_app_time(std::string& out, int64_t us);

}  // namespace loggen
