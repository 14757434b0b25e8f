// Patterns are split into Hyperscan databases by the program and the priority
// their rules select; routing must never change which rules hit.

#include <gtest/gtest.h>

#include "tests/rules/rules_test_util.h"

namespace vigil::rules::test {
namespace {

std::vector<std::string> rule_ids(const std::vector<RecordedHit>& hits) {
  std::vector<std::string> ids;
  ids.reserve(hits.size());
  for (const RecordedHit& h : hits) ids.push_back(h.rule);
  return ids;
}

std::unique_ptr<Matcher> routed_set() {
  Rule ssh = rule("ssh.fail", {"failure"});
  ssh.select.programs = {"sshd", "sshd-session"};
  Rule sudo = rule("sudo.fail", {"failure"});
  sudo.select.programs = {"sudo"};
  Rule any = rule("any.fail", {"failure"});  // no program selector: every program
  return compile({ssh, sudo, any});
}

TEST(ProgramRouter, NamedProgramSeesItsRulesAndTheGenericOnes) {
  auto m = routed_set();
  using Ids = std::vector<std::string>;
  EXPECT_EQ(rule_ids(hits(*m, event("auth failure", "sshd"))), (Ids{"ssh.fail", "any.fail"}));
  EXPECT_EQ(rule_ids(hits(*m, event("auth failure", "sshd-session"))),
            (Ids{"ssh.fail", "any.fail"}));
  EXPECT_EQ(rule_ids(hits(*m, event("auth failure", "sudo"))), (Ids{"sudo.fail", "any.fail"}));
}

TEST(ProgramRouter, OtherProgramsSeeOnlyTheGenericRules) {
  auto m = routed_set();
  EXPECT_EQ(rule_ids(hits(*m, event("auth failure", "CRON"))),
            std::vector<std::string>{"any.fail"});
  EXPECT_EQ(rule_ids(hits(*m, event("auth failure", ""))), std::vector<std::string>{"any.fail"});
}

TEST(ProgramRouter, NoGenericRulesMeansOtherProgramsScanNothing) {
  Rule ssh = rule("ssh.fail", {"failure"});
  ssh.select.programs = {"sshd"};
  auto m = compile({ssh});
  EXPECT_TRUE(hits(*m, event("auth failure", "CRON")).empty());
  EXPECT_EQ(hits(*m, event("auth failure", "sshd")).size(), 1u);
}

Event at_priority(std::string_view program, int priority) {
  Event e = event("disk failure", program);
  e.priority = static_cast<int8_t>(priority);
  return e;
}

// "err or worse" for every program, a warning-only rule of one program, a
// program rule without priority, and a generic rule without priority.
std::unique_ptr<Matcher> priority_set() {
  Rule err = rule("any.err", {"failure"});
  err.select.max_priority = kErr;
  Rule app_warning = rule("app.warning", {"failure"});
  app_warning.select.programs = {"app"};
  app_warning.select.priorities = {kWarning};
  Rule app = rule("app.fail", {"failure"});
  app.select.programs = {"app"};
  Rule any = rule("any.fail", {"failure"});
  return compile({err, app_warning, app, any});
}

TEST(ProgramRouter, PrioritySelectedGenericRulesFireOnlyAtTheirPriorities) {
  auto m = priority_set();
  using Ids = std::vector<std::string>;
  for (const char* program : {"CRON", "app", ""}) {
    const Ids others =
        std::string_view(program) == "app" ? Ids{"app.fail", "any.fail"} : Ids{"any.fail"};
    Ids with_err{"any.err"};
    with_err.insert(with_err.end(), others.begin(), others.end());
    EXPECT_EQ(rule_ids(hits(*m, at_priority(program, kEmerg))), with_err) << program;
    EXPECT_EQ(rule_ids(hits(*m, at_priority(program, kErr))), with_err) << program;
    EXPECT_EQ(rule_ids(hits(*m, at_priority(program, kNotice))), others) << program;
    EXPECT_EQ(rule_ids(hits(*m, at_priority(program, kPriorityUnknown))), others) << program;
  }
}

TEST(ProgramRouter, ProgramRuleWithAPriorityKeepsItsPlaceInRuleOrder) {
  auto m = priority_set();
  using Ids = std::vector<std::string>;
  EXPECT_EQ(rule_ids(hits(*m, at_priority("app", kWarning))),
            (Ids{"app.warning", "app.fail", "any.fail"}));
  EXPECT_EQ(rule_ids(hits(*m, at_priority("CRON", kWarning))), Ids{"any.fail"});
}

TEST(ProgramRouter, PriorityOutsideTheSyslogRangeCountsAsUnknown) {
  auto m = priority_set();
  for (const int priority : {8, 100, -2, -128}) {
    EXPECT_EQ(rule_ids(hits(*m, at_priority("CRON", priority))),
              std::vector<std::string>{"any.fail"})
        << priority;
  }
}

TEST(ProgramRouter, OnlyPrioritySelectedRulesStillFire) {
  Rule err = rule("any.err", {"failure"});
  err.select.max_priority = kErr;
  auto m = compile({err});
  EXPECT_EQ(hits(*m, at_priority("sshd", kCrit)).size(), 1u);
  EXPECT_TRUE(hits(*m, at_priority("sshd", kInfo)).empty());
  EXPECT_TRUE(hits(*m, at_priority("sshd", kPriorityUnknown)).empty());
}

}  // namespace
}  // namespace vigil::rules::test
