#include "respond/responses.h"

#include <array>
#include <utility>

namespace vigil::respond {
namespace {

constexpr std::array<std::pair<ResponseKind, const char*>, 6> kKinds = {{
    {ResponseKind::kBanIp, "ban_ip"},
    {ResponseKind::kIsolate, "isolate"},
    {ResponseKind::kEvidence, "evidence"},
    {ResponseKind::kNotify, "notify"},
    {ResponseKind::kRestartUnit, "restart_unit"},
    {ResponseKind::kCommand, "command"},
}};

}  // namespace

const char* to_string(ResponseKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "command";
}

std::optional<ResponseKind> parse_response_kind(std::string_view name) {
  for (const auto& [k, text] : kKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

const std::map<std::string, ValueType>& template_value_types() {
  static const std::map<std::string, ValueType> types = {
      {"ip", ValueType::kIp},         {"address", ValueType::kIp},  // isolate: a management address
      {"user", ValueType::kUser},     {"unit", ValueType::kUnit},  {"threshold", ValueType::kText},
      {"severity", ValueType::kText},
  };
  return types;
}

}  // namespace vigil::respond
