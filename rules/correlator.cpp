#include "rules/correlator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <set>

#include "rules/threshold_state.h"

namespace vigil::rules {
namespace {

// How a threshold looks at a rule's hits; both when a hand-built set overlaps.
enum Role : uint8_t { kCounted = 1, kThen = 2 };

struct Watch {
  size_t threshold = 0;
  uint8_t roles = 0;
};

// The rule's captures an allowlist can match, with their types.
using TypedCaptures = std::vector<std::pair<std::string, CaptureType>>;

TypedCaptures allowlist_captures(const Rule& rule) {
  TypedCaptures out;
  for (const NamedCapture& c : rule.captures) {
    if (c.type == CaptureType::kIp || c.type == CaptureType::kUser)
      out.emplace_back(c.name, c.type);
  }
  return out;
}

const Capture* find_capture(std::span<const Capture> captures, std::string_view name) {
  for (const Capture& c : captures) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// A weight is a positive count; anything else counts as one hit.
uint64_t weight_of(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0) return 1;
  return value;
}

// Length-prefixed values: no separator a value could contain makes two keys equal.
void append_key_part(std::string& key, std::string_view value) {
  const auto size = static_cast<uint32_t>(value.size());
  std::array<char, sizeof size> prefix{};
  std::memcpy(prefix.data(), &size, sizeof size);
  key.append(prefix.data(), prefix.size());
  key.append(value);
}

void add_watch(std::vector<Watch>& watches, size_t threshold, Role role) {
  for (Watch& w : watches) {
    if (w.threshold == threshold) {
      w.roles |= role;
      return;
    }
  }
  watches.push_back(Watch{threshold, role});
}

}  // namespace

struct Correlator::Impl {
  Impl(const RuleSet& rule_set, CorrelatorOptions opts);

  void observe(const CorrelatorHit& hit, std::vector<Alert>& fired);
  bool allowlisted(const Allowlist& list, const CorrelatorHit& hit) const;
  CaptureType allowlist_type(size_t rule, std::string_view name) const;
  // Reads the key (into key / key_values) and what else the threshold counts.
  bool read(const Threshold& t, const CorrelatorHit& hit, Observed& out);
  ThresholdState* state(std::string_view id);

