#include "rules/threshold.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace vigil::rules {
namespace {

constexpr int64_t kSecondUs = 1000000;
// Enough digits for 7 days in seconds, few enough that any unit fits 64 bits.
constexpr size_t kMaxWindowDigits = 7;

std::optional<int64_t> unit_us(char unit) {
  switch (unit) {
    case 's':
      return kSecondUs;
    case 'm':
      return 60 * kSecondUs;
    case 'h':
      return 3600 * kSecondUs;
    case 'd':
      return 86400 * kSecondUs;
    default:
      return std::nullopt;
  }
}

}  // namespace

const char* to_string(Threshold::Kind kind) {
  static constexpr std::array<const char*, 3> kNames = {"count", "distinct", "sequence"};
  return kNames.at(static_cast<size_t>(kind));
}

std::optional<int64_t> parse_window(std::string_view text) {
  if (text == "0") return 0;
  if (text.size() < 2) return std::nullopt;
  const auto unit = unit_us(text.back());
  const std::string_view digits = text.substr(0, text.size() - 1);
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!unit || digits.size() > kMaxWindowDigits ||
      !std::all_of(digits.begin(), digits.end(), is_digit)) {
    return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value * *unit;
}

}  // namespace vigil::rules
