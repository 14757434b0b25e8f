// Patterns are split into one Hyperscan database per selected program; routing
// must never change which rules hit.

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

}  // namespace
}  // namespace vigil::rules::test
