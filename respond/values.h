#pragma once
// Validation of every value substituted into a response command. The values
// come from log text an attacker can write, and the command runs as root: each
// type admits only what its consumer (iptables, usermod, systemctl, ...) needs,
// never anything that could read as an option, a second argument or shell text.

#include <optional>
#include <string>
#include <string_view>

namespace vigil::respond {

enum class ValueType {
  kIp,    // an IPv4 or IPv6 address, canonical form; never a range or a host name
  kUser,  // a login name: ^[a-z_][a-z0-9_-]{0,31}\$?$ (Debian's NAME_REGEX family)
  kUnit,  // a systemd unit name with a known suffix (.service, .timer, ...)
  kText,  // printable ASCII, 1..1024 bytes, not starting with '-' (a threshold id, ...)
};

// "ip", "user", "unit", "text"; nullopt for anything else.
std::optional<ValueType> parse_value_type(std::string_view name);
const char* to_string(ValueType type);

// The value as it may be put in an argv (an IP in canonical form, the others
// unchanged), or nullopt with `why` set to the reason ("not an IP address",
// "starts with '-'", "contains a control character", "longer than 32 bytes", ...).
// `why` never quotes the value: it is attacker text and may be huge.
std::optional<std::string> validate_value(ValueType type, std::string_view raw, std::string& why);

}  // namespace vigil::respond
