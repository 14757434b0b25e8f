#pragma once
// What rules and thresholds share: a severity, and where in a pack a thing is.

#include <optional>
#include <string>
#include <string_view>

namespace vigil::rules {

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
const char* to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view name);  // "info" ... "critical"

struct Location {
  std::string file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
};

}  // namespace vigil::rules
