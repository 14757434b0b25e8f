#pragma once
// Helpers for the correlator tests: a small rule set built by hand, thresholds on
// it, and hits given as (ts, rule, id, captures).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/correlator.h"
#include "rules/ruleset.h"

namespace vigil::rules::test {

constexpr int64_t kSecond = 1000000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
// 2026-11-28T00:00:00Z, so that times read like the sample day's.
constexpr int64_t kDay = int64_t{1795824000} * kSecond;

// Rule indexes of correlator_rules().
enum TestRule : size_t { kFail = 0, kAccept = 1, kTries = 2, kNote = 3 };

// fail and accept: ip (typed ip), user (typed user); tries: user, attempts (int);
// note: ip as a plain string.
inline RuleSet correlator_rules(std::vector<Threshold> thresholds = {}) {
  const auto capturing_rule = [](std::string id, std::vector<NamedCapture> captures) {
    Rule r;
    r.id = std::move(id);
    r.title = r.id;
    r.captures = std::move(captures);
    return r;
  };
  RuleSet set;
  set.rules.push_back(
      capturing_rule("fail", {{"ip", CaptureType::kIp}, {"user", CaptureType::kUser}}));
  set.rules.push_back(
      capturing_rule("accept", {{"ip", CaptureType::kIp}, {"user", CaptureType::kUser}}));
  set.rules.push_back(
      capturing_rule("tries", {{"user", CaptureType::kUser}, {"attempts", CaptureType::kInt}}));
  set.rules.push_back(capturing_rule("note", {}));
  set.thresholds = std::move(thresholds);
  return set;
}

inline Threshold count_threshold(std::string id, uint64_t count, int64_t within_us,
                                 std::vector<std::string> group_by = {"ip"},
                                 std::vector<size_t> rules = {kFail}) {
  Threshold t;
  t.id = std::move(id);
  t.title = t.id;
  t.kind = Threshold::Kind::kCount;
  t.count = count;
  t.within_us = within_us;
  t.suppress_us = within_us > 0 ? within_us : kHour;
  t.group_by = std::move(group_by);
  t.rule_indexes = std::move(rules);
  return t;
}

using Captures = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Feeds one hit; returns the alerts it fired.
inline std::vector<Alert> hit(Correlator& c, int64_t ts_us, size_t rule, int64_t id,
                              Captures captures) {
  std::vector<Capture> list;
  for (const auto& [name, value] : captures) list.push_back(Capture{name, value});
  std::vector<Alert> fired;
  c.observe(CorrelatorHit{ts_us, rule, id, list}, fired);
  return fired;
}

inline AlertKey key(std::string_view name, std::string_view value) {
  return {{std::string(name), std::string(value)}};
}

}  // namespace vigil::rules::test
