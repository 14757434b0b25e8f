#include "ingest/json_values.h"

#include <charconv>
#include <cmath>

#include "core/event.h"
#include "ingest/scan.h"

namespace vigil::ingest::json {
namespace {

// 9999-12-31T23:59:59.999999Z and 0001-01-01T00:00:00Z, in µs.
constexpr int64_t kMaxUs = 253402300799999999;
constexpr int64_t kMinUs = -62135596800000000;

size_t skip_digits(std::string_view s, size_t pos) {
  while (scan::is_digit_at(s, pos)) ++pos;
  return pos;
}

struct Decimal {
  bool negative = false;
  std::string_view integer;   // digits
  std::string_view fraction;  // digits, may be empty
  bool exponent = false;
};

// Splits a JSON number token; nullopt when it is not one.
std::optional<Decimal> split(std::string_view s) {
  Decimal d;
  size_t pos = 0;
  if (scan::char_at(s, pos, '-')) d.negative = true, ++pos;
  const size_t int_end = skip_digits(s, pos);
  if (int_end == pos || (s[pos] == '0' && int_end > pos + 1)) return std::nullopt;
  d.integer = s.substr(pos, int_end - pos);
  pos = int_end;
  if (scan::char_at(s, pos, '.')) {
    const size_t frac_end = skip_digits(s, pos + 1);
    if (frac_end == pos + 1) return std::nullopt;
    d.fraction = s.substr(pos + 1, frac_end - pos - 1);
    pos = frac_end;
  }
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) ++pos;
    const size_t exp_end = skip_digits(s, pos);
    if (exp_end == pos) return std::nullopt;
    d.exponent = true;
    pos = exp_end;
  }
  if (pos != s.size()) return std::nullopt;
  return d;
}

// Microseconds per unit of an epoch number whose integer part is `magnitude`;
// 0 stands for nanoseconds (a division, not a factor).
int64_t unit_us(double magnitude) {
  if (magnitude < 1e11) return 1000000;
  if (magnitude < 1e14) return 1000;
  if (magnitude < 1e17) return 1;
  return 0;
}

std::optional<int64_t> in_range(int64_t us) {
  if (us < kMinUs || us > kMaxUs) return std::nullopt;
  return us;
}

// Numbers with an exponent ("1.7327751e9", as zap writes them) go through a double.
std::optional<int64_t> epoch_from_double(std::string_view token) {
  double value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e19) return std::nullopt;
  const int64_t unit = unit_us(magnitude);
  const double us = unit == 0 ? value / 1000 : value * static_cast<double>(unit);
  return in_range(std::llround(us));
}

}  // namespace

bool is_number(std::string_view token) {
  return split(token).has_value();
}

std::optional<int64_t> epoch_us(std::string_view number) {
  const auto d = split(number);
  if (!d) return std::nullopt;
  if (d->exponent) return epoch_from_double(number);
  if (d->integer.size() > 19) return std::nullopt;
  uint64_t integer = 0;
  for (char c : d->integer) integer = integer * 10 + static_cast<uint64_t>(c - '0');
  if (integer > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  const int64_t unit = unit_us(static_cast<double>(integer));
  int64_t us = 0;
  if (unit == 0) {
    us = static_cast<int64_t>(integer / 1000);
  } else {
    us = static_cast<int64_t>(integer) * unit;
    // The fraction's first digits down to the microsecond: 6 for s, 3 for ms.
    int64_t scale = unit;
    for (size_t i = 0; i < d->fraction.size() && scale > 1; ++i) {
      scale /= 10;
      us += (d->fraction[i] - '0') * scale;
    }
  }
  return in_range(d->negative ? -us : us);
}

int numeric_level(std::string_view number) {
  if (number.empty() || number.size() > 2) return -1;
  int value = 0;
  for (char c : number) {
    if (!scan::is_digit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  if (value <= kDebug) return value;
  switch (value) {
    case 10:  // trace
    case 20:
      return kDebug;
    case 30:
      return kInfo;
    case 40:
      return kWarning;
    case 50:
      return kErr;
    case 60:
      return kCrit;
    default:
      return -1;
  }
}

}  // namespace vigil::ingest::json
