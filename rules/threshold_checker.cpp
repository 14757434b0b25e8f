#include "rules/threshold_checker.h"

#include <algorithm>
#include <map>
#include <string>

namespace vigil::rules {
namespace {

using RuleRefs = std::vector<const CheckedRule*>;

Diagnostic at(const Location& where, std::string message) {
  return Diagnostic{where.file, where.line, where.col, std::move(message)};
}

std::string location_text(const Location& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.col);
}

std::string capture_list(const std::map<std::string, CaptureType>& captures) {
  if (captures.empty()) return "it has none";
  std::string out;
  for (const auto& [name, type] : captures) out += (out.empty() ? "its captures: " : ", ") + name;
  return out;
}

std::vector<size_t> indexes(const RuleRefs& rules) {
  std::vector<size_t> out;
  for (const CheckedRule* r : rules) out.push_back(*r->index);
  std::sort(out.begin(), out.end());
  return out;
}

class ThresholdChecker {
 public:
  ThresholdChecker(const std::vector<CheckedRule>& rules, std::vector<Diagnostic>& errors);

  // True when the threshold is fit to be evaluated; resolves its rule indexes.
  bool check(ReadThreshold& r);

 private:
  void check_unique_id(const ReadThreshold& r);
  // The rules a selector names, each once. False when one of them was left out
  // for an error of its own (reported already).
  bool resolve(const ReadSelector& selector, RuleRefs& out);
  static void add(const CheckedRule& rule, RuleRefs& out, bool& usable);
  void check_capture(const LocatedString& name, const char* role, const char* stage,
                     const RuleRefs& rules);
  void check_weight(const LocatedString& weight, const RuleRefs& rules);
  void check_overlap(const ReadThreshold& r, const RuleRefs& first, const RuleRefs& then);

  std::vector<Diagnostic>& errors_;
  std::map<std::string, const CheckedRule*> rules_;  // by id, the first of each
  std::map<std::string, std::vector<const CheckedRule*>> tagged_;
  std::map<std::string, Location> thresholds_;  // ids seen so far
};

ThresholdChecker::ThresholdChecker(const std::vector<CheckedRule>& rules,
                                   std::vector<Diagnostic>& errors)
    : errors_(errors) {
  for (const CheckedRule& rule : rules) {
    // A repeated id was reported by the rule checker; the first one is the rule.
    if (!rules_.emplace(rule.id, &rule).second) continue;
    for (const std::string& tag : rule.tags) tagged_[tag].push_back(&rule);
  }
}

bool ThresholdChecker::check(ReadThreshold& r) {
  const size_t errors_before = errors_.size();
  Threshold& t = r.threshold;
  check_unique_id(r);
  RuleRefs first;
  RuleRefs then;
  bool usable = resolve(r.hits, first);
  const bool sequence = t.kind == Threshold::Kind::kSequence;
  if (sequence) usable = resolve(r.then, then) && usable;
  const char* stage = sequence ? "first" : "of";
  for (const LocatedString& name : r.group_by) {
    check_capture(name, "group_by", stage, first);
    if (sequence) check_capture(name, "group_by", "then", then);
  }
  if (!r.distinct.text.empty()) check_capture(r.distinct, "distinct", stage, first);
  if (!r.weight.text.empty()) check_weight(r.weight, first);
  if (sequence) check_overlap(r, first, then);
  if (r.read_errors || errors_.size() != errors_before || !usable) return false;
  t.rule_indexes = indexes(first);
  t.then_rule_indexes = indexes(then);
  return true;
}

void ThresholdChecker::check_unique_id(const ReadThreshold& r) {
  const std::string& id = r.threshold.id;
  if (id.empty()) return;
  if (const auto rule = rules_.find(id); rule != rules_.end()) {
    errors_.push_back(at(r.id_where, "threshold id '" + id + "' is the id of the rule at " +
                                         location_text(rule->second->id_where) +
                                         "; ids are unique across rules and thresholds, rename "
                                         "one"));
    return;
  }
  const auto [first, inserted] = thresholds_.emplace(id, r.id_where);
  if (inserted) return;
  errors_.push_back(at(r.id_where, "duplicate threshold id '" + id + "', first defined at " +
                                       location_text(first->second) +
                                       "; ids are unique across all packs, rename one"));
}

bool ThresholdChecker::resolve(const ReadSelector& selector, RuleRefs& out) {
  bool usable = true;
  for (const LocatedString& id : selector.rules) {
    if (const auto rule = rules_.find(id.text); rule != rules_.end()) {
      add(*rule->second, out, usable);
    } else {
      errors_.push_back(at(id.where, "no rule has id '" + id.text +
                                         "'; name a rule of a loaded pack, e.g. "
                                         "ssh.failed_password"));
    }
  }
  for (const LocatedString& tag : selector.tags) {
    const auto tagged = tagged_.find(tag.text);
    if (tagged == tagged_.end()) {
      errors_.push_back(at(tag.where, "no rule carries tag '" + tag.text +
                                          "'; add it to the rules' tags, or fix the name"));
      continue;
    }
    for (const CheckedRule* rule : tagged->second) add(*rule, out, usable);
  }
  return usable;
}

void ThresholdChecker::add(const CheckedRule& rule, RuleRefs& out, bool& usable) {
  if (!rule.index) usable = false;
  if (std::find(out.begin(), out.end(), &rule) == out.end()) out.push_back(&rule);
}

void ThresholdChecker::check_capture(const LocatedString& name, const char* role, const char* stage,
                                     const RuleRefs& rules) {
  for (const CheckedRule* rule : rules) {
    // Unknown groups (a broken pattern, reported already) prove nothing.
    if (!rule->captures || rule->captures->contains(name.text)) continue;
    errors_.push_back(at(name.where, std::string(role) + " '" + name.text +
                                         "' is not a capture of rule '" + rule->id + "' (" +
                                         capture_list(*rule->captures) +
                                         "), so its hits could never count; take the rule out "
                                         "of '" +
                                         stage + "' or choose another capture"));
  }
}

void ThresholdChecker::check_weight(const LocatedString& weight, const RuleRefs& rules) {
  check_capture(weight, "weight", "of", rules);
  for (const CheckedRule* rule : rules) {
    if (!rule->captures) continue;
    const auto found = rule->captures->find(weight.text);
    if (found == rule->captures->end() || found->second == CaptureType::kInt) continue;
    errors_.push_back(at(weight.where, "weight '" + weight.text + "' is a " +
                                           to_string(found->second) + " capture of rule '" +
                                           rule->id +
                                           "'; a weight must be a number: declare "
                                           "captures: {" +
                                           weight.text + ": int} in the rule"));
  }
}

void ThresholdChecker::check_overlap(const ReadThreshold& r, const RuleRefs& first,
                                     const RuleRefs& then) {
  for (const CheckedRule* rule : then) {
    if (std::find(first.begin(), first.end(), rule) == first.end()) continue;
    errors_.push_back(at(r.threshold.where,
                         "rule '" + rule->id + "' is in both 'first' and 'then' of threshold '" +
                             r.threshold.id + "'; a stage must be told apart from the other"));
  }
}

}  // namespace

std::vector<Threshold> check_thresholds(std::vector<ReadThreshold> thresholds,
                                        const std::vector<CheckedRule>& rules,
                                        std::vector<Diagnostic>& errors) {
  ThresholdChecker checker(rules, errors);
  std::vector<Threshold> out;
  for (ReadThreshold& r : thresholds) {
    if (checker.check(r)) out.push_back(std::move(r.threshold));
  }
  return out;
}

}  // namespace vigil::rules
