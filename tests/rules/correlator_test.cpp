// The correlator's semantics: windows (edges included), keys, firing once,
// suppression, late hits, weights, distinct values, sequences and allowlists.

#include "rules/correlator.h"

#include <gtest/gtest.h>

#include <limits>

#include "tests/rules/correlator_test_util.h"

namespace vigil::rules::test {
namespace {

const Captures kIpA = {{"ip", "203.0.113.77"}, {"user", "root"}};
const Captures kIpB = {{"ip", "198.51.100.23"}, {"user", "root"}};

TEST(Correlator, CountFiresWhenTheWindowIncludingBothEndsReachesTheCount) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 5, 10 * kMinute)});
  Correlator c(rules, {});
  const int64_t step = 150 * kSecond;  // 2.5 minutes: five hits span exactly 10 minutes
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(hit(c, kDay + i * step, kFail, i + 1, kIpA).empty());
  const auto fired = hit(c, kDay + 4 * step, kFail, 5, kIpA);
  ASSERT_EQ(fired.size(), 1u);
  const Alert& a = fired[0];
  EXPECT_EQ(a.threshold_index, 0u);
  EXPECT_EQ(a.threshold, rules.thresholds.data());
  EXPECT_EQ(a.key, key("ip", "203.0.113.77"));
  EXPECT_EQ(a.count, 5u);
  EXPECT_EQ(a.first_ts_us, kDay);
  EXPECT_EQ(a.last_ts_us, kDay + 10 * kMinute);
  EXPECT_EQ(a.hit_ids, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST(Correlator, OneMicrosecondPastTheWindowDoesNotCount) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 5, 10 * kMinute)});
  Correlator c(rules, {});
  const int64_t step = 150 * kSecond;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(hit(c, kDay + i * step, kFail, i + 1, kIpA).empty());
  // The first hit is now 10 minutes and 1 µs old: out.
  EXPECT_TRUE(hit(c, kDay + 4 * step + 1, kFail, 5, kIpA).empty());
  const auto fired = hit(c, kDay + 4 * step + 2, kFail, 6, kIpA);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{2, 3, 4, 5, 6}));
}

TEST(Correlator, KeysCountApartAndHitsWithoutTheKeyNeverCount) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 3, kMinute)});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kFail, 1, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 1, kFail, 2, kIpB).empty());
  EXPECT_TRUE(hit(c, kDay + 2, kFail, 3, {{"user", "root"}}).empty());  // no ip
  EXPECT_TRUE(hit(c, kDay + 3, kFail, 4, kIpB).empty());
  EXPECT_TRUE(hit(c, kDay + 4, kAccept, 5, kIpB).empty());  // a rule it does not look at
  const auto fired = hit(c, kDay + 5, kFail, 6, kIpB);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].key, key("ip", "198.51.100.23"));
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(c.stats().groups, 2u);
}

TEST(Correlator, NoGroupByIsOneGlobalGroupAndSeveralNamesFormTheKey) {
  const RuleSet rules = correlator_rules({count_threshold("global", 2, kMinute, {}),
                                          count_threshold("pair", 2, kMinute, {"ip", "user"})});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kFail, 1, kIpA).empty());
  const auto fired = hit(c, kDay + 1, kFail, 2, {{"ip", "198.51.100.23"}, {"user", "bob"}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].threshold->id, "global");
  EXPECT_TRUE(fired[0].key.empty());
  const auto pair = hit(c, kDay + 2, kFail, 3, {{"user", "bob"}, {"ip", "198.51.100.23"}});
  ASSERT_EQ(pair.size(), 1u);
  EXPECT_EQ(pair[0].key, (AlertKey{{"ip", "198.51.100.23"}, {"user", "bob"}}));
}

TEST(Correlator, KeyPartsCannotRunIntoEachOther) {
  // ("a b", "c") and ("a", "b c") must be two keys whatever separator one imagines.
  const RuleSet rules = correlator_rules({count_threshold("pair", 2, kMinute, {"ip", "user"})});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kFail, 1, {{"ip", "a b"}, {"user", "c"}}).empty());
  EXPECT_TRUE(hit(c, kDay + 1, kFail, 2, {{"ip", "a"}, {"user", "b c"}}).empty());
  EXPECT_EQ(c.stats().groups, 2u);
}

