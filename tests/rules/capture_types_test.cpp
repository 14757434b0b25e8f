// Typed captures: what passes each check, and the canonical form written.

#include "rules/capture_types.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace vigil::rules {
namespace {

std::optional<std::string> ip(std::string_view raw) {
  std::string out;
  return normalize_ip(raw, out) ? std::optional(out) : std::nullopt;
}
std::optional<std::string> integer(std::string_view raw) {
  std::string out;
  return normalize_int(raw, out) ? std::optional(out) : std::nullopt;
}
std::optional<std::string> duration(std::string_view raw) {
  std::string out;
  return normalize_duration(raw, out) ? std::optional(out) : std::nullopt;
}

TEST(CaptureIp, Ipv4IsKeptAsWritten) {
  EXPECT_EQ(ip("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ip("0.0.0.0"), "0.0.0.0");
}

TEST(CaptureIp, Ipv6IsCanonical) {
  EXPECT_EQ(ip("2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(ip("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(ip("::1"), "::1");
}

TEST(CaptureIp, MappedIpv4BecomesIpv4) {
  EXPECT_EQ(ip("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(ip("::FFFF:c000:022c"), "192.0.2.44");
}

TEST(CaptureIp, BracketsAreStripped) {
  EXPECT_EQ(ip("[2001:db8::7]"), "2001:db8::7");
  EXPECT_EQ(ip("[192.0.2.1]"), "192.0.2.1");
  EXPECT_EQ(ip("[192.0.2.1"), std::nullopt);
}

TEST(CaptureIp, AnythingElseIsRejected) {
  for (std::string_view bad :
       {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
        "1.2.3.4:22", "fe80::1%eth0", "2001:db8::1::2", "1.2.3.4\n", "[]"}) {
    EXPECT_EQ(ip(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ip(std::string_view("1.2.3.4\0", 8)), std::nullopt);
  EXPECT_EQ(ip(std::string(100, '1')), std::nullopt);
}

TEST(CaptureInt, DecimalIntegersInCanonicalForm) {
  EXPECT_EQ(integer("42"), "42");
  EXPECT_EQ(integer("007"), "7");
  EXPECT_EQ(integer("+5"), "5");
  EXPECT_EQ(integer("-12"), "-12");
  EXPECT_EQ(integer("-0"), "0");
  EXPECT_EQ(integer("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(integer("-9223372036854775808"), "-9223372036854775808");
}

TEST(CaptureInt, RejectsWhatIsNotOne) {
  for (std::string_view bad :
       {"", "-", "+", "+-5", "--5", "1.5", "12a", " 12", "0x10", "9223372036854775808", "١٢"}) {
    EXPECT_EQ(integer(bad), std::nullopt) << bad;
  }
}

TEST(CaptureDuration, BareNumberIsMilliseconds) {
  EXPECT_EQ(duration("1532"), "1532");
  EXPECT_EQ(duration("1.5"), "1.5");
  EXPECT_EQ(duration("0"), "0");
  EXPECT_EQ(duration("0.250"), "0.25");
}

TEST(CaptureDuration, UnitsBecomeMilliseconds) {
  EXPECT_EQ(duration("250ms"), "250");
  EXPECT_EQ(duration("1.5s"), "1500");
  EXPECT_EQ(duration("2m"), "120000");
  EXPECT_EQ(duration("1h"), "3600000");
  EXPECT_EQ(duration("0.5h"), "1800000");
  EXPECT_EQ(duration("250us"), "0.25");
  EXPECT_EQ(duration("250\xC2\xB5s"), "0.25");  // µs
  EXPECT_EQ(duration("250\xCE\xBCs"), "0.25");  // μs
  EXPECT_EQ(duration("1ns"), "0.000001");
  EXPECT_EQ(duration("1.234567ms"), "1.234567");
  EXPECT_EQ(duration("12 ms"), "12");
}

TEST(CaptureDuration, GoStyleSums) {
  EXPECT_EQ(duration("1m30s"), "90000");
  EXPECT_EQ(duration("1h2m3.5s"), "3723500");
  EXPECT_EQ(duration("2s500ms"), "2500");
}

TEST(CaptureDuration, RoundsBelowANanosecond) {
  EXPECT_EQ(duration("0.0000004"), "0");         // 0.4 ns
  EXPECT_EQ(duration("0.0000006"), "0.000001");  // 0.6 ns
  EXPECT_EQ(duration("0.00000000000000000000000001"), "0");
  EXPECT_EQ(duration("1.0000000000000000000000001"), "1");
}

TEST(CaptureDuration, RejectsWhatIsNotOne) {
  for (std::string_view bad : {"", "ms", "1.", ".5", "-1s", "1 m 30", "1m30", "1sec", "1S", "1d",
                               "1.5 s ", " 1s", "1e3", "1,5s", "1s 2s", "99999999999999999999"}) {
    EXPECT_EQ(duration(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(duration("9999999999h"), std::nullopt);  // past 2^64 ns
}

TEST(CaptureDispatch, StringsAreViewsAndTypedValuesUseTheBuffer) {
  std::string buffer;
  std::string_view value;
  const std::string_view raw = "root from 6.6.6.6";
  ASSERT_TRUE(normalize_capture(CaptureType::kUser, raw, buffer, value));
  EXPECT_EQ(value.data(), raw.data());
  ASSERT_TRUE(normalize_capture(CaptureType::kString, raw, buffer, value));
  EXPECT_EQ(value.data(), raw.data());
  ASSERT_TRUE(normalize_capture(CaptureType::kIp, "::ffff:10.0.0.1", buffer, value));
  EXPECT_EQ(value, "10.0.0.1");
  EXPECT_EQ(value.data(), buffer.data());
  EXPECT_FALSE(normalize_capture(CaptureType::kInt, "x", buffer, value));
  EXPECT_FALSE(normalize_capture(CaptureType::kDuration, "x", buffer, value));
}

}  // namespace
}  // namespace vigil::rules
