#include "core/time.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace vigil {
namespace {

constexpr int64_t kUsPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kUsPerDay = kSecondsPerDay * kUsPerSecond;
// Times that run back by more than this within an ambiguous hour mean the clock
// was set back; smaller steps are writers racing each other.
constexpr int64_t kClockSetBackS = 60;

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool is_leap(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// Value of the `n` digits at text[pos], or -1 when one is missing or not a digit.
int fixed_digits(std::string_view text, size_t pos, size_t n) {
  if (text.size() < pos + n) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - '0';
    if (digit > 9) return -1;
    value = value * 10 + static_cast<int>(digit);
  }
  return value;
}

bool is_digit_at(std::string_view text, size_t pos) {
  return pos < text.size() &&
         static_cast<unsigned>(static_cast<unsigned char>(text[pos]) - '0') <= 9;
}

// The UTC offset (seconds east) in force at `utc_s`.
int64_t utc_offset_at(int64_t utc_s) {
  const auto t = static_cast<time_t>(utc_s);
  struct tm local {};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return local.tm_gmtoff;
}

// True when local time `local_s` read with `offset` names an instant at which
// that offset is indeed in force.
bool offset_fits(int64_t local_s, int64_t offset) {
  return utc_offset_at(local_s - offset) == offset;
}

// "YYYY-MM-DD" then 'T', 't' or ' ', then "hh:mm:ss": fills `t`, returns bytes used or 0.
size_t parse_date_time(std::string_view text, CivilTime& t) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') {
    return 0;
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return 0;
  t.year = fixed_digits(text, 0, 4);
  t.month = fixed_digits(text, 5, 2);
  t.day = fixed_digits(text, 8, 2);
  t.hour = fixed_digits(text, 11, 2);
  t.minute = fixed_digits(text, 14, 2);
  t.second = fixed_digits(text, 17, 2);
  if (t.year < 0 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > static_cast<int>(days_in_month(t.year, static_cast<unsigned>(t.month))) ||
      t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 60) {
    return 0;
  }
  return 19;
}

// ".123456" or ",123": µs into `micros`; returns bytes used (0 when absent), or
// npos when the separator has no digit after it.
size_t parse_fraction(std::string_view text, size_t pos, int64_t& micros) {
  micros = 0;
  if (pos >= text.size() || (text[pos] != '.' && text[pos] != ',')) return 0;
  size_t i = pos + 1;
  int64_t scale = 100'000;
  for (; is_digit_at(text, i); ++i) {
    micros += (text[i] - '0') * scale;
    scale /= 10;  // reaches 0 after the sixth digit: later digits are dropped
  }
  return i == pos + 1 ? std::string_view::npos : i - pos;
}

// "Z", "+01:00", "+0100" or "+01": the offset in seconds and bytes used; 0 bytes
// when no zone follows, npos for a malformed one.
size_t parse_zone(std::string_view text, size_t pos, int64_t& offset_s) {
  offset_s = 0;
  if (pos >= text.size()) return 0;
  if (text[pos] == 'Z' || text[pos] == 'z') return 1;
  if (text[pos] != '+' && text[pos] != '-') return 0;
  const int hours = fixed_digits(text, pos + 1, 2);
  if (hours < 0 || hours > 23) return std::string_view::npos;
  size_t used = 3;
  int minutes = 0;
  if (pos + 3 < text.size() && text[pos + 3] == ':') {
    minutes = fixed_digits(text, pos + 4, 2);
    used = 6;
  } else if (is_digit_at(text, pos + 3)) {
    minutes = fixed_digits(text, pos + 3, 2);
    used = 5;
  }
  if (minutes < 0 || minutes > 59) return std::string_view::npos;
  const int64_t magnitude = static_cast<int64_t>(hours) * 3600 + static_cast<int64_t>(minutes) * 60;
  offset_s = text[pos] == '-' ? -magnitude : magnitude;
  return used;
}

int64_t local_seconds(const CivilTime& t) {
  const int64_t days =
      days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  return days * kSecondsPerDay + static_cast<int64_t>(t.hour) * 3600 +
         static_cast<int64_t>(t.minute) * 60 + t.second;
}

}  // namespace

