#include "core/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vigil {
namespace {

// The longest textual IPv6 address ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255").
constexpr size_t kMaxIpText = 45;
constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped_v4(const std::array<uint8_t, 16>& b) {
  return std::memcmp(b.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

// Reads the address as IPv6 if it is one (mapped included), else as IPv4.
// `mapped` tells an IPv4-mapped IPv6 address from plain IPv4.
std::optional<IpAddress> parse_raw(std::string_view text, bool& mapped) {
  mapped = false;
  // inet_pton would stop at a NUL and accept "1.2.3.4\0junk".
  if (text.empty() || text.size() > kMaxIpText || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::array<char, kMaxIpText + 1> z{};  // inet_pton needs a NUL-terminated copy
  std::memcpy(z.data(), text.data(), text.size());
  IpAddress ip;
  if (inet_pton(AF_INET, z.data(), ip.bytes.data()) == 1) {
    ip.v4 = true;
    return ip;
  }
  if (inet_pton(AF_INET6, z.data(), ip.bytes.data()) != 1) return std::nullopt;
  if (is_mapped_v4(ip.bytes)) {
    mapped = true;
    std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
    std::memset(ip.bytes.data() + 4, 0, 12);
    ip.v4 = true;
  }
  return ip;
}

std::optional<int> parse_prefix(std::string_view text) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Clears every bit past the first `prefix`.
void mask(std::array<uint8_t, 16>& bytes, int prefix) {
  for (int i = 0; i < 16; ++i) {
    const int keep = prefix - i * 8;
    if (keep >= 8) continue;
    bytes[i] &= keep <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
  }
}

void append_dotted(const uint8_t* four, std::string& out) {
  for (size_t i = 0; i < 4; ++i) {
    if (i > 0) out.push_back('.');
    std::array<char, 3> digits{};
    out.append(digits.data(),
               std::to_chars(digits.data(), digits.data() + digits.size(), four[i]).ptr);
  }
}

struct ZeroRun {
  size_t start = 0;
  size_t length = 0;  // 0: no run of two or more zero groups
};

// The first of the longest runs of zero groups, if it has two groups or more.
ZeroRun longest_zero_run(const std::array<unsigned, 8>& groups) {
  ZeroRun best;
  for (size_t i = 0; i < groups.size();) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < groups.size() && groups[end] == 0) ++end;
    if (end - i > best.length) best = {i, end - i};
    i = end;
  }
  if (best.length < 2) best = {};
  return best;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  bool mapped = false;
  return parse_raw(text, mapped);
}

std::string to_string(const IpAddress& ip) {
  std::string out;
  assign_canonical(ip, out);
  return out;
}

// By hand: glibc's inet_ntop formats with sprintf, a tenth of a microsecond
// per address. The output is inet_ntop's exactly (RFC 5952): lower-case hex
// without leading zeros, the first longest run of two or more zero groups as
// "::", and the last 32 bits dotted after ::/96 or ::ffff:0:0/96.
void assign_canonical(const IpAddress& ip, std::string& out) {
  out.clear();
  if (ip.v4) {
    append_dotted(ip.bytes.data(), out);
    return;
  }
  std::array<unsigned, 8> groups{};
  for (size_t i = 0; i < groups.size(); ++i)
    groups[i] = static_cast<unsigned>(ip.bytes[2 * i]) << 8U | ip.bytes[2 * i + 1];
  const ZeroRun zeros = longest_zero_run(groups);
  for (size_t i = 0; i < groups.size(); ++i) {
    if (zeros.length > 0 && i >= zeros.start && i < zeros.start + zeros.length) {
      if (i == zeros.start) out.push_back(':');
      continue;
    }
    if (i > 0) out.push_back(':');
    if (i == 6 && zeros.start == 0 &&
        (zeros.length == 6 || (zeros.length == 5 && groups[5] == 0xffff))) {
      append_dotted(ip.bytes.data() + 12, out);
      return;
    }
    std::array<char, 4> hex{};
    out.append(hex.data(), std::to_chars(hex.data(), hex.data() + hex.size(), groups[i], 16).ptr);
  }
  if (zeros.length > 0 && zeros.start + zeros.length == groups.size()) out.push_back(':');
}

bool Cidr::contains(const IpAddress& ip) const {
  if (ip.v4 != base.v4) return false;
  IpAddress masked = ip;
  mask(masked.bytes, prefix);
  return masked.bytes == base.bytes;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const size_t slash = text.find('/');
  bool mapped = false;
  auto base = parse_raw(text.substr(0, slash), mapped);
  if (!base) return std::nullopt;
  const int width = base->v4 && !mapped ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const auto read = parse_prefix(text.substr(slash + 1));
    if (!read || *read < 0 || *read > width) return std::nullopt;
    prefix = *read;
  }
  if (mapped) {
    if (prefix < 96) return std::nullopt;  // would span addresses that are not IPv4
    prefix -= 96;
  }
  mask(base->bytes, prefix);
  return Cidr{*base, prefix};
}

std::string to_string(const Cidr& cidr) {
  return to_string(cidr.base) + "/" + std::to_string(cidr.prefix);
}

}  // namespace vigil
