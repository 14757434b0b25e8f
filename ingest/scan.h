#pragma once
// Byte helpers for the line parsers (private to ingest/). Hand-written because the
// hot path must not touch locales, sscanf or regexes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace vigil::ingest::scan {

inline bool is_digit(char c) {
  return static_cast<unsigned char>(c) - unsigned{'0'} <= 9;
}

inline bool is_digit_at(std::string_view s, size_t pos) {
  return pos < s.size() && is_digit(s[pos]);
}

inline bool char_at(std::string_view s, size_t pos, char c) {
  return pos < s.size() && s[pos] == c;
}

// Index of the first `c` at or after `pos`, or s.size() when there is none.
inline size_t find_or_end(std::string_view s, size_t pos, char c) {
  if (pos >= s.size()) return s.size();
  const void* hit = std::memchr(s.data() + pos, c, s.size() - pos);
  return hit == nullptr ? s.size() : static_cast<size_t>(static_cast<const char*>(hit) - s.data());
}

inline size_t skip_spaces(std::string_view s, size_t pos) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  return pos;
}

// A pid of 1-10 digits that fits int32_t, else -1.
inline int32_t parse_pid(std::string_view digits) {
  if (digits.empty() || digits.size() > 10) return -1;
  int64_t value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value > INT32_MAX ? -1 : static_cast<int32_t>(value);
}

}  // namespace vigil::ingest::scan
