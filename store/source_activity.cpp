#include "store/source_activity.h"

#include <utility>

namespace vigil::store {

void SourceActivity::resume_after(std::optional<int64_t> last_ts_us) {
  if (last_ts_us && *last_ts_us > last_ts_us_) last_ts_us_ = *last_ts_us;
}

// Lines of one hour usually come together; the few hours a batch spans are
// searched from the newest, so lines going back and forth between two hours
// do not add a row each.
void SourceActivity::enter_hour(int64_t ts_us) {
  const int64_t hour = hour_start_of(ts_us);
  hour_start_ = hour;
  for (size_t i = hours_.size(); i-- > 0;) {
    if (hours_[i].hour_us == hour) {
      current_ = i;
      return;
    }
  }
  hours_.push_back(HourCount{hour, 0, 0, ts_us, ts_us});
  current_ = hours_.size() - 1;
}

void SourceActivity::note_jump(int64_t ts_us) {
  if (last_ts_us_ == kNone) return;  // the first line: no silence before it is known
  gaps_.push_back(GapRecord{last_ts_us_, ts_us});
}

void SourceActivity::take(BatchSource& into) {
  if (into.hours.empty()) {
    std::swap(into.hours, hours_);
  } else {
    into.hours.insert(into.hours.end(), hours_.begin(), hours_.end());
  }
  if (into.gaps.empty()) {
    std::swap(into.gaps, gaps_);
  } else {
    into.gaps.insert(into.gaps.end(), gaps_.begin(), gaps_.end());
  }
  hours_.clear();
  gaps_.clear();
  hour_start_ = kNoHour;
}

std::optional<int64_t> SourceActivity::last_ts_us() const {
  if (last_ts_us_ == kNone) return std::nullopt;
  return last_ts_us_;
}

}  // namespace vigil::store
