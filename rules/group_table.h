#pragma once
// One threshold's groups by key, bounded: beyond max_groups the least recently
// updated group is evicted (an intrusive list keeps the order, O(1) per touch).

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>

#include "rules/window.h"

namespace vigil::rules {

struct Group {
  HitWindow hits;                                           // kCount; kSequence's first stage
  DistinctWindow values;                                    // kDistinct
  int64_t newest_us = std::numeric_limits<int64_t>::min();  // latest ts counted
  // Hits before this are not counted: the key is suppressed after an alert, and
  // what came before the alert was used up by it.
  int64_t quiet_until_us = std::numeric_limits<int64_t>::min();

 private:
  friend class GroupTable;
  Group* newer_ = nullptr;
  Group* older_ = nullptr;
  const std::string* key_ = nullptr;  // the map's own key
};

class GroupTable {
 public:
  explicit GroupTable(size_t max_groups) : max_groups_(max_groups > 0 ? max_groups : 1) {}
  GroupTable(const GroupTable&) = delete;
  GroupTable& operator=(const GroupTable&) = delete;
  GroupTable(GroupTable&&) = default;
  GroupTable& operator=(GroupTable&&) = delete;
  ~GroupTable() = default;

  // The group of `key`, marked as just updated; null when there is none.
  Group* find(const std::string& key);
  // The same, creating the group (and evicting the oldest) when there is none.
  Group& get(const std::string& key);

  size_t size() const { return groups_.size(); }
  uint64_t evictions() const { return evictions_; }

 private:
  void touch(Group& g);
  void unlink(Group& g);
  void link_newest(Group& g);
  void evict_oldest();

  // Node-based: a Group's address and its key's stay put through rehashing.
  std::unordered_map<std::string, Group> groups_;
  Group* newest_ = nullptr;
  Group* oldest_ = nullptr;
  size_t max_groups_;
  uint64_t evictions_ = 0;
};

}  // namespace vigil::rules