// Howard Hinnant's algorithm: exact over the whole proleptic Gregorian calendar.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = floor_div(year, 400);
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

CivilTime civil_from_us(int64_t us_utc) {
  const int64_t days = floor_div(us_utc, kUsPerDay);
  const int64_t us_of_day = us_utc - days * kUsPerDay;
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (t.month <= 2 ? 1 : 0));
  const int64_t seconds = us_of_day / kUsPerSecond;
  t.hour = static_cast<int>(seconds / 3600);
  t.minute = static_cast<int>(seconds / 60 % 60);
  t.second = static_cast<int>(seconds % 60);
  t.micros = us_of_day % kUsPerSecond;
  return t;
}

int64_t LocalTimeConverter::to_utc_us(const CivilTime& local) {
  const int64_t hour_key =
      ((int64_t{local.year} * 16 + local.month) * 32 + local.day) * 24 + local.hour;
  if (hour_key != cached_hour_key_) load_hour(local, hour_key);
  const int in_hour_s = local.minute * 60 + local.second;
  if (ambiguous_ && in_hour_s + kClockSetBackS < latest_in_hour_s_) {
    hour_start_utc_s_ = later_start_utc_s_;
    ambiguous_ = false;
  }
  if (in_hour_s > latest_in_hour_s_) latest_in_hour_s_ = in_hour_s;
  return (hour_start_utc_s_ + in_hour_s) * kUsPerSecond + local.micros;
}

// The offsets in force half a day before and after the hour are the only
// candidates (zones change offset at most once in a day); each is checked.
// Assumes offsets change on the hour, as in every zone but Lord Howe Island.
void LocalTimeConverter::load_hour(const CivilTime& local, int64_t hour_key) {
  tzset();  // localtime_r need not notice a changed TZ; a cache miss is rare enough
  CivilTime hour = local;
  hour.minute = hour.second = 0;
  const int64_t start = local_seconds(hour);
  const int64_t before = utc_offset_at(start - kSecondsPerDay / 2);
  const int64_t after = utc_offset_at(start + kSecondsPerDay / 2);
  const bool before_fits = offset_fits(start, before);
  const bool after_fits = before != after && offset_fits(start, after);
  // Both fit: the hour repeats; the larger offset names the earlier instant.
  ambiguous_ = before_fits && after_fits;
  if (ambiguous_) {
    hour_start_utc_s_ = start - std::max(before, after);
    later_start_utc_s_ = start - std::min(before, after);
  } else {
    // Neither fits: a skipped hour; mktime reads it with the offset before.
    hour_start_utc_s_ = start - (after_fits ? after : before);
  }
  cached_hour_key_ = hour_key;
  latest_in_hour_s_ = 0;
}

std::optional<int64_t> parse_iso8601(std::string_view text, size_t* consumed,
                                     LocalTimeConverter& local) {
  CivilTime t;
  size_t pos = parse_date_time(text, t);
  if (pos == 0) return std::nullopt;
  const size_t fraction = parse_fraction(text, pos, t.micros);
  if (fraction == std::string_view::npos) return std::nullopt;
  pos += fraction;
  int64_t offset_s = 0;
  const size_t zone = parse_zone(text, pos, offset_s);
  if (zone == std::string_view::npos) return std::nullopt;
  if (consumed != nullptr) *consumed = pos + zone;
  if (zone == 0) return local.to_utc_us(t);
  return (local_seconds(t) - offset_s) * kUsPerSecond + t.micros;
}

std::optional<int64_t> parse_iso8601(std::string_view text, size_t* consumed) {
  LocalTimeConverter local;
  return parse_iso8601(text, consumed, local);
}

std::string format_iso8601_utc(int64_t us_utc) {
  const CivilTime t = civil_from_us(us_utc);
  std::array<char, 64> buf{};
  int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month,
                        t.day, t.hour, t.minute, t.second);
  if (t.micros != 0) {
    n += std::snprintf(buf.data() + n, buf.size() - static_cast<size_t>(n), ".%06lld",
                       static_cast<long long>(t.micros));
  }
  std::string out(buf.data(), static_cast<size_t>(n));
  out += 'Z';
  return out;
}

}  // namespace vigil