TEST(Correlator, FiresOnceThenSuppressesAndNeedsAFreshCrossing) {
  Threshold t = count_threshold("brute", 3, kMinute);
  t.suppress_us = 10 * kMinute;
  const RuleSet rules = correlator_rules({t});
  Correlator c(rules, {});
  int64_t id = 0;
  std::vector<Alert> all;
  const auto feed = [&](int64_t ts) {
    for (Alert& a : hit(c, ts, kFail, ++id, kIpA)) all.push_back(std::move(a));
  };
  for (int s = 0; s < 3; ++s) feed(kDay + s * kSecond);
  ASSERT_EQ(all.size(), 1u);
  for (int s = 3; s < 60; ++s) feed(kDay + s * kSecond);  // an attack that goes on
  EXPECT_EQ(all.size(), 1u);
  EXPECT_EQ(c.stats().thresholds[0].suppressed, 57u);
  // Suppressed until kDay + 2s + 10 min: hits from then on count afresh.
  feed(kDay + 2 * kSecond + 10 * kMinute);
  feed(kDay + 3 * kSecond + 10 * kMinute);
  EXPECT_EQ(all.size(), 1u);
  feed(kDay + 4 * kSecond + 10 * kMinute);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].hit_ids, (std::vector<int64_t>{61, 62, 63}));
  EXPECT_EQ(c.stats().thresholds[0].fired, 2u);
}

TEST(Correlator, SuppressZeroStillUsesEachHitOnce) {
  Threshold t = count_threshold("pairs", 2, kMinute);
  t.suppress_us = 0;
  const RuleSet rules = correlator_rules({t});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kFail, 1, kIpA).empty());
  EXPECT_EQ(hit(c, kDay + 1, kFail, 2, kIpA).size(), 1u);
  EXPECT_TRUE(hit(c, kDay + 2, kFail, 3, kIpA).empty());
  const auto fired = hit(c, kDay + 3, kFail, 4, kIpA);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{3, 4}));
}

TEST(Correlator, SuppressOptionOverridesThePacksValue) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 1, 0)});
  CorrelatorOptions options;
  options.suppress_us["brute"] = 0;
  Correlator c(rules, options);
  EXPECT_EQ(hit(c, kDay, kFail, 1, kIpA).size(), 1u);
  EXPECT_EQ(hit(c, kDay + 1, kFail, 2, kIpA).size(), 1u);  // pack says an hour
  Correlator packs(rules, {});
  EXPECT_EQ(hit(packs, kDay, kFail, 1, kIpA).size(), 1u);
  EXPECT_TRUE(hit(packs, kDay + 1, kFail, 2, kIpA).empty());
  EXPECT_EQ(hit(packs, kDay + kHour, kFail, 3, kIpA).size(), 1u);
}

TEST(Correlator, LateHitsArePlacedByTheirTime) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 3, 10 * kSecond)});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay + 10 * kSecond, kFail, 1, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 5 * kSecond, kFail, 2, kIpA).empty());
  const auto fired = hit(c, kDay + 8 * kSecond, kFail, 3, kIpA);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].first_ts_us, kDay + 5 * kSecond);
  EXPECT_EQ(fired[0].last_ts_us, kDay + 10 * kSecond);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{2, 3, 1}));  // oldest first
}

TEST(Correlator, AHitOlderThanTheWindowIsTooLate) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 2, 10 * kSecond)});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay + 100 * kSecond, kFail, 1, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 50 * kSecond, kFail, 2, kIpA).empty());  // 50 s late: dropped
  EXPECT_TRUE(hit(c, kDay + 90 * kSecond - 1, kFail, 3, kIpA).empty());
  EXPECT_EQ(hit(c, kDay + 90 * kSecond, kFail, 4, kIpA).size(), 1u);  // exactly at the start
}

TEST(Correlator, ExtremeTimesNeitherCrashNorWrap) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 2, kHour * 24 * 7)});
  Correlator c(rules, {});
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(hit(c, kMin, kFail, 1, kIpA).empty());
  EXPECT_EQ(hit(c, kMin + 1, kFail, 2, kIpA).size(), 1u);
  EXPECT_TRUE(hit(c, kMax, kFail, 3, kIpB).empty());
  EXPECT_EQ(hit(c, kMax, kFail, 4, kIpB).size(), 1u);
  EXPECT_TRUE(hit(c, kMax, kFail, 5, kIpB).empty());  // the alert emptied the window
  EXPECT_TRUE(hit(c, 0, kFail, 6, kIpB).empty());     // suppressed: far before the alert
}

