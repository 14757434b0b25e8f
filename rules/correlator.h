#pragma once
// Thresholds over hits: counts per key in a sliding window of log time, which
// turn into alerts ("5 failed passwords from one address within 10 minutes").
// The semantics are in packs/FORMAT.md, "Thresholds"; in short:
//
// - Time is the hit's log time. The window of a group (one key of one threshold)
//   is [newest - within, newest], both ends included, where newest is the latest
//   ts the group counted. A hit that arrives out of order is placed by its ts; one
//   older than the window's start is too late and is not counted.
// - An alert fires once, when the window crosses the count. The group's window is
//   then emptied, and its hits up to the alert's time plus `suppress` are not
//   counted (so no alert repeats while suppressed, and none reuses a hit).
// - Memory is bounded: a group keeps at most `count` entries, a threshold at most
//   max_groups groups (the least recently updated one is evicted).
//
// Not thread-safe: one thread observes (the writer's, in `vigil run`).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ip.h"
#include "rules/matcher.h"
#include "rules/ruleset.h"

namespace vigil::rules {

struct CorrelatorHit {
  int64_t ts_us = 0;                  // the line's time (log time, not the clock)
  size_t rule_index = 0;              // into RuleSet::rules
  int64_t hit_id = 0;                 // handed back in alerts (the stored hit's id)
  std::span<const Capture> captures;  // valid during observe() only
};

// A group's key: the threshold's group_by names in order, with their values.
using AlertKey = std::vector<std::pair<std::string, std::string>>;

struct Alert {
  size_t threshold_index = 0;  // into RuleSet::thresholds
  const Threshold* threshold = nullptr;
  AlertKey key;
  uint64_t count = 0;            // hits (or their weight), distinct values, or first-stage hits
  int64_t first_ts_us = 0;       // the oldest hit it counted
  int64_t last_ts_us = 0;        // the newest: the time the alert fired
  std::vector<int64_t> hit_ids;  // the hits that made it, oldest first (a sequence's then last)
};

// Hits to leave out: a capture typed `ip` inside one of the blocks, or one typed
// `user` equal to one of the names.
struct Allowlist {
  std::vector<Cidr> cidrs;
  std::vector<std::string> users;

  bool empty() const { return cidrs.empty() && users.empty(); }
};

struct CorrelatorOptions {
  // Per threshold; beyond it the least recently updated group is evicted (and
  // counted in Stats::evictions). At least 1.
  size_t max_groups = 100000;
  Allowlist global;                                // applies to every threshold
  std::map<std::string, Allowlist> per_threshold;  // by threshold id, added to global
  std::map<std::string, int64_t> suppress_us;  // by threshold id: replaces Threshold::suppress_us
};

// Ids that `options` names (per_threshold, suppress_us) but `rules` has no
// threshold for, sorted: a configuration should be refused for them.
std::vector<std::string> unknown_threshold_ids(const RuleSet& rules,
                                               const CorrelatorOptions& options);

class Correlator {
 public:
  // `rules` must outlive the correlator (the matcher's RuleSet does).
  Correlator(const RuleSet& rules, CorrelatorOptions options);
  ~Correlator();
  Correlator(const Correlator&) = delete;
  Correlator& operator=(const Correlator&) = delete;

  // Whether any threshold looks at hits of this rule; O(1). A caller can skip
  // building a CorrelatorHit for the others.
  bool wants(size_t rule_index) const;

  // Counts one hit toward every threshold that looks at its rule; appends the
  // alerts it makes fire to `fired`. No allocation in steady state, apart from
  // new groups and alerts.
  void observe(const CorrelatorHit& hit, std::vector<Alert>& fired);

  // Rebuilding after a restart, so that nothing fires twice and half-filled
  // windows carry on. Let `latest` be the newest stored hit's ts:
  //   1. restore_suppression(threshold id, key, last_ts_us) for every stored alert
  //      with last_ts_us >= latest - alert_horizon_us();
  //   2. observe() every stored hit with ts_us >= latest - horizon_us(), in the
  //      order they were stored, discarding the alerts that fire.
  // Returns false (and does nothing) for an unknown id or a key whose names are not
  // the threshold's group_by.
  bool restore_suppression(std::string_view threshold_id, const AlertKey& key, int64_t fired_ts_us);
  // How far back hits must be replayed to rebuild every window: the longest within.
  int64_t horizon_us() const;
  // How far back stored alerts still matter: the longest of within and suppress.
  int64_t alert_horizon_us() const;

  struct ThresholdStats {
    std::string_view id;
    size_t groups = 0;
    uint64_t evictions = 0;
    uint64_t allowlisted = 0;  // hits left out by an allowlist
    uint64_t suppressed = 0;   // hits not counted because their key was suppressed
    uint64_t fired = 0;
  };
  struct Stats {
    uint64_t evictions = 0;
    uint64_t allowlisted = 0;
    size_t groups = 0;
    std::vector<ThresholdStats> thresholds;  // in RuleSet::thresholds order
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::rules
