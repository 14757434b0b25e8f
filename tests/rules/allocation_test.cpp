// A line that matches no rule costs one Hyperscan scan and no allocation; a hit the
// correlator counts into an existing group allocates nothing either.

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "rules/correlator.h"
#include "tests/rules/correlator_test_util.h"
#include "tests/rules/rules_test_util.h"
#include "tests/support/allocation_counter.h"

namespace vigil::rules::test {
namespace {

class NullSink : public HitSink {
 public:
  void on_hit(const Event& /*event*/, const Hit& /*hit*/) override { ++hits; }
  size_t hits = 0;
};

TEST(MatcherAllocation, CounterSeesThisBinarysAllocations) {
  EXPECT_TRUE(vigil::test::counting_works());
}

TEST(MatcherAllocation, LineThatMatchesNoRuleAllocatesNothing) {
  std::vector<Rule> rules;
  rules.reserve(200);
  for (int i = 0; i < 200; ++i) {
    rules.push_back(rule("r" + std::to_string(i),
                         {"^Failed (?P<what>\\w+) for (?P<user>.*) from (?P<ip>\\S+) port " +
                          std::to_string(i) + "$"},
                         {{"ip", CaptureType::kIp}}));
  }
  const auto m = compile(std::move(rules));
  ASSERT_NE(m, nullptr);
  auto ctx = m->make_context();
  NullSink sink;
  const Event quiet = event("pam_unix(cron:session): session opened for user root by (uid=0)");
  const Event matching = event("Failed password for root from 10.0.0.1 port 7");
  m->match(matching, *ctx, sink);  // warm: nothing may be lazily allocated later

  const size_t before = vigil::test::allocations();
  for (int i = 0; i < 1000; ++i) m->match(quiet, *ctx, sink);
  EXPECT_EQ(vigil::test::allocations() - before, 0u);
  EXPECT_EQ(sink.hits, 1u);
}

TEST(MatcherAllocation, TypedCapturesReuseTheContextsBuffers) {
  const auto m = compile({rule("r", {"from (?P<ip>\\S+) took (?P<took>\\S+)"},
                               {{"ip", CaptureType::kIp}, {"took", CaptureType::kDuration}})});
  auto ctx = m->make_context();
  NullSink sink;
  const Event e = event("from ::ffff:10.1.2.3 took 1m30.25s");
  m->match(e, *ctx, sink);
  // RE2 itself may allocate while extracting groups; the normalised values must not.
  const size_t before = vigil::test::allocations();
  m->match(e, *ctx, sink);
  const size_t one_match = vigil::test::allocations() - before;
  for (int i = 0; i < 100; ++i) m->match(e, *ctx, sink);
  EXPECT_LE(vigil::test::allocations() - before, 101 * one_match);
  EXPECT_EQ(sink.hits, 102u);
}

// Hits spread over ten keys, each group's window holding about ten of them: once
// the groups exist and their buffers have grown, observe() allocates nothing.
TEST(CorrelatorAllocation, SteadyStreamIntoExistingGroupsAllocatesNothing) {
  Threshold count = count_threshold("count", 1000, 10 * kSecond);
  Threshold distinct = count_threshold("distinct", 1000, 10 * kSecond);
  distinct.kind = Threshold::Kind::kDistinct;
  distinct.distinct = "user";
  Threshold sequence = count_threshold("sequence", 5, 10 * kSecond);
  sequence.kind = Threshold::Kind::kSequence;
  sequence.then_rule_indexes = {kAccept};
  const RuleSet rules = correlator_rules({count, distinct, sequence});
  Correlator c(rules, {});
  const std::array<std::string, 10> ips = {"192.0.2.0", "192.0.2.1", "192.0.2.2", "192.0.2.3",
                                           "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.7",
                                           "192.0.2.8", "192.0.2.9"};
  const std::array<std::string, 5> users = {"root", "admin", "oracle", "postgres", "ubuntu"};
  std::vector<Alert> fired;
  fired.reserve(16);
  const auto run = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::array<Capture, 2> captures = {
          {{"ip", ips[i % 10]}, {"user", users[(i / 10) % 5]}}};
      c.observe(CorrelatorHit{kDay + i * kSecond / 10, kFail, i, captures}, fired);
    }
  };
  run(0, 2000);
  const size_t before = vigil::test::allocations();
  run(2000, 12000);
  EXPECT_EQ(vigil::test::allocations() - before, 0u);
  EXPECT_TRUE(fired.empty());
}

}  // namespace
}  // namespace vigil::rules::test