TEST(Correlator, WeightCountsAnIntCaptureAndAnythingElseAsOne) {
  Threshold t = count_threshold("sudo", 4, 5 * kMinute, {"user"}, {kTries});
  t.weight = "attempts";
  const RuleSet rules = correlator_rules({t});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kTries, 1, {{"user", "mallory"}, {"attempts", "3"}}).empty());
  const auto four = hit(c, kDay, kTries, 1, {{"user", "mallory"}, {"attempts", "1"}});
  ASSERT_EQ(four.size(), 1u);
  EXPECT_EQ(four[0].count, 4u);
  EXPECT_EQ(four[0].key, key("user", "mallory"));
  for (std::string_view odd : {"0", "-2", "x"}) {
    EXPECT_TRUE(hit(c, kDay, kTries, 2, {{"user", "bob"}, {"attempts", odd}}).empty()) << odd;
  }
  EXPECT_TRUE(hit(c, kDay, kTries, 3, {{"user", "bob"}}).empty());  // no weight: no count
  const auto fired = hit(c, kDay + 1, kTries, 4, {{"user", "bob"}, {"attempts", "99999999999"}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{2, 2, 2, 4}));
  EXPECT_EQ(fired[0].count, 7u);  // 1 + 1 + 1 + a weight capped at the count
}

TEST(Correlator, DistinctCountsValuesOncePerWindow) {
  Threshold t = count_threshold("spray", 3, kHour);
  t.kind = Threshold::Kind::kDistinct;
  t.distinct = "user";
  const RuleSet rules = correlator_rules({t});
  Correlator c(rules, {});
  const auto user = [&](int64_t ts, int64_t id, std::string_view name) {
    return hit(c, kDay + ts, kFail, id, {{"ip", "198.51.100.23"}, {"user", name}});
  };
  EXPECT_TRUE(user(0, 1, "alice").empty());
  EXPECT_TRUE(user(kMinute, 2, "alice").empty());
  EXPECT_TRUE(user(2 * kMinute, 3, "bob").empty());
  EXPECT_TRUE(user(3 * kMinute, 4, "alice").empty());
  const auto fired = user(4 * kMinute, 5, "carol");
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].count, 3u);
  EXPECT_EQ(fired[0].first_ts_us, kDay + 2 * kMinute);  // bob, then alice's latest
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_TRUE(hit(c, kDay, kFail, 6, {{"ip", "198.51.100.23"}}).empty());  // no user
}

TEST(Correlator, DistinctValuesExpireWithTheWindow) {
  Threshold t = count_threshold("spray", 3, 10 * kMinute);
  t.kind = Threshold::Kind::kDistinct;
  t.distinct = "user";
  const RuleSet rules = correlator_rules({t});
  Correlator c(rules, {});
  const auto user = [&](int64_t ts, int64_t id, std::string_view name) {
    return hit(c, kDay + ts, kFail, id, {{"ip", "198.51.100.23"}, {"user", name}});
  };
  EXPECT_TRUE(user(0, 1, "a").empty());
  EXPECT_TRUE(user(5 * kMinute, 2, "b").empty());
  EXPECT_TRUE(user(10 * kMinute + 1, 3, "c").empty());  // "a" is gone
  EXPECT_EQ(user(10 * kMinute + 2, 4, "a").size(), 1u);
}

Threshold sequence_threshold(uint64_t first_count, int64_t within_us) {
  Threshold t = count_threshold("compromise", first_count, within_us);
  t.kind = Threshold::Kind::kSequence;
  t.then_rule_indexes = {kAccept};
  return t;
}

TEST(Correlator, SequenceFiresWhenThenFollowsEnoughFirstStageHits) {
  const RuleSet rules = correlator_rules({sequence_threshold(2, kHour)});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kAccept, 1, kIpA).empty());  // nothing to complete
  EXPECT_EQ(c.stats().groups, 0u);
  EXPECT_TRUE(hit(c, kDay + kMinute, kFail, 2, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 2 * kMinute, kAccept, 3, kIpA).empty());  // one failure only
  EXPECT_TRUE(hit(c, kDay + 3 * kMinute, kFail, 4, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 4 * kMinute, kAccept, 5, kIpB).empty());  // another address
  const auto fired = hit(c, kDay + 61 * kMinute, kAccept, 6, kIpA);   // exactly 1 h after
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].key, key("ip", "203.0.113.77"));
  EXPECT_EQ(fired[0].count, 2u);
  EXPECT_EQ(fired[0].first_ts_us, kDay + kMinute);
  EXPECT_EQ(fired[0].last_ts_us, kDay + 61 * kMinute);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{2, 4, 6}));
  // Used up and suppressed (an hour by default): a second login does not fire.
  EXPECT_TRUE(hit(c, kDay + 62 * kMinute, kAccept, 7, kIpA).empty());
}

