#pragma once
// The per-group memory of the correlator (rules/correlator.h): the hits of one
// key that are still inside a threshold's window. Bounded by the caller, which
// never keeps more entries than the threshold's count; storage is reused, so a
// group in steady state costs no allocation per hit.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::rules {

struct WindowEntry {
  int64_t ts_us = 0;
  int64_t hit_id = 0;
  uint64_t weight = 1;
};

// Hits in ts order, oldest first, in a ring that grows to the largest size it
// was asked to hold. A hit that arrives late is placed by its ts.
class HitWindow {
 public:
  void insert(const WindowEntry& entry);  // after entries with the same ts
  void drop_older_than(int64_t ts_us);    // removes entries with ts < ts_us
  void drop_oldest();
  void clear();

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const WindowEntry& at(size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  uint64_t weight() const { return weight_; }  // the sum over the entries

 private:
  WindowEntry& slot(size_t i) { return ring_[(head_ + i) % ring_.size()]; }
  void grow();

  std::vector<WindowEntry> ring_;
  size_t head_ = 0;
  size_t size_ = 0;
  uint64_t weight_ = 0;
};

struct DistinctEntry {
  int64_t ts_us = 0;  // the value's latest occurrence
  int64_t hit_id = 0;
  uint64_t hash = 0;
  std::string value;
};

// The latest occurrence of each distinct value, in no order. Lookups compare
// hashes first; the entries (and their strings' capacity) are reused.
class DistinctWindow {
 public:
  void record(std::string_view value, int64_t ts_us, int64_t hit_id);
  void drop_older_than(int64_t ts_us);
  void clear() { size_ = 0; }

  size_t size() const { return size_; }
  const DistinctEntry& at(size_t i) const { return entries_[i]; }

 private:
  void remove(size_t i);  // moves the last live entry into i

  std::vector<DistinctEntry> entries_;  // the first size_ are live
  size_t size_ = 0;
};

}  // namespace vigil::rules
