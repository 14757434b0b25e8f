#pragma once
// Thresholds as loaded from packs: plain data, like the rules. A threshold turns
// hits into alerts: enough hits of some rules for one key (an ip, a user, a
// unit) within a time window. rules/correlator.h evaluates them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/pack_basics.h"

namespace vigil::rules {

// Which hits a threshold looks at: a hit of any listed rule, or of any rule that
// carries any listed tag.
struct HitSelector {
  std::vector<std::string> rules;
  std::vector<std::string> tags;

  bool empty() const { return rules.empty() && tags.empty(); }
};

struct Threshold {
  enum class Kind {
    kCount,     // the hits (or their weights) reach `count`
    kDistinct,  // the distinct values of `distinct` reach `count`
    kSequence,  // `count` hits of `hits`, then one of `then`
  };

  std::string id;  // "ssh.bruteforce"; unique across rules and thresholds
  std::string title;
  Severity severity = Severity::kMedium;
  Kind kind = Kind::kCount;
  HitSelector hits;                   // count/distinct: what is counted; sequence: the first stage
  HitSelector then;                   // sequence only: the hit that completes it
  std::vector<std::string> group_by;  // capture names forming the key; empty: one group
  std::string distinct;               // kDistinct: the capture whose values are counted
  std::string weight;                 // kCount, optional: an int capture counted instead of 1
  uint64_t count = 1;                 // 1 to kMaxCount; sequence: first-stage hits needed
  int64_t within_us = 0;              // the window; 0 only for a kCount with count 1
  int64_t suppress_us = 0;            // after an alert, the key stays quiet this long
  std::string pack;
  Location where;  // the threshold's "- id:" entry
  // Resolved by the loader against RuleSet::rules: `hits` and `then` as rule
  // indexes, ascending, no repeats.
  std::vector<size_t> rule_indexes;
  std::vector<size_t> then_rule_indexes;

  static constexpr uint64_t kMaxCount = 100000;
  static constexpr int64_t kMaxWindowUs = int64_t{7} * 24 * 3600 * 1000000;  // 7 days
};

const char* to_string(Threshold::Kind kind);  // "count", "distinct", "sequence"

// "30s", "10m", "1h", "1d" (a whole number and a unit) or "0", as microseconds.
std::optional<int64_t> parse_window(std::string_view text);

}  // namespace vigil::rules
