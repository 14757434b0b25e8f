#include "rules/ruleset.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace vigil::rules {
namespace {

constexpr std::array<const char*, 5> kSeverityNames = {"info", "low", "medium", "high", "critical"};
constexpr std::array<const char*, 5> kCaptureTypeNames = {"string", "ip", "user", "int",
                                                          "duration"};
constexpr std::array<const char*, 8> kPriorityNames = {"emerg",   "alert",  "crit", "err",
                                                       "warning", "notice", "info", "debug"};

template <size_t N>
std::optional<size_t> index_of(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return i;
  }
  return std::nullopt;
}

std::string_view basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// fnmatch wants NUL-terminated text; a file name fits the stack buffer, so the
// selector costs no allocation on the hot path.
bool glob_matches(const std::string& pattern, std::string_view name) {
  std::array<char, 256> buffer{};
  if (name.size() < buffer.size()) {
    std::memcpy(buffer.data(), name.data(), name.size());
    buffer[name.size()] = '\0';
    return fnmatch(pattern.c_str(), buffer.data(), 0) == 0;
  }
  return fnmatch(pattern.c_str(), std::string(name).c_str(), 0) == 0;
}

template <typename T, typename U>
bool contains(const std::vector<T>& list, const U& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

const char* to_string(Severity s) {
  return kSeverityNames.at(static_cast<size_t>(s));
}

std::optional<Severity> parse_severity(std::string_view name) {
  const auto i = index_of(kSeverityNames, name);
  return i ? std::optional(static_cast<Severity>(*i)) : std::nullopt;
}

const char* to_string(CaptureType t) {
  return kCaptureTypeNames.at(static_cast<size_t>(t));
}

std::optional<CaptureType> parse_capture_type(std::string_view name) {
  const auto i = index_of(kCaptureTypeNames, name);
  return i ? std::optional(static_cast<CaptureType>(*i)) : std::nullopt;
}

std::optional<int> parse_priority(std::string_view name) {
  const auto i = index_of(kPriorityNames, name);
  return i ? std::optional(static_cast<int>(*i)) : std::nullopt;
}

const char* priority_name(int priority) {
  if (priority < 0 || priority >= static_cast<int>(kPriorityNames.size())) return "unknown";
  // cppcheck-suppress CastIntegerToAddressAtReturn ; false positive: elements are const char*
  return kPriorityNames[static_cast<size_t>(priority)];
}

bool Selector::admits(const Event& e) const {
  if (!programs.empty() && !contains(programs, e.program)) return false;
  if (!units.empty() && !contains(units, e.unit)) return false;
  if (!priorities.empty() && !contains(priorities, static_cast<int>(e.priority))) return false;
  if (max_priority >= 0 && (e.priority < 0 || e.priority > max_priority)) return false;
  if (sources.empty()) return true;
  const std::string_view name = basename(e.source);
  return std::any_of(sources.begin(), sources.end(),
                     [&](const std::string& glob) { return glob_matches(glob, name); });
}

CaptureType Rule::capture_type(std::string_view name) const {
  for (const NamedCapture& c : captures) {
    if (c.name == name) return c.type;
  }
  return CaptureType::kString;
}

}  // namespace vigil::rules
