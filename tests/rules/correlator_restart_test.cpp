// The correlator across a restart (the protocol in rules/correlator.h), and its
// memory bound under a flood of keys.

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <tuple>
#include <vector>

#include "rules/correlator.h"
#include "tests/rules/correlator_test_util.h"

namespace vigil::rules::test {
namespace {

// What the store keeps of a hit and of an alert.
struct StoredHit {
  int64_t id = 0;
  int64_t ts_us = 0;
  size_t rule = 0;
  std::string ip;
};

struct StoredAlert {
  std::string threshold;
  AlertKey key;
  int64_t last_ts_us = 0;
  std::vector<int64_t> hit_ids;

  bool operator==(const StoredAlert&) const = default;
};

std::vector<StoredAlert> feed(Correlator& c, const std::vector<StoredHit>& hits) {
  std::vector<StoredAlert> out;
  std::vector<Alert> fired;
  for (const StoredHit& h : hits) {
    const std::array<Capture, 2> captures = {{{"ip", h.ip}, {"user", "root"}}};
    c.observe(CorrelatorHit{h.ts_us, h.rule, h.id, captures}, fired);
  }
  out.reserve(fired.size());
  for (Alert& a : fired) {
    out.push_back(StoredAlert{a.threshold->id, std::move(a.key), a.last_ts_us, a.hit_ids});
  }
  return out;
}

// brute: 5 within 10 min, suppressed an hour. pairs: 2 within 10 min, suppress 0.
// compromise: 2 failures, then a login, within an hour.
RuleSet restart_rules() {
  Threshold brute = count_threshold("brute", 5, 10 * kMinute);
  brute.suppress_us = kHour;
  brute.rule_indexes = {kFail};
  Threshold pairs = count_threshold("pairs", 2, 10 * kMinute, {"ip"}, {kNote});
  pairs.suppress_us = 0;
  Threshold compromise = count_threshold("compromise", 2, kHour);
  compromise.kind = Threshold::Kind::kSequence;
  compromise.then_rule_indexes = {kAccept};
  compromise.rule_indexes = {kFail};
  compromise.suppress_us = kHour;
  return correlator_rules({brute, pairs, compromise});
}

// A: a brute force that fired and goes on (suppressed). B: a window of 3 of 5.
// C: pairs that fired once, with one more hit waiting. D: two failures, login later.
std::vector<StoredHit> before_restart() {
  std::vector<StoredHit> hits;
  const auto add = [&](int64_t minutes, size_t rule, const char* ip) {
    hits.push_back(
        StoredHit{static_cast<int64_t>(hits.size()) + 1, kDay + minutes * kMinute, rule, ip});
  };
  for (int m = 0; m < 8; ++m) add(m, kFail, "203.0.113.77");
  add(1, kNote, "192.0.2.3");
  add(2, kNote, "192.0.2.3");
  add(3, kNote, "192.0.2.3");
  add(8, kFail, "198.51.100.23");
  add(9, kFail, "198.51.100.23");
  add(10, kFail, "198.51.100.23");
  add(11, kFail, "192.0.2.4");
  add(12, kFail, "192.0.2.4");
  return hits;
}

std::vector<StoredHit> after_restart(int64_t first_id) {
  std::vector<StoredHit> hits;
  const auto add = [&](int seconds, size_t rule, const char* ip) {
    hits.push_back(StoredHit{first_id++, kDay + seconds * kSecond, rule, ip});
  };
  add(12 * 60 + 30, kNote, "192.0.2.3");
  add(13 * 60, kFail, "203.0.113.77");
  add(14 * 60, kFail, "203.0.113.77");
  add(15 * 60, kFail, "198.51.100.23");
  add(16 * 60, kFail, "198.51.100.23");
  add(30 * 60, kAccept, "192.0.2.4");
  return hits;
}

TEST(CorrelatorRestart, RebuiltStateFiresNothingTwiceAndCompletesHalfFilledWindows) {
  const RuleSet rules = restart_rules();
  const std::vector<StoredHit> first = before_restart();
  const std::vector<StoredHit> second = after_restart(static_cast<int64_t>(first.size()) + 1);

  // Before the restart.
  std::vector<StoredAlert> stored;
  {
    Correlator before(rules, {});
    stored = feed(before, first);
  }
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0],
            (StoredAlert{"brute", key("ip", "203.0.113.77"), kDay + 4 * kMinute, {1, 2, 3, 4, 5}}));
  EXPECT_EQ(stored[1], (StoredAlert{"pairs", key("ip", "192.0.2.3"), kDay + 2 * kMinute, {9, 10}}));