TEST(Correlator, SequenceNeedsTheFirstStageWithinTheWindow) {
  const RuleSet rules = correlator_rules({sequence_threshold(1, kHour)});
  Correlator c(rules, {});
  EXPECT_TRUE(hit(c, kDay, kFail, 1, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + kHour + 1, kAccept, 2, kIpA).empty());
  // A first-stage hit after the login (arriving before it) does not count either.
  EXPECT_TRUE(hit(c, kDay + 2 * kHour, kFail, 3, kIpA).empty());
  EXPECT_TRUE(hit(c, kDay + 2 * kHour - 1, kAccept, 4, kIpA).empty());
  EXPECT_EQ(hit(c, kDay + 2 * kHour, kAccept, 5, kIpA).size(), 1u);
}

TEST(Correlator, SequenceKeepsOnlyTheLatestFirstStageHits) {
  const RuleSet rules = correlator_rules({sequence_threshold(3, kHour)});
  Correlator c(rules, {});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(hit(c, kDay + i * kSecond, kFail, i, kIpA).empty());
  const auto fired = hit(c, kDay + 100 * kSecond, kAccept, 100, kIpA);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].hit_ids, (std::vector<int64_t>{97, 98, 99, 100}));
}

TEST(Correlator, AllowlistsSkipHitsByTypedIpAndUser) {
  const RuleSet rules =
      correlator_rules({count_threshold("brute", 1, 0), count_threshold("by_user", 1, 0, {"user"}),
                        count_threshold("notes", 1, 0, {"ip"}, {kNote})});
  CorrelatorOptions options;
  options.global.cidrs = {*parse_cidr("10.0.0.0/8"), *parse_cidr("2001:db8::/32")};
  options.per_threshold["by_user"].users = {"deploy"};
  Correlator c(rules, options);
  EXPECT_TRUE(hit(c, kDay, kFail, 1, {{"ip", "10.0.0.31"}, {"user", "mallory"}}).empty());
  EXPECT_TRUE(hit(c, kDay, kFail, 2, {{"ip", "2001:db8::42"}, {"user", "x"}}).empty());
  const auto deploy = hit(c, kDay, kFail, 3, {{"ip", "203.0.113.9"}, {"user", "deploy"}});
  ASSERT_EQ(deploy.size(), 1u);  // only brute: by_user leaves deploy out
  EXPECT_EQ(deploy[0].threshold->id, "brute");
  // The note rule's ip is a plain string: no allowlist applies to it.
  EXPECT_EQ(hit(c, kDay, kNote, 4, {{"ip", "10.0.0.1"}}).size(), 1u);
  const Correlator::Stats stats = c.stats();
  EXPECT_EQ(stats.allowlisted, 5u);  // hits 1 and 2 for two thresholds, hit 3 for one
  EXPECT_EQ(stats.thresholds[1].allowlisted, 3u);
}

TEST(Correlator, WantsOnlyTheRulesItsThresholdsLookAt) {
  const RuleSet rules = correlator_rules({sequence_threshold(1, kHour)});
  const Correlator c(rules, {});
  EXPECT_TRUE(c.wants(kFail));
  EXPECT_TRUE(c.wants(kAccept));
  EXPECT_FALSE(c.wants(kTries));
  EXPECT_FALSE(c.wants(99));
  Correlator none(correlator_rules(), {});
  EXPECT_FALSE(none.wants(kFail));
  std::vector<Alert> fired;
  none.observe(CorrelatorHit{kDay, 99, 1, {}}, fired);  // an unknown rule is ignored
  EXPECT_TRUE(fired.empty());
}

TEST(Correlator, HorizonsAreTheLongestWindowAndSuppression) {
  Threshold a = count_threshold("a", 5, 10 * kMinute);
  Threshold b = count_threshold("b", 5, kHour);
  b.suppress_us = 0;
  const RuleSet rules = correlator_rules({a, b, count_threshold("c", 1, 0)});
  const Correlator c(rules, {});
  EXPECT_EQ(c.horizon_us(), kHour);
  EXPECT_EQ(c.alert_horizon_us(), kHour);
  CorrelatorOptions options;
  options.suppress_us["a"] = 3 * kHour;
  EXPECT_EQ(Correlator(rules, options).alert_horizon_us(), 3 * kHour);
}

TEST(Correlator, UnknownIdsInOptionsAreListed) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 5, kMinute)});
  CorrelatorOptions options;
  options.suppress_us["brute"] = 0;
  options.suppress_us["brutte"] = 0;
  options.per_threshold["nope"].users = {"x"};
  EXPECT_EQ(unknown_threshold_ids(rules, options), (std::vector<std::string>{"brutte", "nope"}));
}

}  // namespace
}  // namespace vigil::rules::test
