#include "core/ip.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

namespace vigil {
namespace {

std::string canonical(std::string_view text) {
  const auto ip = parse_ip(text);
  return ip ? to_string(*ip) : "none";
}

bool in(std::string_view cidr, std::string_view ip) {
  const auto block = parse_cidr(cidr);
  const auto address = parse_ip(ip);
  EXPECT_TRUE(block) << cidr;
  EXPECT_TRUE(address) << ip;
  return block && address && block->contains(*address);
}

TEST(ParseIp, ReadsBothFamiliesInCanonicalForm) {
  EXPECT_EQ(canonical("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(canonical("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(canonical("::"), "::");
  EXPECT_TRUE(parse_ip("192.0.2.1")->v4);
  EXPECT_FALSE(parse_ip("2001:db8::1")->v4);
}

TEST(ParseIp, MappedIpv6BecomesIpv4) {
  const auto ip = parse_ip("::ffff:203.0.113.7");
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->v4);
  EXPECT_EQ(*ip, *parse_ip("203.0.113.7"));
  EXPECT_EQ(canonical("::FFFF:cb00:7107"), "203.0.113.7");
}

TEST(ParseIp, RefusesWhatIsNoAddress) {
  for (std::string_view bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", " 1.2.3.4", "1.2.3.4 ", "[::1]",
        "fe80::1%eth0", "2001:db8::g", "host.example", "1.2.3.4/32"}) {
    EXPECT_FALSE(parse_ip(bad)) << bad;
  }
  // Longer than any address: refused before inet_pton sees it.
  EXPECT_FALSE(parse_ip("0000:0000:0000:0000:0000:0000:0000:0000:0000:0000"));
  EXPECT_FALSE(parse_ip(std::string(1000, '1')));
  // inet_pton stops at a NUL; the address must not be read from before it.
  EXPECT_FALSE(parse_ip(std::string_view("1.2.3.4\0junk", 12)));
  EXPECT_FALSE(parse_ip(std::string_view("::1\0", 4)));
}

TEST(ParseIp, FormatsEveryIpv4OctetValue) {
  EXPECT_EQ(canonical("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(canonical("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(canonical("10.9.99.100"), "10.9.99.100");
  std::string reused = "a longer text that the address replaces";
  assign_canonical(*parse_ip("192.0.2.1"), reused);
  EXPECT_EQ(reused, "192.0.2.1");
  assign_canonical(*parse_ip("2001:db8::1"), reused);
  EXPECT_EQ(reused, "2001:db8::1");
}

TEST(ParseIp, FormatsIpv6ZeroRunsCanonically) {
  EXPECT_EQ(canonical("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");       // the longest run
  EXPECT_EQ(canonical("2001:0:0:1:0:0:2:3"), "2001::1:0:0:2:3");         // the first of equals
  EXPECT_EQ(canonical("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero stays
  EXPECT_EQ(canonical("::1"), "::1");
  EXPECT_EQ(canonical("1::"), "1::");
  EXPECT_EQ(canonical("FE80:0000:0000:0000:0ABC:0000:0000:0001"), "fe80::abc:0:0:1");
  EXPECT_EQ(canonical("::192.0.2.1"), "::192.0.2.1");  // IPv4-compatible, deprecated
  EXPECT_EQ(canonical("::ffff:0:192.0.2.1"), "::ffff:0:c000:201");
}

// The hand-written formatter must say what inet_ntop says, for addresses rich in
// zero groups (where the "::" rules matter) as for random ones.
TEST(ParseIp, Ipv6TextIsInetNtopsForRandomAddresses) {
  std::mt19937 random(20261130);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible runs
  std::uniform_int_distribution<unsigned> group(0, 0xffff);
  std::uniform_int_distribution<int> kind(0, 3);
  for (int n = 0; n < 100000; ++n) {
    IpAddress ip;
    for (size_t i = 0; i < 8; ++i) {
      const int k = kind(random);
      const unsigned value = k == 0 ? group(random) : k == 1 ? 0xffff : k == 2 ? 1 : 0;
      const unsigned g = k >= 2 && n % 3 == 0 ? 0 : value;
      ip.bytes[2 * i] = static_cast<uint8_t>(g >> 8U);
      ip.bytes[2 * i + 1] = static_cast<uint8_t>(g & 0xffU);
    }
    std::array<char, INET6_ADDRSTRLEN> expected{};
    ASSERT_NE(inet_ntop(AF_INET6, ip.bytes.data(), expected.data(), expected.size()), nullptr);
    ASSERT_EQ(to_string(ip), expected.data());
  }
}

TEST(ParseIp, ReadsOnlyTheViewNotWhatFollowsIt) {
  const std::string text = "192.0.2.10 and more";
  EXPECT_EQ(canonical(std::string_view(text).substr(0, 9)), "192.0.2.1");
}

TEST(Cidr, ContainsAddressesUnderItsPrefix) {
  EXPECT_TRUE(in("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(in("192.0.2.0/25", "192.0.2.127"));
  EXPECT_FALSE(in("192.0.2.0/25", "192.0.2.128"));
  EXPECT_TRUE(in("2001:db8::/32", "2001:db8:dead:beef::42"));
  EXPECT_FALSE(in("2001:db8::/32", "2001:db9::1"));
  EXPECT_TRUE(in("0.0.0.0/0", "203.0.113.7"));
  EXPECT_TRUE(in("::/0", "2001:db8::1"));
}

TEST(Cidr, BareAddressIsASingleHost) {
  const auto v4 = parse_cidr("203.0.113.7");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->prefix, 32);
  EXPECT_TRUE(in("203.0.113.7", "203.0.113.7"));
  EXPECT_FALSE(in("203.0.113.7", "203.0.113.8"));
  const auto v6 = parse_cidr("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->prefix, 128);
  EXPECT_FALSE(in("2001:db8::1", "2001:db8::2"));
}

TEST(Cidr, HostBitsAreMasked) {
  const auto block = parse_cidr("10.1.2.3/8");
  ASSERT_TRUE(block);
  EXPECT_EQ(to_string(*block), "10.0.0.0/8");
  EXPECT_EQ(to_string(*parse_cidr("2001:db8:ffff::1/33")), "2001:db8:8000::/33");
  EXPECT_TRUE(in("10.1.2.3/8", "10.9.9.9"));
}

TEST(Cidr, FamiliesNeverMix) {
  EXPECT_FALSE(in("0.0.0.0/0", "2001:db8::1"));
  EXPECT_FALSE(in("::/0", "192.0.2.1"));
  // A mapped address is IPv4, so an IPv4 block holds it.
  EXPECT_TRUE(in("192.0.2.0/24", "::ffff:192.0.2.9"));
}

TEST(Cidr, MappedBlockIsTheIpv4Block) {
  const auto block = parse_cidr("::ffff:10.0.0.0/104");
  ASSERT_TRUE(block);
  EXPECT_TRUE(block->base.v4);
  EXPECT_EQ(to_string(*block), "10.0.0.0/8");
  EXPECT_EQ(parse_cidr("::ffff:10.0.0.1")->prefix, 32);
  EXPECT_FALSE(parse_cidr("::ffff:10.0.0.0/95"));
}

TEST(Cidr, RefusesBadPrefixes) {
  for (std::string_view bad :
       {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.0/+8", "2001:db8::/129",
        "2001:db8::/1000", "/8", "10.0.0.0/8/8", "nonsense/8"}) {
    EXPECT_FALSE(parse_cidr(bad)) << bad;
  }
  EXPECT_TRUE(parse_cidr("10.0.0.0/0"));
  EXPECT_TRUE(parse_cidr("2001:db8::/128"));
}

}  // namespace
}  // namespace vigil
