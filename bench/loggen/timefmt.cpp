#include "loggen/timefmt.h"

#include <array>
#include <cctype>

namespace loggen {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = floor_div(y, 400);
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, Civil& c) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2 ? 1 : 0);
}

void append_digits(std::string& out, uint64_t value, int width) {
  std::array<char, 20> buf{};
  for (int i = width - 1; i >= 0; --i) {
    buf[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf.data(), static_cast<size_t>(width));
}

void append_date(std::string& out, const Civil& c) {
  append_digits(out, static_cast<uint64_t>(c.year), 4);
  out.push_back('-');
  append_digits(out, c.month, 2);
  out.push_back('-');
  append_digits(out, c.day, 2);
}

void append_clock(std::string& out, const Civil& c) {
  append_digits(out, c.hour, 2);
  out.push_back(':');
  append_digits(out, c.minute, 2);
  out.push_back(':');
  append_digits(out, c.second, 2);
}

// Reads exactly `width` digits at text[pos]; advances pos.
std::optional<unsigned> read_digits(std::string_view text, size_t& pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  unsigned value = 0;
  for (size_t i = 0; i < width; ++i) {
    const char ch = text[pos + i];
    if (std::isdigit(static_cast<unsigned char>(ch)) == 0) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(ch - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, size_t& pos, char ch) {
  if (pos >= text.size() || text[pos] != ch) return false;
  ++pos;
  return true;
}

// Fraction after the seconds: ".123" -> 123000 µs; digits beyond six are ignored.
unsigned read_fraction(std::string_view text, size_t& pos) {
  if (pos >= text.size() || text[pos] != '.') return 0;
  ++pos;
  unsigned micros = 0;
  unsigned scale = 100000;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
    micros += static_cast<unsigned>(text[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return micros;
}

// "Z", "+HH:MM" or "-HH:MM" at the end; returns the offset in seconds east of UTC.
std::optional<int64_t> read_zone(std::string_view text, size_t& pos) {
  if (expect(text, pos, 'Z')) return 0;
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  const int64_t sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  const auto hours = read_digits(text, pos, 2);
  if (!hours || !expect(text, pos, ':')) return std::nullopt;
  const auto minutes = read_digits(text, pos, 2);
  if (!minutes) return std::nullopt;
  return sign * (static_cast<int64_t>(*hours) * 3600 + static_cast<int64_t>(*minutes) * 60);
}

constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

Civil civil_from_us(int64_t us) {
  Civil c;
  const int64_t days = floor_div(us, kUsPerDay);
  int64_t rest = us - days * kUsPerDay;
  civil_from_days(days, c);
  c.hour = static_cast<unsigned>(rest / kUsPerHour);
  rest %= kUsPerHour;
  c.minute = static_cast<unsigned>(rest / kUsPerMin);
  rest %= kUsPerMin;
  c.second = static_cast<unsigned>(rest / kUsPerSec);
  c.micros = static_cast<unsigned>(rest % kUsPerSec);
  return c;
}

int64_t us_from_civil(const Civil& c) {
  return days_from_civil(c.year, c.month, c.day) * kUsPerDay + c.hour * kUsPerHour +
         c.minute * kUsPerMin + c.second * kUsPerSec + c.micros;
}

std::optional<int64_t> parse_timestamp(std::string_view text) {
  size_t pos = 0;
  Civil c;
  const auto year = read_digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = read_digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  const auto day = read_digits(text, pos, 2);
  if (!day || !expect(text, pos, 'T')) return std::nullopt;
  const auto hour = read_digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = read_digits(text, pos, 2);
  if (!minute || !expect(text, pos, ':')) return std::nullopt;
  const auto second = read_digits(text, pos, 2);
  if (!second) return std::nullopt;
  c.year = *year;
  c.month = *month;
  c.day = *day;
  c.hour = *hour;
  c.minute = *minute;
  c.second = *second;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour > 23 || c.minute > 59 ||
      c.second > 60) {
    return std::nullopt;
  }
  c.micros = read_fraction(text, pos);
  const auto zone = read_zone(text, pos);
  if (!zone || pos != text.size()) return std::nullopt;
  return us_from_civil(c) - *zone * kUsPerSec;
}

std::optional<int64_t> parse_duration_us(std::string_view text) {
  size_t pos = 0;
  int64_t value = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
    value = value * 10 + (text[pos] - '0');
    if (value > 100'000'000) return std::nullopt;
    ++pos;
  }
  if (pos == 0 || value == 0) return std::nullopt;
  const std::string_view unit = text.substr(pos);
  if (unit.empty() || unit == "s") return value * kUsPerSec;
  if (unit == "m") return value * kUsPerMin;
  if (unit == "h") return value * kUsPerHour;
  if (unit == "d") return value * kUsPerDay;
  return std::nullopt;
}

void append_rfc3164(std::string& out, int64_t us) {
  const Civil c = civil_from_us(us);
  out.append(kMonthNames[c.month - 1]);
  out.push_back(' ');
  out.push_back(c.day < 10 ? ' ' : static_cast<char>('0' + c.day / 10));
  out.push_back(static_cast<char>('0' + c.day % 10));
  out.push_back(' ');
  append_clock(out, c);
}

void append_rfc3339(std::string& out, int64_t us) {
  const Civil c = civil_from_us(us);
  append_date(out, c);
  out.push_back('T');
  append_clock(out, c);
  out.push_back('.');
  append_digits(out, c.micros, 6);
  out.append("+00:00");
}

void append_app_time(std::string& out, int64_t us) {
  const Civil c = civil_from_us(us);
  append_date(out, c);
  out.push_back('T');
  append_clock(out, c);
  out.push_back('.');
  append_digits(out, c.micros / 1000, 3);
  out.push_back('Z');
}

}  // namespace loggen
