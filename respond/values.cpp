#include "respond/values.h"

#include <algorithm>
#include <array>

#include "rules/capture_types.h"

namespace vigil::respond {
namespace {

constexpr size_t kMaxUser = 32;  // useradd's limit, without the trailing '$'
constexpr size_t kMaxUnit = 255;
constexpr size_t kMaxText = 1024;

constexpr std::array<std::string_view, 11> kUnitSuffixes = {
    ".service", ".socket", ".target", ".timer",  ".mount",    ".path",
    ".scope",   ".slice",  ".swap",   ".device", ".automount"};

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

bool has_control(std::string_view s) {
  return std::ranges::any_of(s, [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "'x'" for a printable character, "byte 0xNN" for anything else.
std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f) return std::string("'") + c + "'";
  if (u == ' ') return "a space";
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
}

// The checks every type shares, in the order a reader expects the reasons.
bool common_checks(std::string_view raw, size_t max, std::string& why) {
  if (raw.empty()) {
    why = "is empty";
  } else if (raw.size() > max) {
    why = "longer than " + std::to_string(max) + " bytes";
  } else if (has_control(raw)) {
    why = "contains a control character";
  } else if (raw.front() == '-') {
    why = "starts with '-'";  // it would read as an option
  } else {
    return true;
  }
  return false;
}

std::optional<std::string> validate_ip(std::string_view raw, std::string& why) {
  std::string canonical;
  if (rules::normalize_ip(raw, canonical)) return canonical;
  const size_t slash = raw.find('/');
  const bool range =
      slash != std::string_view::npos && rules::normalize_ip(raw.substr(0, slash), canonical);
  why = range ? "not an IP address (a CIDR range)" : "not an IP address";
  return std::nullopt;
}

bool user_char(char c) {
  return is_lower(c) || is_digit(c) || c == '_' || c == '-';
}

std::optional<std::string> validate_user(std::string_view raw, std::string& why) {
  std::string_view name = raw;
  if (name.ends_with('$')) name.remove_suffix(1);  // a Samba machine account
  if (!common_checks(name, kMaxUser, why)) return std::nullopt;
  if (!is_lower(name.front()) && name.front() != '_') {
    why = "must start with a lowercase letter or '_'";
    return std::nullopt;
  }
  for (const char c : name) {
    if (!user_char(c)) {
      why = "contains " + describe(c) + ", not allowed in a user name";
      return std::nullopt;
    }
  }
  return std::string(raw);
}

bool unit_char(char c) {
  return is_lower(c) || is_upper(c) || is_digit(c) || c == ':' || c == '_' || c == '.' ||
         c == '\\' || c == '@' || c == '-';
}

bool has_unit_suffix(std::string_view raw) {
  return std::ranges::any_of(kUnitSuffixes, [raw](std::string_view suffix) {
    return raw.size() > suffix.size() && raw.ends_with(suffix);
  });
}

std::optional<std::string> validate_unit(std::string_view raw, std::string& why) {
  if (!common_checks(raw, kMaxUnit, why)) return std::nullopt;
  if (raw.front() == '.') {
    why = "starts with '.'";
    return std::nullopt;
  }
  for (const char c : raw) {
    if (!unit_char(c)) {
      why = "contains " + describe(c) + ", not allowed in a unit name";
      return std::nullopt;
    }
  }
  if (!has_unit_suffix(raw)) {
    why = "does not end in a unit suffix (.service, .socket, .timer, ...)";
    return std::nullopt;
  }
  if (raw.substr(0, raw.rfind('.')).ends_with('@')) {
    why = "is a unit template (no instance after '@')";
    return std::nullopt;
  }
  return std::string(raw);
}

std::optional<std::string> validate_text(std::string_view raw, std::string& why) {
  if (!common_checks(raw, kMaxText, why)) return std::nullopt;
  for (const char c : raw) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      why = "contains a non-ASCII byte";
      return std::nullopt;
    }
  }
  return std::string(raw);
}

}  // namespace

std::optional<ValueType> parse_value_type(std::string_view name) {
  if (name == "ip") return ValueType::kIp;
  if (name == "user") return ValueType::kUser;
  if (name == "unit") return ValueType::kUnit;
  if (name == "text") return ValueType::kText;
  return std::nullopt;
}

const char* to_string(ValueType type) {
  switch (type) {
    case ValueType::kIp:
      return "ip";
    case ValueType::kUser:
      return "user";
    case ValueType::kUnit:
      return "unit";
    case ValueType::kText:
      return "text";
  }
  return "?";
}

std::optional<std::string> validate_value(ValueType type, std::string_view raw, std::string& why) {
  switch (type) {
    case ValueType::kIp:
      return validate_ip(raw, why);
    case ValueType::kUser:
      return validate_user(raw, why);
    case ValueType::kUnit:
      return validate_unit(raw, why);
    case ValueType::kText:
      return validate_text(raw, why);
  }
  why = "unknown value type";
  return std::nullopt;
}

}  // namespace vigil::respond
