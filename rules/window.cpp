#include "rules/window.h"

#include <functional>
#include <utility>

namespace vigil::rules {

void HitWindow::insert(const WindowEntry& entry) {
  if (size_ == ring_.size()) grow();
  // Walk back from the newest: in-order hits stop at once, late ones a few steps in.
  size_t i = size_;
  while (i > 0 && at(i - 1).ts_us > entry.ts_us) {
    slot(i) = at(i - 1);
    --i;
  }
  slot(i) = entry;
  ++size_;
  weight_ += entry.weight;
}

void HitWindow::drop_older_than(int64_t ts_us) {
  while (size_ > 0 && at(0).ts_us < ts_us) drop_oldest();
}

void HitWindow::drop_oldest() {
  weight_ -= at(0).weight;
  head_ = (head_ + 1) % ring_.size();
  --size_;
}

void HitWindow::clear() {
  head_ = 0;
  size_ = 0;
  weight_ = 0;
}

void HitWindow::grow() {
  std::vector<WindowEntry> bigger(ring_.empty() ? 4 : ring_.size() * 2);
  for (size_t i = 0; i < size_; ++i) bigger[i] = at(i);
  ring_ = std::move(bigger);
  head_ = 0;
}

void DistinctWindow::record(std::string_view value, int64_t ts_us, int64_t hit_id) {
  const uint64_t hash = std::hash<std::string_view>{}(value);
  for (size_t i = 0; i < size_; ++i) {
    DistinctEntry& e = entries_[i];
    if (e.hash != hash || e.value != value) continue;
    if (ts_us >= e.ts_us) {  // keep the latest occurrence
      e.ts_us = ts_us;
      e.hit_id = hit_id;
    }
    return;
  }
  if (size_ == entries_.size()) entries_.emplace_back();
  DistinctEntry& e = entries_[size_++];
  e.ts_us = ts_us;
  e.hit_id = hit_id;
  e.hash = hash;
  e.value.assign(value);
}

void DistinctWindow::drop_older_than(int64_t ts_us) {
  for (size_t i = 0; i < size_;) {
    if (entries_[i].ts_us < ts_us) {
      remove(i);
    } else {
      ++i;
    }
  }
}

void DistinctWindow::remove(size_t i) {
  --size_;
  if (i != size_) std::swap(entries_[i], entries_[size_]);
}

}  // namespace vigil::rules