  // The restart: suppression from stored alerts, then the stored hits replayed.
  Correlator after(rules, {});
  const int64_t latest = first.back().ts_us;
  for (const StoredAlert& a : stored) {
    if (a.last_ts_us >= latest - after.alert_horizon_us()) {
      EXPECT_TRUE(after.restore_suppression(a.threshold, a.key, a.last_ts_us));
    }
  }
  std::vector<StoredHit> replay;
  for (const StoredHit& h : first) {
    if (h.ts_us >= latest - after.horizon_us()) replay.push_back(h);
  }
  EXPECT_TRUE(feed(after, replay).empty()) << "the replay fired again";

  const std::vector<StoredAlert> later = feed(after, second);
  ASSERT_EQ(later.size(), 3u);
  // C's waiting hit (id 11) pairs with the first one after the restart.
  EXPECT_EQ(later[0],
            (StoredAlert{"pairs", key("ip", "192.0.2.3"), kDay + 750 * kSecond, {11, 17}}));
  // B: three hits before, two after.
  EXPECT_EQ(later[1],
            (StoredAlert{
                "brute", key("ip", "198.51.100.23"), kDay + 16 * kMinute, {12, 13, 14, 20, 21}}));
  // D: the failures before, the login after.
  EXPECT_EQ(later[2],
            (StoredAlert{"compromise", key("ip", "192.0.2.4"), kDay + 30 * kMinute, {15, 16, 22}}));

  // The same alerts as one run that never stopped.
  Correlator continuous(rules, {});
  std::vector<StoredHit> all = first;
  all.insert(all.end(), second.begin(), second.end());
  std::vector<StoredAlert> expected = stored;
  expected.insert(expected.end(), later.begin(), later.end());
  EXPECT_EQ(feed(continuous, all), expected);
}

TEST(CorrelatorRestart, RestoreRefusesUnknownIdsAndWrongKeys) {
  const RuleSet rules = restart_rules();
  Correlator c(rules, {});
  EXPECT_FALSE(c.restore_suppression("nope", key("ip", "1.2.3.4"), kDay));
  EXPECT_FALSE(c.restore_suppression("brute", key("user", "root"), kDay));
  EXPECT_FALSE(c.restore_suppression("brute", {}, kDay));
  EXPECT_TRUE(c.restore_suppression("brute", key("ip", "1.2.3.4"), kDay));
  EXPECT_EQ(c.stats().groups, 1u);
}

TEST(CorrelatorLimits, AFloodOfKeysKeepsGroupsBounded) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 5, 10 * kMinute)});
  CorrelatorOptions options;
  options.max_groups = 1000;
  Correlator c(rules, options);
  std::vector<Alert> fired;
  for (uint32_t i = 0; i < 1000000; ++i) {
    const std::string ip = "10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) +
                           "." + std::to_string(i & 255);
    const std::array<Capture, 1> captures = {{{"ip", ip}}};
    c.observe(CorrelatorHit{kDay + i, kFail, i, captures}, fired);
    ASSERT_LE(c.stats().groups, 1000u);
  }
  EXPECT_TRUE(fired.empty());
  const Correlator::Stats stats = c.stats();
  EXPECT_EQ(stats.groups, 1000u);
  EXPECT_EQ(stats.evictions, 999000u);
  EXPECT_EQ(stats.thresholds[0].evictions, 999000u);
}

TEST(CorrelatorLimits, EvictionTakesTheLeastRecentlyUpdatedGroup) {
  const RuleSet rules = correlator_rules({count_threshold("brute", 3, kHour)});
  CorrelatorOptions options;
  options.max_groups = 2;
  Correlator c(rules, options);
  EXPECT_TRUE(hit(c, kDay, kFail, 1, {{"ip", "192.0.2.1"}}).empty());
  EXPECT_TRUE(hit(c, kDay + 1, kFail, 2, {{"ip", "192.0.2.2"}}).empty());
  EXPECT_TRUE(hit(c, kDay + 2, kFail, 3, {{"ip", "192.0.2.1"}}).empty());  // .1 is newer now
  EXPECT_TRUE(hit(c, kDay + 3, kFail, 4, {{"ip", "192.0.2.3"}}).empty());  // evicts .2
  EXPECT_EQ(hit(c, kDay + 4, kFail, 5, {{"ip", "192.0.2.1"}}).size(), 1u);
  EXPECT_TRUE(hit(c, kDay + 5, kFail, 6, {{"ip", "192.0.2.2"}}).empty());  // starts over
  EXPECT_EQ(c.stats().evictions, 2u);
}

}  // namespace
}  // namespace vigil::rules::test