  const RuleSet& rules;
  CorrelatorOptions options;
  std::vector<ThresholdState> states;           // parallel to rules.thresholds
  std::vector<const Allowlist*> own_allowlist;  // parallel: null when none
  std::vector<std::vector<Watch>> by_rule;      // parallel to rules.rules
  std::vector<TypedCaptures> typed;             // parallel to rules.rules
  // Reused for every hit, so that a steady stream allocates nothing.
  std::string key;
  std::vector<std::string_view> key_values;
};

Correlator::Impl::Impl(const RuleSet& rule_set, CorrelatorOptions opts)
    : rules(rule_set), options(std::move(opts)), by_rule(rule_set.rules.size()) {
  for (const Rule& rule : rules.rules) typed.push_back(allowlist_captures(rule));
  states.reserve(rules.thresholds.size());
  for (size_t i = 0; i < rules.thresholds.size(); ++i) {
    const Threshold& t = rules.thresholds[i];
    const auto suppress = options.suppress_us.find(t.id);
    const int64_t suppress_us = suppress != options.suppress_us.end()
                                    ? std::max<int64_t>(suppress->second, 0)
                                    : t.suppress_us;
    states.emplace_back(t, i, suppress_us, options.max_groups);
    const auto own = options.per_threshold.find(t.id);
    const bool has_own = own != options.per_threshold.end() && !own->second.empty();
    own_allowlist.push_back(has_own ? &own->second : nullptr);
    for (size_t r : t.rule_indexes) {
      if (r < by_rule.size()) add_watch(by_rule[r], i, kCounted);
    }
    for (size_t r : t.then_rule_indexes) {
      if (r < by_rule.size()) add_watch(by_rule[r], i, kThen);
    }
  }
}

void Correlator::Impl::observe(const CorrelatorHit& hit, std::vector<Alert>& fired) {
  if (hit.rule_index >= by_rule.size()) return;
  const std::vector<Watch>& watches = by_rule[hit.rule_index];
  if (watches.empty()) return;
  const bool global = !options.global.empty() && allowlisted(options.global, hit);
  for (const Watch& w : watches) {
    ThresholdState& s = states[w.threshold];
    const Allowlist* own = own_allowlist[w.threshold];
    if (global || (own != nullptr && allowlisted(*own, hit))) {
      s.note_allowlisted();
      continue;
    }
    Observed observed;
    observed.ts_us = hit.ts_us;
    observed.hit_id = hit.hit_id;
    if (!read(s.threshold(), hit, observed)) continue;  // a hit without the key never counts
    // Then first: a hit cannot complete a sequence it just started.
    if ((w.roles & kThen) != 0) s.complete(key, observed, fired);
    if ((w.roles & kCounted) != 0) s.count(key, observed, fired);
  }
}

bool Correlator::Impl::allowlisted(const Allowlist& list, const CorrelatorHit& hit) const {
  for (const Capture& c : hit.captures) {
    const CaptureType type = allowlist_type(hit.rule_index, c.name);
    if (type == CaptureType::kUser) {
      if (std::find(list.users.begin(), list.users.end(), c.value) != list.users.end()) {
        return true;
      }
    } else if (type == CaptureType::kIp && !list.cidrs.empty()) {
      const auto ip = parse_ip(c.value);
      const auto holds = [&](const Cidr& cidr) { return cidr.contains(*ip); };
      if (ip && std::any_of(list.cidrs.begin(), list.cidrs.end(), holds)) return true;
    }
  }
  return false;
}

CaptureType Correlator::Impl::allowlist_type(size_t rule, std::string_view name) const {
  for (const auto& [capture, type] : typed[rule]) {
    if (capture == name) return type;
  }
  return CaptureType::kString;
}

bool Correlator::Impl::read(const Threshold& t, const CorrelatorHit& hit, Observed& out) {
  key.clear();
  key_values.clear();
  for (const std::string& name : t.group_by) {
    const Capture* c = find_capture(hit.captures, name);
    if (c == nullptr) return false;
    append_key_part(key, c->value);
    key_values.push_back(c->value);
  }
  out.key = key_values;
  if (!t.distinct.empty()) {
    const Capture* c = find_capture(hit.captures, t.distinct);
    if (c == nullptr) return false;
    out.distinct = c->value;
  }
  if (!t.weight.empty()) {
    const Capture* c = find_capture(hit.captures, t.weight);
    if (c == nullptr) return false;
    out.weight = weight_of(c->value);
  }
  return true;
}

ThresholdState* Correlator::Impl::state(std::string_view id) {
  for (ThresholdState& s : states) {
    if (s.threshold().id == id) return &s;
  }
  return nullptr;
}

std::vector<std::string> unknown_threshold_ids(const RuleSet& rules,
                                               const CorrelatorOptions& options) {
  std::set<std::string> unknown;
  const auto known = [&](const std::string& id) {
    return std::any_of(rules.thresholds.begin(), rules.thresholds.end(),
                       [&](const Threshold& t) { return t.id == id; });
  };
  for (const auto& [id, list] : options.per_threshold) {
    if (!known(id)) unknown.insert(id);
  }
  for (const auto& [id, us] : options.suppress_us) {
    if (!known(id)) unknown.insert(id);
  }
  return {unknown.begin(), unknown.end()};
}

Correlator::Correlator(const RuleSet& rules, CorrelatorOptions options)
    : impl_(std::make_unique<Impl>(rules, std::move(options))) {}

Correlator::~Correlator() = default;

bool Correlator::wants(size_t rule_index) const {
  return rule_index < impl_->by_rule.size() && !impl_->by_rule[rule_index].empty();
}

void Correlator::observe(const CorrelatorHit& hit, std::vector<Alert>& fired) {
  impl_->observe(hit, fired);
}

bool Correlator::restore_suppression(std::string_view threshold_id, const AlertKey& key,
                                     int64_t fired_ts_us) {
  ThresholdState* s = impl_->state(threshold_id);
  if (s == nullptr) return false;
  const std::vector<std::string>& names = s->threshold().group_by;
  if (key.size() != names.size()) return false;
  std::string group;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i].first != names[i]) return false;
    append_key_part(group, key[i].second);
  }
  s->restore(group, fired_ts_us);
  return true;
}

int64_t Correlator::horizon_us() const {
  int64_t out = 0;
  for (const Threshold& t : impl_->rules.thresholds) out = std::max(out, t.within_us);
  return out;
}

int64_t Correlator::alert_horizon_us() const {
  int64_t out = horizon_us();
  for (const ThresholdState& s : impl_->states) out = std::max(out, s.suppress_us());
  return out;
}

Correlator::Stats Correlator::stats() const {
  Stats out;
  for (const ThresholdState& s : impl_->states) {
    ThresholdStats t = s.stats();
    out.evictions += t.evictions;
    out.allowlisted += t.allowlisted;
    out.groups += t.groups;
    out.thresholds.push_back(t);
  }
  return out;
}

}  // namespace vigil::rules
