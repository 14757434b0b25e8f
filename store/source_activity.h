#pragma once
// What a source read, counted on the reader's side for the ingest-health
// report: lines per hour of log time, and silences (gaps) between two
// consecutive lines. Each batch takes what was counted since the last one along
// with the source's position, so the store commits it exactly once.
//
// Per line: one comparison for the hour, one for the gap, no allocation (the
// vectors trade places with the batch's, keeping their capacity).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "store/batch.h"

namespace vigil::store {

// Start of the UTC hour holding `ts_us` (rule_hour's convention), also before 1970.
constexpr int64_t hour_start_of(int64_t ts_us) {
  constexpr int64_t kHourUs = int64_t{3600} * 1'000'000;
  const int64_t rest = ts_us % kHourUs;
  return ts_us - (rest < 0 ? rest + kHourUs : rest);
}

class SourceActivity {
 public:
  static constexpr int64_t kHourUs = int64_t{3600} * 1'000'000;
  // A silence shorter than this is not recorded: the report's thresholds start
  // at 30 minutes, and a busy log stays far below it.
  static constexpr int64_t kGapFloorUs = int64_t{10} * 60 * 1'000'000;

  // After a restart: the latest log time already stored for the source
  // (Store::source), so that a silence across the restart is still seen.
  void resume_after(std::optional<int64_t> last_ts_us);

  // One line (or journal entry) at log time `ts_us`. A line that did not parse
  // counts in the hour of the time it was given (the line before's), but neither
  // ends nor starts a silence. Out-of-order lines never make a gap: only a jump
  // past the latest time seen does.
  void add(int64_t ts_us, bool parsed) {
    // Unsigned: no overflow whatever the times; one test covers both ends.
    if (static_cast<uint64_t>(ts_us) - static_cast<uint64_t>(hour_start_) >=
        static_cast<uint64_t>(kHourUs)) [[unlikely]] {
      enter_hour(ts_us);
    }
    HourCount& hour = hours_[current_];
    ++hour.lines;
    hour.first_ts_us = std::min(hour.first_ts_us, ts_us);
    hour.last_ts_us = std::max(hour.last_ts_us, ts_us);
    if (!parsed) {
      ++hour.parse_failures;
      return;
    }
    if (static_cast<int64_t>(static_cast<uint64_t>(ts_us) - static_cast<uint64_t>(last_ts_us_)) >
        kGapFloorUs) [[unlikely]] {
      note_jump(ts_us);
    }
    last_ts_us_ = std::max(last_ts_us_, ts_us);
  }

  // Moves the hours and gaps counted since the last call into `into`.
  void take(BatchSource& into);

  // The latest log time of a parsed line, if any (for tests).
  std::optional<int64_t> last_ts_us() const;

 private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();
  // Not an hour's start: the first line always enters an hour. (A time within
  // an hour of it, 292,000 years BC, would be counted wrongly: no parser makes one.)
  static constexpr int64_t kNoHour = kNone + 1;

  void enter_hour(int64_t ts_us);
  void note_jump(int64_t ts_us);

  std::vector<HourCount> hours_;
  std::vector<GapRecord> gaps_;
  size_t current_ = 0;  // hours_[current_] is the hour starting at hour_start_
  int64_t hour_start_ = kNoHour;
  int64_t last_ts_us_ = kNone;  // the latest parsed line's time
};

}  // namespace vigil::store
