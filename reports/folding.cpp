#include "reports/folding.h"

#include <array>
#include <cctype>
#include <cmath>
#include <ctime>

namespace vigil::reports {
namespace {

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// A run of hex digits, dots, colons and dashes starting at `i`: the token the
// folding rules classify.
size_t token_end(std::string_view s, size_t i) {
  while (i < s.size() && (is_hex(s[i]) || s[i] == '.' || s[i] == ':' || s[i] == '-')) ++i;
  return i;
}

bool looks_ipv4(std::string_view t) {
  int dots = 0;
  for (char c : t) {
    if (c == '.') {
      ++dots;
    } else if (!is_digit(c)) {
      return false;
    }
  }
  return dots == 3 && t.front() != '.' && t.back() != '.';
}

// Full form (7 colons) or compressed ("::"); a clock time "10:00:01" is neither.
bool looks_ipv6(std::string_view t) {
  int colons = 0;
  for (char c : t) {
    if (c == ':') {
      ++colons;
    } else if (!is_hex(c) && c != '.') {
      return false;
    }
  }
  return colons == 7 || (colons >= 2 && t.find("::") != std::string_view::npos);
}

// "10.0.0.7:5432": an IPv4 address with a port.
bool looks_ipv4_port(std::string_view t) {
  const size_t colon = t.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == t.size()) return false;
  for (char c : t.substr(colon + 1)) {
    if (!is_digit(c)) return false;
  }
  return looks_ipv4(t.substr(0, colon));
}

// 8+ hex digits with both a digit and a letter, dashes allowed (UUIDs); a
// date "2026-11-28" has no letter and folds as numbers.
bool looks_hex_id(std::string_view t) {
  size_t hex = 0;
  bool digit = false;
  bool letter = false;
  for (char c : t) {
    if (c == '-') continue;
    if (!is_hex(c)) return false;
    ++hex;
    digit = digit || is_digit(c);
    letter = letter || !is_digit(c);
  }
  return hex >= 8 && digit && letter;
}

// What a token that starts a word stands for in a folded message: "<ip>",
// "<ip>:<n>" or "<id>"; null when it is none of those.
const char* token_placeholder(std::string_view token) {
  if (looks_ipv4(token) || looks_ipv6(token)) return "<ip>";
  if (looks_ipv4_port(token)) return "<ip>:<n>";
  if (looks_hex_id(token)) return "<id>";
  return nullptr;
}

// The end of the number at message[i]: digits, with single dots between them.
size_t number_end(std::string_view message, size_t i) {
  while (i < message.size() &&
         (is_digit(message[i]) ||
          (message[i] == '.' && i + 1 < message.size() && is_digit(message[i + 1])))) {
    ++i;
  }
  return i;
}

}  // namespace

std::string fold_message(std::string_view message) {
  std::string out;
  size_t i = 0;
  while (i < message.size()) {
    const bool at_word_start = i == 0 || !is_word(message[i - 1]);
    if (at_word_start && is_hex(message[i])) {
      size_t end = token_end(message, i);
      while (end > i &&
             (message[end - 1] == '.' || message[end - 1] == ':' || message[end - 1] == '-')) {
        --end;
      }
      const bool word_ends = end >= message.size() || !is_word(message[end]);
      const char* placeholder = word_ends ? token_placeholder(message.substr(i, end - i)) : nullptr;
      if (placeholder != nullptr) {
        out += placeholder;
        i = end;
        continue;
      }
    }
    if (is_digit(message[i]) &&
        (i == 0 || std::isalpha(static_cast<unsigned char>(message[i - 1])) == 0)) {
      i = number_end(message, i);
      out += "<n>";
      continue;
    }
    out += message[i++];
  }
  return out;
}

std::optional<double> parse_duration_ms(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double value = 0;
  try {
    value = std::stod(std::string(text.substr(0, i)));
  } catch (...) {
    return std::nullopt;
  }
  const std::string_view unit = text.substr(i);
  if (unit.empty() || unit == "ms") return value;
  if (unit == "us" || unit == "\xC2\xB5s") return value / 1000.0;
  if (unit == "s") return value * 1000.0;
  if (unit == "m") return value * 60'000.0;
  if (unit == "h") return value * 3'600'000.0;
  return std::nullopt;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[rank == 0 ? 0 : rank - 1];
}

namespace {
std::string local_format(int64_t us_utc, const char* format) {
  const auto seconds =
      static_cast<time_t>(us_utc >= 0 ? us_utc / 1'000'000 : (us_utc - 999'999) / 1'000'000);
  struct tm tm {};
  localtime_r(&seconds, &tm);
  std::array<char, 64> buffer{};
  const size_t n = std::strftime(buffer.data(), buffer.size(), format, &tm);
  return {buffer.data(), n};
}
}  // namespace

std::string local_time_text(int64_t us_utc) {
  return local_format(us_utc, "%Y-%m-%d %H:%M:%S");
}
std::string local_hhmm(int64_t us_utc) {
  return local_format(us_utc, "%H:%M");
}

}  // namespace vigil::reports
