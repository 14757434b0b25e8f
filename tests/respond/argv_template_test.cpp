#include "respond/argv_template.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace vigil::respond {
namespace {

using Argv = std::vector<std::string>;

const std::map<std::string, ValueType>& types() {
  static const std::map<std::string, ValueType> kTypes = {{"ip", ValueType::kIp},
                                                          {"user", ValueType::kUser},
                                                          {"reason", ValueType::kText},
                                                          {"unit", ValueType::kUnit}};
  return kTypes;
}

ArgvTemplate parsed(Argv argv) {
  std::string why;
  auto t = ArgvTemplate::parse(std::move(argv), types(), why);
  EXPECT_TRUE(t) << why;
  return t.value_or(*ArgvTemplate::parse({"/bin/true"}, types(), why));
}

std::string parse_error(Argv argv) {
  std::string why;
  const auto t = ArgvTemplate::parse(std::move(argv), types(), why);
  EXPECT_FALSE(t);
  return why;
}

Argv expanded(const ArgvTemplate& t, const std::map<std::string, std::string>& values) {
  std::string why;
  const auto argv = t.expand(values, why);
  EXPECT_TRUE(argv) << why;
  return argv.value_or(Argv{});
}

std::string expand_error(const ArgvTemplate& t, const std::map<std::string, std::string>& values) {
  std::string why;
  const auto argv = t.expand(values, why);
  EXPECT_FALSE(argv) << (argv ? argv_to_json(*argv) : "");
  return why;
}

TEST(ArgvTemplate, SubstitutesValidatedValues) {
  const ArgvTemplate t = parsed({"/usr/sbin/nft", "add", "element", "inet", "vigil", "blocked",
                                 "{{ {ip} }}", "--comment={reason}"});
  EXPECT_EQ(expanded(t, {{"ip", "::ffff:203.0.113.7"}, {"reason", "ssh brute"}}),
            (Argv{"/usr/sbin/nft", "add", "element", "inet", "vigil", "blocked", "{ 203.0.113.7 }",
                  "--comment=ssh brute"}));
}

TEST(ArgvTemplate, AValueWithSpacesStaysOneElement) {
  const ArgvTemplate t = parsed({"/usr/bin/logger", "{reason}", "{reason}!"});
  const Argv argv = expanded(t, {{"reason", "a b  c; rm -rf / $(touch x) 'q' \"d\""}});
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[1], "a b  c; rm -rf / $(touch x) 'q' \"d\"");
  EXPECT_EQ(argv[2], "a b  c; rm -rf / $(touch x) 'q' \"d\"!");
}

TEST(ArgvTemplate, AnEmptyElementStaysAnElement) {
  EXPECT_EQ(expanded(parsed({"/bin/echo", "", "{user}"}), {{"user", "bob"}}),
            (Argv{"/bin/echo", "", "bob"}));
}

TEST(ArgvTemplate, DoubledBracesAreLiteral) {
  const ArgvTemplate t = parsed({"/bin/echo", "{{ip}}", "{{{ip}}}", "}}{{", "a{{b"});
  EXPECT_EQ(t.names(), (std::set<std::string>{"ip"}));
  EXPECT_EQ(expanded(t, {{"ip", "10.0.0.1"}}),
            (Argv{"/bin/echo", "{ip}", "{10.0.0.1}", "}{", "a{b"}));
}

TEST(ArgvTemplate, NamesListsThePlaceholdersUsed) {
  const ArgvTemplate t = parsed({"/usr/sbin/usermod", "-L", "{user}", "{user}", "--", "{ip}"});
  EXPECT_EQ(t.names(), (std::set<std::string>{"ip", "user"}));
  EXPECT_EQ(t.raw(), (Argv{"/usr/sbin/usermod", "-L", "{user}", "{user}", "--", "{ip}"}));
}

TEST(ArgvTemplate, ParseRefusesBadTemplates) {
  EXPECT_EQ(parse_error({}), "the command is empty");
  EXPECT_EQ(parse_error({""}), "the command is empty");
  EXPECT_EQ(parse_error({"/bin/echo", "{host}"}), "argv[1]: unknown placeholder {host}");
  EXPECT_EQ(parse_error({"/bin/echo", "{}"}), "argv[1]: unknown placeholder {}");
  EXPECT_EQ(parse_error({"/bin/echo", "x", "{ip"}),
            "argv[2]: unbalanced '{' (write '{{' for a literal brace)");
  EXPECT_EQ(parse_error({"/bin/echo", "{i{ip}}"}),
            "argv[1]: unbalanced '{' (write '{{' for a literal brace)");
  EXPECT_EQ(parse_error({"/bin/echo", "ip}"}),
            "argv[1]: unbalanced '}' (write '}}' for a literal brace)");
  EXPECT_EQ(parse_error({"{unit}", "x"}),
            "argv[0]: the program cannot hold a placeholder or braces");
  EXPECT_EQ(parse_error({"/usr/bin/{unit}"}),
            "argv[0]: the program cannot hold a placeholder or braces");
  EXPECT_EQ(parse_error({"/usr/bin/{{x"}),
            "argv[0]: the program cannot hold a placeholder or braces");
}

TEST(ArgvTemplate, ExpandRefusesMissingAndInvalidValues) {
  const ArgvTemplate t = parsed({"/usr/sbin/usermod", "-L", "{user}", "--comment", "{reason}"});
  EXPECT_EQ(expand_error(t, {{"reason", "x"}}), "no value for {user}");
  EXPECT_EQ(expand_error(t, {{"user", "-rf"}, {"reason", "x"}}), "{user} (user): starts with '-'");
  EXPECT_EQ(expand_error(t, {{"user", "$(touch /tmp/pwned)"}, {"reason", "x"}}),
            "{user} (user): must start with a lowercase letter or '_'");
  EXPECT_EQ(expand_error(t, {{"user", "bob"}, {"reason", "a\nb"}}),
            "{reason} (text): contains a control character");
  EXPECT_EQ(expand_error(parsed({"/sbin/ip", "{ip}"}), {{"ip", "1.2.3.4 ; reboot"}}),
            "{ip} (ip): not an IP address");
}

TEST(ArgvTemplate, UnusedValuesAreIgnored) {
  EXPECT_EQ(expanded(parsed({"/bin/true"}), {{"user", "$(bad)"}}), (Argv{"/bin/true"}));
}

TEST(ArgvToJson, EscapesEveryElement) {
  EXPECT_EQ(argv_to_json({}), "[]");
  EXPECT_EQ(argv_to_json({"/bin/echo", "a \"b\"", "c\\d", "e\nf"}),
            R"(["/bin/echo","a \"b\"","c\\d","e\nf"])");
}

}  // namespace
}  // namespace vigil::respond
