#include "rules/ruleset.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
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

// The whole text as a number ("1532", "-2.5", "1e3"); nullopt otherwise.
std::optional<double> number(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool journald_name(std::string_view name) {
  const auto ok = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
         std::all_of(name.begin(), name.end(), ok);
}

bool json_pointer(std::string_view name) {
  if (name.empty() || name[0] != '/' || name.find('"') != std::string_view::npos) return false;
  for (size_t i = name.find('~'); i != std::string_view::npos; i = name.find('~', i + 1)) {
    if (i + 1 >= name.size() || (name[i + 1] != '0' && name[i + 1] != '1')) return false;
  }
  return true;
}

bool fields_admit(const std::map<std::string, std::vector<FieldValue>>& wanted, const Event& e) {
  if (wanted.empty()) return true;
  if (e.fields == nullptr) return false;
  for (const auto& [name, values] : wanted) {
    const std::optional<std::string_view> value = e.fields->field(name);
    if (!value) return false;
    if (!values.empty() && std::none_of(values.begin(), values.end(),
                                        [&](const FieldValue& v) { return v.accepts(*value); })) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool valid_field_name(std::string_view name) {
  // "duration": ingest::kDurationField, the name JSON events answer their mapped duration by.
  return json_pointer(name) || journald_name(name) || name == "duration";
}

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

bool valid_capture_name(std::string_view name) {
  const auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
         std::all_of(name.begin(), name.end(), word);
}

std::optional<FieldValue> parse_field_value(std::string_view written) {
  FieldValue v;
  v.text = std::string(written);
  struct Form {
    std::string_view prefix;
    FieldValue::Op op;
  };
  // Two-character forms first, so that ">=" is not read as ">" and "=1".
  for (const Form& f : {Form{">=", FieldValue::Op::kAtLeast}, Form{"<=", FieldValue::Op::kAtMost},
                        Form{">", FieldValue::Op::kAbove}, Form{"<", FieldValue::Op::kBelow}}) {
    if (!written.starts_with(f.prefix)) continue;
    std::string_view rest = written.substr(f.prefix.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const auto bound = number(rest);
    if (!bound) return std::nullopt;
    v.op = f.op;
    v.bound = *bound;
    return v;
  }
  return v;
}

bool FieldValue::accepts(std::string_view value) const {
  if (op == Op::kEquals) return value == text;
  const auto n = number(value);
  if (!n) return false;
  switch (op) {
    case Op::kAtLeast:
      return *n >= bound;
    case Op::kAbove:
      return *n > bound;
    case Op::kAtMost:
      return *n <= bound;
    case Op::kBelow:
      return *n < bound;
    case Op::kEquals:
      break;
  }
  return false;
}

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
  if (!admits_priority(e.priority)) return false;
  if (!sources.empty()) {
    const std::string_view name = basename(e.source);
    if (std::none_of(sources.begin(), sources.end(),
                     [&](const std::string& glob) { return glob_matches(glob, name); })) {
      return false;
    }
  }
  return fields_admit(fields, e);  // last: a lookup may re-read a JSON line
}

bool Selector::admits_priority(int priority) const {
  if (!priorities.empty() && !contains(priorities, priority)) return false;
  return max_priority < 0 || (priority >= 0 && priority <= max_priority);
}

CaptureType Rule::capture_type(std::string_view name) const {
  for (const NamedCapture& c : captures) {
    if (c.name == name) return c.type;
  }
  return CaptureType::kString;
}

}  // namespace vigil::rules
