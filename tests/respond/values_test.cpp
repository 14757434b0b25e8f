#include "respond/values.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::respond {
namespace {

using namespace std::string_literals;

// The reason a value is refused, or "accepted: <value>".
std::string check(ValueType type, std::string_view raw) {
  std::string why;
  const auto value = validate_value(type, raw, why);
  return value ? "accepted: " + *value : why;
}

std::string accepted(ValueType type, std::string_view raw) {
  std::string why;
  const auto value = validate_value(type, raw, why);
  EXPECT_TRUE(value) << raw << ": " << why;
  return value.value_or("");
}

// 10 KiB of 'a': longer than any value type allows.
std::string ten_kib() {
  return std::string(size_t{10} * 1024, 'a');
}

TEST(ValueType, ParsesAndPrintsItsNames) {
  for (const char* name : {"ip", "user", "unit", "text"}) {
    const auto type = parse_value_type(name);
    ASSERT_TRUE(type) << name;
    EXPECT_STREQ(to_string(*type), name);
  }
  EXPECT_FALSE(parse_value_type("IP"));
  EXPECT_FALSE(parse_value_type("string"));
  EXPECT_FALSE(parse_value_type(""));
}

TEST(IpValue, IsWrittenInCanonicalForm) {
  EXPECT_EQ(accepted(ValueType::kIp, "203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(accepted(ValueType::kIp, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(accepted(ValueType::kIp, "[2001:db8::0001]"), "2001:db8::1");
  EXPECT_EQ(accepted(ValueType::kIp, "::ffff:198.51.100.9"), "198.51.100.9");
  EXPECT_EQ(accepted(ValueType::kIp, "::FFFF:c633:6409"), "198.51.100.9");
}

TEST(IpValue, RefusesRangesHostNamesAndInjections) {
  EXPECT_EQ(check(ValueType::kIp, "1.2.3.4/8"), "not an IP address (a CIDR range)");
  EXPECT_EQ(check(ValueType::kIp, "2001:db8::/32"), "not an IP address (a CIDR range)");
  for (const std::string& bad : {"example.com"s, "1.2.3.4 ; reboot"s, " 1.2.3.4"s, "1.2.3.4\n"s,
                                 "1.2.3.4\0"s, "-1.2.3.4"s, "$(touch /tmp/pwned)"s, "1.2.3"s,
                                 "01.2.3.4"s, "256.1.1.1"s, "fe80::1%eth0"s, ""s, ten_kib()}) {
    EXPECT_EQ(check(ValueType::kIp, bad), "not an IP address") << bad;
  }
}

TEST(UserValue, AcceptsDebianNames) {
  for (const char* name : {"root", "www-data", "_apt", "a", "systemd-timesync", "user_1", "host01$",
                           "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_EQ(accepted(ValueType::kUser, name), name);
  }
}

TEST(UserValue, RefusesInjectionsWithAReason) {
  EXPECT_EQ(check(ValueType::kUser, "$(touch /tmp/pwned)"),
            "must start with a lowercase letter or '_'");
  EXPECT_EQ(check(ValueType::kUser, ";reboot"), "must start with a lowercase letter or '_'");
  EXPECT_EQ(check(ValueType::kUser, "`id`"), "must start with a lowercase letter or '_'");
  EXPECT_EQ(check(ValueType::kUser, "-rf"), "starts with '-'");
  EXPECT_EQ(check(ValueType::kUser, ten_kib()), "longer than 32 bytes");
  EXPECT_EQ(check(ValueType::kUser, "abcdefghijklmnopqrstuvwxyz0123456"), "longer than 32 bytes");
  EXPECT_EQ(check(ValueType::kUser, "bob\nroot"), "contains a control character");
  EXPECT_EQ(check(ValueType::kUser, "bob\0"s), "contains a control character");
  EXPECT_EQ(check(ValueType::kUser, "bob;reboot"), "contains ';', not allowed in a user name");
  EXPECT_EQ(check(ValueType::kUser, "bob smith"), "contains a space, not allowed in a user name");
  EXPECT_EQ(check(ValueType::kUser, "Root"), "must start with a lowercase letter or '_'");
  EXPECT_EQ(check(ValueType::kUser, "b$b"), "contains '$', not allowed in a user name");
  EXPECT_EQ(check(ValueType::kUser, "j\xC3\xB6rg"),
            "contains byte 0xC3, not allowed in a user name");
  EXPECT_EQ(check(ValueType::kUser, ""), "is empty");
  EXPECT_EQ(check(ValueType::kUser, "$"), "is empty");
}

TEST(UnitValue, AcceptsUnitNames) {
  for (const char* name :
       {"ssh.service", "getty@tty1.service", "systemd-fsck@dev-disk-by\\x2duuid-1.service",
        "logrotate.timer", "user-1000.slice", "a:b_c.mount", "proc-sys-fs-binfmt_misc.automount"}) {
    EXPECT_EQ(accepted(ValueType::kUnit, name), name);
  }
}

TEST(UnitValue, RefusesInjectionsWithAReason) {
  EXPECT_EQ(check(ValueType::kUnit, "-rf.service"), "starts with '-'");
  EXPECT_EQ(check(ValueType::kUnit, "-.slice"), "starts with '-'");  // the root slice, too
  EXPECT_EQ(check(ValueType::kUnit, ".hidden.service"), "starts with '.'");
  EXPECT_EQ(check(ValueType::kUnit, "$(touch /tmp/pwned).service"),
            "contains '$', not allowed in a unit name");
  EXPECT_EQ(check(ValueType::kUnit, "ssh.service;reboot"),
            "contains ';', not allowed in a unit name");
  EXPECT_EQ(check(ValueType::kUnit, "`id`.service"), "contains '`', not allowed in a unit name");
  EXPECT_EQ(check(ValueType::kUnit, "ssh service"), "contains a space, not allowed in a unit name");
  EXPECT_EQ(check(ValueType::kUnit, "ssh.service\n"), "contains a control character");
  EXPECT_EQ(check(ValueType::kUnit, "../../etc/passwd"), "starts with '.'");
  EXPECT_EQ(check(ValueType::kUnit, "a/b.service"), "contains '/', not allowed in a unit name");
  EXPECT_EQ(check(ValueType::kUnit, "ssh"),
            "does not end in a unit suffix (.service, .socket, .timer, ...)");
  EXPECT_EQ(check(ValueType::kUnit, "ssh.exe"),
            "does not end in a unit suffix (.service, .socket, .timer, ...)");
  EXPECT_EQ(check(ValueType::kUnit, "getty@.service"),
            "is a unit template (no instance after '@')");
  EXPECT_EQ(check(ValueType::kUnit, std::string(252, 'a') + ".service"), "longer than 255 bytes");
  EXPECT_EQ(check(ValueType::kUnit, ten_kib()), "longer than 255 bytes");
  EXPECT_EQ(check(ValueType::kUnit, ""), "is empty");
}

TEST(TextValue, AcceptsPrintableAsciiAsItIs) {
  EXPECT_EQ(accepted(ValueType::kText, "ssh-brute/203.0.113.7"), "ssh-brute/203.0.113.7");
  EXPECT_EQ(accepted(ValueType::kText, "with spaces and $(not a shell)"),
            "with spaces and $(not a shell)");
  EXPECT_EQ(accepted(ValueType::kText, std::string(1024, 'x')), std::string(1024, 'x'));
}

TEST(TextValue, RefusesWithAReason) {
  EXPECT_EQ(check(ValueType::kText, "-rf"), "starts with '-'");
  EXPECT_EQ(check(ValueType::kText, "--help"), "starts with '-'");
  EXPECT_EQ(check(ValueType::kText, "a\nb"), "contains a control character");
  EXPECT_EQ(check(ValueType::kText, "a\tb"), "contains a control character");
  EXPECT_EQ(check(ValueType::kText, "\x1b[31mred"), "contains a control character");
  EXPECT_EQ(check(ValueType::kText, "a\x7f"), "contains a control character");
  EXPECT_EQ(check(ValueType::kText, "nul\0byte"s), "contains a control character");
  EXPECT_EQ(check(ValueType::kText, "caf\xC3\xA9"), "contains a non-ASCII byte");
  EXPECT_EQ(check(ValueType::kText, std::string(1025, 'x')), "longer than 1024 bytes");
  EXPECT_EQ(check(ValueType::kText, ten_kib()), "longer than 1024 bytes");
  EXPECT_EQ(check(ValueType::kText, ""), "is empty");
}

}  // namespace
}  // namespace vigil::respond
