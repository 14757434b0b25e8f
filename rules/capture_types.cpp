#include "rules/capture_types.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

#include "core/ip.h"

namespace vigil::rules {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view strip_brackets(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
  return s;
}

// A duration unit as a multiple of nanoseconds: mantissa * 10^exponent, so
// that a decimal fraction scales exactly (1.5h = 15 * 36 * 10^10 ns).
struct Unit {
  std::string_view name;
  uint64_t mantissa;
  int exponent;
};

// Longest names first, so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 8> kUnits = {{
    {"ms", 1, 6},
    {"us", 1, 3},
    {"\xC2\xB5s", 1, 3},  // µs, MICRO SIGN
    {"\xCE\xBCs", 1, 3},  // μs, GREEK SMALL LETTER MU (what Go prints)
    {"ns", 1, 0},
    {"s", 1, 9},
    {"m", 6, 10},
    {"h", 36, 11},
}};
constexpr Unit kDefaultUnit = {"", 1, 6};  // a bare number is milliseconds

constexpr int kMaxDigits = 18;  // every 18-digit number fits uint64_t
constexpr std::array<uint64_t, kMaxDigits + 1> powers_of_ten() {
  std::array<uint64_t, kMaxDigits + 1> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr auto kPow10 = powers_of_ten();

// A decimal number as digits * 10^-fraction_digits.
struct Decimal {
  uint64_t digits = 0;
  int fraction_digits = 0;
};

// Reads "123" or "1.25" at the front of `s` and removes it. Fraction digits
// past what 64 bits hold are dropped (sub-nanosecond precision).
std::optional<Decimal> take_number(std::string_view& s) {
  Decimal d;
  size_t i = 0;
  int significant = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (significant == kMaxDigits) return std::nullopt;  // too large for any duration we keep
    if (significant > 0 || s[i] != '0') ++significant;
    d.digits = d.digits * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    const size_t first = ++i;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (significant == kMaxDigits) continue;
      if (significant > 0 || s[i] != '0') ++significant;
      d.digits = d.digits * 10 + static_cast<uint64_t>(s[i] - '0');
      ++d.fraction_digits;
    }
    if (i == first) return std::nullopt;  // "1." is not a number
  }
  s.remove_prefix(i);
  return d;
}

std::optional<Unit> take_unit(std::string_view& s) {
  for (const Unit& u : kUnits) {
    if (s.starts_with(u.name)) {
      s.remove_prefix(u.name.size());
      return u;
    }
  }
  return std::nullopt;
}

// value * unit in nanoseconds, rounded to the nearest; nullopt on overflow.
std::optional<uint64_t> to_nanoseconds(const Decimal& value, const Unit& unit) {
  const int shift = unit.exponent - value.fraction_digits;
  uint64_t scaled = value.digits;
  if (shift < -kMaxDigits) {
    scaled = 0;  // digits < 10^18: far below half a nanosecond
  } else if (shift < 0) {
    const uint64_t divisor = kPow10[-shift];
    scaled = scaled / divisor + (scaled % divisor >= divisor / 2 ? 1 : 0);
  } else if (__builtin_mul_overflow(scaled, kPow10[shift], &scaled)) {
    return std::nullopt;
  }
  uint64_t ns = 0;
  if (__builtin_mul_overflow(scaled, unit.mantissa, &ns)) return std::nullopt;
  return ns;
}

// Whole milliseconds, then up to six decimals without trailing zeros.
void write_milliseconds(uint64_t ns, std::string& out) {
  std::array<char, 32> text{};
  char* end = std::to_chars(text.data(), text.data() + text.size(), ns / 1000000).ptr;
  uint64_t fraction = ns % 1000000;
  if (fraction != 0) {
    std::array<char, 6> decimals{};
    for (auto d = decimals.rbegin(); d != decimals.rend(); ++d, fraction /= 10) {
      *d = static_cast<char>('0' + fraction % 10);
    }
    size_t length = decimals.size();
    while (decimals[length - 1] == '0') --length;
    *end++ = '.';
    end = std::copy_n(decimals.begin(), length, end);
  }
  out.assign(text.data(), end);
}

// Sums the terms of `s`; a bare number (no unit) is milliseconds, but only on
// its own: in "1m30" the unit of 30 would be a guess.
std::optional<uint64_t> duration_ns(std::string_view s) {
  uint64_t total = 0;
  bool first = true;
  do {
    const auto value = take_number(s);
    if (!value) return std::nullopt;
    std::string_view rest = s.substr(std::min(s.find_first_not_of(' '), s.size()));
    auto unit = take_unit(rest);
    if (unit) {
      s = rest;
    } else if (first && s.empty()) {
      unit = kDefaultUnit;
    } else {
      return std::nullopt;
    }
    const auto ns = to_nanoseconds(*value, *unit);
    if (!ns || __builtin_add_overflow(total, *ns, &total)) return std::nullopt;
    first = false;
  } while (!s.empty());
  return total;
}

}  // namespace

bool normalize_ip(std::string_view raw, std::string& out) {
  const auto ip = parse_ip(strip_brackets(raw));
  if (!ip) return false;
  assign_canonical(*ip, out);
  return true;
}

bool normalize_int(std::string_view raw, std::string& out) {
  std::string_view digits = raw;
  const bool plus = digits.starts_with('+');  // from_chars accepts '-' only
  if (plus) digits.remove_prefix(1);
  if (plus && digits.starts_with('-')) return false;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return false;
  std::array<char, 24> text{};
  out.assign(text.data(), std::to_chars(text.data(), text.data() + text.size(), value).ptr);
  return true;
}

bool normalize_duration(std::string_view raw, std::string& out) {
  const auto ns = duration_ns(raw);
  if (!ns) return false;
  write_milliseconds(*ns, out);
  return true;
}

bool normalize_capture(CaptureType type, std::string_view raw, std::string& buffer,
                       std::string_view& value) {
  bool ok = true;
  switch (type) {
    case CaptureType::kString:
    case CaptureType::kUser:
      value = raw;
      return true;
    case CaptureType::kIp:
      ok = normalize_ip(raw, buffer);
      break;
    case CaptureType::kInt:
      ok = normalize_int(raw, buffer);
      break;
    case CaptureType::kDuration:
      ok = normalize_duration(raw, buffer);
      break;
  }
  value = buffer;
  return ok;
}

}  // namespace vigil::rules
