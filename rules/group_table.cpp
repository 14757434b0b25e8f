#include "rules/group_table.h"

namespace vigil::rules {

Group* GroupTable::find(const std::string& key) {
  const auto it = groups_.find(key);
  if (it == groups_.end()) return nullptr;
  touch(it->second);
  return &it->second;
}

Group& GroupTable::get(const std::string& key) {
  // cppcheck-suppress constVariable ; false positive: *g is returned as a Group&
  if (Group* g = find(key)) return *g;
  if (groups_.size() >= max_groups_) evict_oldest();
  const auto [it, inserted] = groups_.try_emplace(key);
  Group& g = it->second;
  g.key_ = &it->first;
  link_newest(g);
  return g;
}

void GroupTable::touch(Group& g) {
  if (newest_ == &g) return;
  unlink(g);
  link_newest(g);
}

void GroupTable::unlink(Group& g) {
  (g.newer_ != nullptr ? g.newer_->older_ : newest_) = g.older_;
  (g.older_ != nullptr ? g.older_->newer_ : oldest_) = g.newer_;
  g.newer_ = g.older_ = nullptr;
}

void GroupTable::link_newest(Group& g) {
  g.older_ = newest_;
  g.newer_ = nullptr;
  if (newest_ != nullptr) newest_->newer_ = &g;
  newest_ = &g;
  if (oldest_ == nullptr) oldest_ = &g;
}

void GroupTable::evict_oldest() {
  Group* victim = oldest_;
  if (victim == nullptr) return;
  unlink(*victim);
  // Erase through an iterator: erase(key) would read the key while destroying it.
  groups_.erase(groups_.find(*victim->key_));
  ++evictions_;
}

}  // namespace vigil::rules
