#include "rules/threshold_state.h"

#include <algorithm>
#include <limits>

namespace vigil::rules {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Saturating, so that no ts a parser produced can overflow the window's ends.
int64_t minus(int64_t a, int64_t b) {
  return a < kMin + b ? kMin : a - b;
}
int64_t plus(int64_t a, int64_t b) {
  return a > kMax - b ? kMax : a + b;
}

}  // namespace

ThresholdState::ThresholdState(const Threshold& threshold, size_t index, int64_t suppress_us,
                               size_t max_groups)
    : threshold_(threshold), index_(index), suppress_us_(suppress_us), groups_(max_groups) {}

void ThresholdState::count(const std::string& group, const Observed& hit,
                           std::vector<Alert>& fired) {
  Group& g = groups_.get(group);
  if (quiet(g, hit.ts_us)) return;
  switch (threshold_.kind) {
    case Threshold::Kind::kCount:
      count_hit(g, hit, fired);
      break;
    case Threshold::Kind::kDistinct:
      count_distinct(g, hit, fired);
      break;
    case Threshold::Kind::kSequence:
      count_first(g, hit);
      break;
  }
}

// The then-hit completes a sequence when enough first-stage hits of its key are
// in [ts - within, ts]; it is not itself kept.
void ThresholdState::complete(const std::string& group, const Observed& hit,
                              std::vector<Alert>& fired) {
  Group* g = groups_.find(group);
  if (g == nullptr || quiet(*g, hit.ts_us)) return;  // no first stage: nothing to complete
  const int64_t from = minus(hit.ts_us, threshold_.within_us);
  size_t in_window = 0;
  for (size_t i = 0; i < g->hits.size(); ++i) {
    const int64_t ts = g->hits.at(i).ts_us;
    in_window += ts >= from && ts <= hit.ts_us ? 1 : 0;
  }
  if (in_window < threshold_.count) return;
  Alert& alert = fire(*g, hit, hit.ts_us, fired);
  for (size_t i = 0; i < g->hits.size(); ++i) {
    const WindowEntry& e = g->hits.at(i);
    if (e.ts_us < from || e.ts_us > hit.ts_us) continue;
    if (alert.hit_ids.empty()) alert.first_ts_us = e.ts_us;
    alert.hit_ids.push_back(e.hit_id);
  }
  alert.hit_ids.push_back(hit.hit_id);
  alert.count = in_window;
  g->hits.clear();
}

void ThresholdState::restore(const std::string& group, int64_t fired_ts_us) {
  Group& g = groups_.get(group);
  // At least past the alert itself: its hits were used up, even with suppress 0.
  g.quiet_until_us =
      std::max(g.quiet_until_us, plus(fired_ts_us, std::max<int64_t>(suppress_us_, 1)));
}

Correlator::ThresholdStats ThresholdState::stats() const {
  return Correlator::ThresholdStats{threshold_.id, groups_.size(), groups_.evictions(),
                                    allowlisted_,  suppressed_,    fired_};
}

bool ThresholdState::quiet(const Group& g, int64_t ts_us) {
  if (ts_us >= g.quiet_until_us) return false;
  ++suppressed_;
  return true;
}

bool ThresholdState::admit(Group& g, int64_t ts_us, int64_t& window_start) const {
  g.newest_us = std::max(g.newest_us, ts_us);
  window_start = minus(g.newest_us, threshold_.within_us);
  return ts_us >= window_start;
}

void ThresholdState::count_hit(Group& g, const Observed& hit, std::vector<Alert>& fired) {
  int64_t from = 0;
  if (!admit(g, hit.ts_us, from)) return;
  // A weight past the count changes nothing, and capping it keeps the sum small.
  g.hits.insert(WindowEntry{hit.ts_us, hit.hit_id, std::min(hit.weight, threshold_.count)});
  g.hits.drop_older_than(from);
  if (g.hits.weight() < threshold_.count) return;
  Alert& alert = fire(g, hit, g.newest_us, fired);
  alert.count = g.hits.weight();
  alert.first_ts_us = g.hits.at(0).ts_us;
  for (size_t i = 0; i < g.hits.size(); ++i) alert.hit_ids.push_back(g.hits.at(i).hit_id);
  g.hits.clear();
}

void ThresholdState::count_distinct(Group& g, const Observed& hit, std::vector<Alert>& fired) {
  int64_t from = 0;
  if (!admit(g, hit.ts_us, from)) return;
  g.values.record(hit.distinct, hit.ts_us, hit.hit_id);
  g.values.drop_older_than(from);
  if (g.values.size() < threshold_.count) return;
  Alert& alert = fire(g, hit, g.newest_us, fired);
  alert.count = g.values.size();
  std::vector<std::pair<int64_t, int64_t>> hits;  // (ts, id) of each value's latest hit
  for (size_t i = 0; i < g.values.size(); ++i) {
    hits.emplace_back(g.values.at(i).ts_us, g.values.at(i).hit_id);
  }
  std::sort(hits.begin(), hits.end());
  // Never empty: the value just recorded is at or after `from`, so it outlived the drop.
  // cppcheck-suppress containerOutOfBounds ; cppcheck assumes the loop above may not run
  alert.first_ts_us = hits.front().first;
  for (const auto& [ts, id] : hits) alert.hit_ids.push_back(id);
  g.values.clear();
}

// First-stage hits wait for their `then`; only the latest `count` can matter.
void ThresholdState::count_first(Group& g, const Observed& hit) {
  int64_t from = 0;
  if (!admit(g, hit.ts_us, from)) return;
  g.hits.insert(WindowEntry{hit.ts_us, hit.hit_id, 1});
  g.hits.drop_older_than(from);
  while (g.hits.size() > threshold_.count) g.hits.drop_oldest();
}

Alert& ThresholdState::fire(Group& g, const Observed& hit, int64_t at_us,
                            std::vector<Alert>& fired) {
  ++fired_;
  g.quiet_until_us = plus(at_us, suppress_us_);
  Alert& alert = fired.emplace_back();
  alert.threshold_index = index_;
  alert.threshold = &threshold_;
  alert.key.reserve(hit.key.size());
  for (size_t i = 0; i < hit.key.size(); ++i) {
    alert.key.emplace_back(threshold_.group_by[i], hit.key[i]);
  }
  alert.first_ts_us = at_us;
  alert.last_ts_us = at_us;
  return alert;
}

}  // namespace vigil::rules
