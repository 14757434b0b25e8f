#pragma once
// One threshold's evaluation inside the correlator: its groups and the rules of
// counting, firing and suppression for its kind (see rules/correlator.h).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/correlator.h"
#include "rules/group_table.h"

namespace vigil::rules {

// A hit as one threshold sees it, once it passed the allowlist and has its key.
struct Observed {
  int64_t ts_us = 0;
  int64_t hit_id = 0;
  uint64_t weight = 1;
  std::string_view distinct;              // kDistinct: the counted value
  std::span<const std::string_view> key;  // the group_by values, in order
};

class ThresholdState {
 public:
  ThresholdState(const Threshold& threshold, size_t index, int64_t suppress_us, size_t max_groups);

  // A hit of a counted rule (a sequence's first stage); `group` is its encoded key.
  void count(const std::string& group, const Observed& hit, std::vector<Alert>& fired);
  // A hit of a sequence's `then` rules.
  void complete(const std::string& group, const Observed& hit, std::vector<Alert>& fired);
  // An alert stored for `group` fired at `fired_ts_us`.
  void restore(const std::string& group, int64_t fired_ts_us);

  const Threshold& threshold() const { return threshold_; }
  int64_t suppress_us() const { return suppress_us_; }
  Correlator::ThresholdStats stats() const;
  void note_allowlisted() { ++allowlisted_; }

 private:
  bool quiet(const Group& g, int64_t ts_us);
  // The start of the group's window once it counted `ts_us`; false when the hit
  // is older than that start (it came too late).
  bool admit(Group& g, int64_t ts_us, int64_t& window_start) const;
  void count_hit(Group& g, const Observed& hit, std::vector<Alert>& fired);
  void count_distinct(Group& g, const Observed& hit, std::vector<Alert>& fired);
  void count_first(Group& g, const Observed& hit);
  Alert& fire(Group& g, const Observed& hit, int64_t at_us, std::vector<Alert>& fired);

  const Threshold& threshold_;
  size_t index_;
  int64_t suppress_us_;
  GroupTable groups_;
  uint64_t allowlisted_ = 0;
  uint64_t suppressed_ = 0;
  uint64_t fired_ = 0;
};

}  // namespace vigil::rules
