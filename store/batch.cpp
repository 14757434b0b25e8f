#include "store/batch.h"

#include <stdexcept>

#include "core/error.h"

namespace vigil::store {
namespace {

// clear() keeps the arena's memory for the next batch, unless a batch of huge
// lines grew it past this: then the memory goes back instead of staying pinned.
constexpr size_t kKeptArenaBytes = size_t{16} << 20;

size_t text_size(const HitView& h) {
  size_t size = h.host.size() + h.program.size() + h.unit.size() + h.rule.size() +
                h.severity.size() + h.message.size() + h.captures_json.size();
  for (const NamedValue& c : h.captures) size += c.name.size() + c.value.size();
  return size;
}

}  // namespace

uint32_t Batch::add_source(std::string key, std::string display) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].key == key) return static_cast<uint32_t>(i);
  }
  if (sources_.size() >= UINT32_MAX)
    throw std::length_error("vigil::store::Batch: too many sources");
  BatchSource& added = sources_.emplace_back();
  added.key = std::move(key);
  added.display = std::move(display);
  return static_cast<uint32_t>(sources_.size() - 1);
}

void Batch::add_hit(const HitView& h) {
  if (h.source >= sources_.size()) {
    throw std::out_of_range("vigil::store::Batch: hit names source " + std::to_string(h.source) +
                            " of " + std::to_string(sources_.size()));
  }
  // Checked before anything is copied, so every Span below fits in 32 bits.
  if (text_size(h) > kMaxTextBytes - arena_.size()) {
    throw Error("batch: more than 4 GiB of hit text; commit batches by size as well as count");
  }
  StoredHit s{};
  s.ts_us = h.ts_us;
  s.line = h.line;
  s.offset = h.offset;
  s.source = h.source;
  s.pid = h.pid;
  s.first_pair = static_cast<uint32_t>(pairs_.size());
  s.pair_count = static_cast<uint32_t>(h.captures.size());
  for (const NamedValue& c : h.captures) pairs_.emplace_back(keep(c.name), keep(c.value));
  s.host = keep(h.host);
  s.program = keep(h.program);
  s.unit = keep(h.unit);
  s.rule = keep(h.rule);
  s.severity = keep(h.severity);
  s.message = keep(h.message);
  s.captures = keep(h.captures_json);
  hits_.push_back(s);
}

HitView Batch::hit(size_t i) const {
  const StoredHit& s = hits_[i];
  HitView h;
  h.ts_us = s.ts_us;
  h.source = s.source;
  h.line = s.line;
  h.offset = s.offset;
  h.host = view(s.host);
  h.program = view(s.program);
  h.unit = view(s.unit);
  h.pid = s.pid;
  h.rule = view(s.rule);
  h.severity = view(s.severity);
  h.message = view(s.message);
  h.captures_json = view(s.captures);
  return h;
}

void Batch::hit_captures(size_t i, std::vector<NamedValue>& out) const {
  out.clear();
  const StoredHit& s = hits_[i];
  for (uint32_t p = s.first_pair; p < s.first_pair + s.pair_count; ++p) {
    out.push_back({view(pairs_[p].first), view(pairs_[p].second)});
  }
}

void Batch::set_hit_id(size_t i, int64_t id) {
  if (hit_ids_.size() < hits_.size()) hit_ids_.resize(hits_.size(), 0);
  hit_ids_.at(i) = id;
}

void Batch::clear() {
  for (BatchSource& kept : sources_) {
    kept.position.reset();
    kept.stats = {};
    kept.hours.clear();  // capacity kept: the next batch counts without allocating
    kept.gaps.clear();
    kept.events.clear();
  }
  hits_.clear();
  pairs_.clear();
  hit_ids_.clear();
  alerts_.clear();
  actions_.clear();
  arena_.clear();
  if (arena_.capacity() > kKeptArenaBytes) arena_.shrink_to_fit();
}

Batch::Span Batch::keep(std::string_view text) {
  const Span span{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(text.size())};
  arena_.append(text);
  return span;
}

}  // namespace vigil::store
