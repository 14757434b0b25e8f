// Selector::admits: each key narrows, empty keys admit everything.

#include <gtest/gtest.h>

#include "rules/ruleset.h"

namespace vigil::rules {
namespace {

Event event(std::string_view program, std::string_view source, int8_t priority,
            std::string_view unit = "") {
  Event e;
  e.program = program;
  e.source = source;
  e.priority = priority;
  e.unit = unit;
  return e;
}

TEST(Selector, EmptyAdmitsEverything) {
  EXPECT_TRUE(Selector{}.admits(event("", "", kPriorityUnknown)));
  EXPECT_TRUE(Selector{}.admits(event("sshd", "/var/log/auth.log", kErr)));
}

TEST(Selector, ProgramsAreExact) {
  Selector s;
  s.programs = {"sshd", "sshd-session"};
  EXPECT_TRUE(s.admits(event("sshd", "", kInfo)));
  EXPECT_TRUE(s.admits(event("sshd-session", "", kInfo)));
  EXPECT_FALSE(s.admits(event("sshd-auth", "", kInfo)));
  EXPECT_FALSE(s.admits(event("SSHD", "", kInfo)));
  EXPECT_FALSE(s.admits(event("", "", kInfo)));
}

TEST(Selector, UnitsAreExact) {
  Selector s;
  s.units = {"ssh.service"};
  EXPECT_TRUE(s.admits(event("sshd", "", kInfo, "ssh.service")));
  EXPECT_FALSE(s.admits(event("sshd", "", kInfo, "ssh.socket")));
  EXPECT_FALSE(s.admits(event("sshd", "", kInfo)));
}

TEST(Selector, SourcesGlobTheBaseName) {
  Selector s;
  s.sources = {"auth.log*", "secure"};
  EXPECT_TRUE(s.admits(event("", "/var/log/auth.log", kInfo)));
  EXPECT_TRUE(s.admits(event("", "/var/log/auth.log.1", kInfo)));
  EXPECT_TRUE(s.admits(event("", "auth.log", kInfo)));
  EXPECT_TRUE(s.admits(event("", "/var/log/secure", kInfo)));
  EXPECT_FALSE(s.admits(event("", "/var/log/auth.log/../syslog", kInfo)));
  EXPECT_FALSE(s.admits(event("", "/var/log/auth.log.d/x", kInfo)));
  EXPECT_FALSE(s.admits(event("", "/var/log/syslog", kInfo)));
  EXPECT_FALSE(s.admits(event("", "", kInfo)));
  const std::string long_name = "/var/log/" + std::string(300, 'a') + "auth.log";
  s.sources = {"*auth.log"};
  EXPECT_TRUE(s.admits(event("", long_name, kInfo)));
}

TEST(Selector, PrioritiesAreExact) {
  Selector s;
  s.priorities = {kWarning};
  EXPECT_TRUE(s.admits(event("", "", kWarning)));
  EXPECT_FALSE(s.admits(event("", "", kErr)));
  EXPECT_FALSE(s.admits(event("", "", kPriorityUnknown)));
}

TEST(Selector, MaxPriorityNeedsAKnownPriorityAtMostIt) {
  Selector s;
  s.max_priority = kErr;
  EXPECT_TRUE(s.admits(event("", "", kEmerg)));
  EXPECT_TRUE(s.admits(event("", "", kErr)));
  EXPECT_FALSE(s.admits(event("", "", kWarning)));
  EXPECT_FALSE(s.admits(event("", "", kPriorityUnknown)));
}

TEST(Selector, KeysCombine) {
  Selector s;
  s.programs = {"sshd"};
  s.sources = {"auth.log"};
  EXPECT_TRUE(s.admits(event("sshd", "/var/log/auth.log", kInfo)));
  EXPECT_FALSE(s.admits(event("sshd", "/var/log/syslog", kInfo)));
  EXPECT_FALSE(s.admits(event("sudo", "/var/log/auth.log", kInfo)));
}

TEST(Names, RoundTrip) {
  EXPECT_EQ(parse_severity("critical"), Severity::kCritical);
  EXPECT_STREQ(to_string(Severity::kLow), "low");
  EXPECT_EQ(parse_severity("Critical"), std::nullopt);
  EXPECT_EQ(parse_capture_type("duration"), CaptureType::kDuration);
  EXPECT_STREQ(to_string(CaptureType::kIp), "ip");
  EXPECT_EQ(parse_priority("warning"), kWarning);
  EXPECT_EQ(parse_priority("warn"), std::nullopt);
  EXPECT_STREQ(priority_name(kEmerg), "emerg");
  EXPECT_STREQ(priority_name(kPriorityUnknown), "unknown");
}

}  // namespace
}  // namespace vigil::rules
