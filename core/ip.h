#pragma once
// IP addresses and CIDR blocks, for allowlists. IPv4 and IPv6 are separate
// families: an IPv4-mapped IPv6 address ("::ffff:1.2.3.4") is read as IPv4, and a
// block of one family never contains an address of the other.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4
  bool v4 = false;

  bool operator==(const IpAddress&) const = default;
};

// "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1" (becomes IPv4). No brackets, no
// zone ("%eth0"), no surrounding space.
std::optional<IpAddress> parse_ip(std::string_view text);

// inet_ntop's canonical form: "192.0.2.1", "2001:db8::1".
std::string to_string(const IpAddress& ip);
// The same, replacing `out`'s contents; no allocation once `out` has grown
// (this runs for every captured address).
void assign_canonical(const IpAddress& ip, std::string& out);

struct Cidr {
  IpAddress base;  // host bits cleared
  int prefix = 0;  // 0-32 for IPv4, 0-128 for IPv6

  bool contains(const IpAddress& ip) const;
};

// "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 (IPv4) or /128 (IPv6).
// Host bits may be set ("10.1.2.3/8" is 10.0.0.0/8). An IPv4-mapped block
// ("::ffff:10.0.0.0/104") is the IPv4 block (10.0.0.0/8); one shorter than /96
// would mix families and is refused.
std::optional<Cidr> parse_cidr(std::string_view text);

// "10.0.0.0/8".
std::string to_string(const Cidr& cidr);

}  // namespace vigil
