#pragma once
// Level words of application logs ("ERROR", "warn", "[INFO]", "Fatal:") to syslog
// priorities. Private to ingest/: the app-line and JSON-line parsers share it.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/event.h"

namespace vigil::ingest::detail {

struct LevelWord {
  std::string_view word;
  int8_t priority;
};
inline constexpr auto kLevelWords = std::to_array<LevelWord>({
    {"ERROR", kErr},
    {"WARN", kWarning},
    {"INFO", kInfo},
    {"DEBUG", kDebug},
    {"TRACE", kDebug},
    {"WARNING", kWarning},
    {"ERR", kErr},
    {"NOTICE", kNotice},
    {"FATAL", kCrit},
    {"CRITICAL", kCrit},
    {"CRIT", kCrit},
});

// Syslog priority of a level word in any case, optionally bracketed ("[warn]") or
// followed by a colon ("Info:"); -1 when the token is not one.
inline int level_priority(std::string_view token) {
  if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
    token = token.substr(1, token.size() - 2);
  } else if (!token.empty() && token.back() == ':') {
    token.remove_suffix(1);
  }
  std::array<char, 8> upper{};
  if (token.size() < 3 || token.size() > upper.size()) return -1;
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    upper[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string_view word(upper.data(), token.size());
  for (const LevelWord& level : kLevelWords) {
    if (level.word == word) return level.priority;
  }
  return -1;
}

}  // namespace vigil::ingest::detail
