#include "rules/pack_checker.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "rules/regex.h"

namespace vigil::rules {
namespace {

using Groups = std::set<std::string>;

Diagnostic at(const Location& where, std::string message) {
  return Diagnostic{where.file, where.line, where.col, std::move(message)};
}

std::string location_text(const Location& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.col);
}

std::string group_list(const Groups& groups) {
  if (groups.empty()) return "it has none";
  std::string out;
  for (const std::string& g : groups) out += (out.empty() ? "its groups: " : ", ") + g;
  return out;
}

class Checker {
 public:
  Checker(std::vector<Diagnostic>& errors, std::vector<Diagnostic>& warnings)
      : errors_(errors), warnings_(warnings) {}

  // True when the rule is fit to be matched. `produced` receives the captures its
  // hits can carry, when its patterns compile.
  bool check(const ReadRule& r, std::optional<Groups>& produced);

 private:
  void check_unique_id(const ReadRule& r);
  std::optional<Groups> compile_patterns(const ReadRule& r);
  void check_capture_types(const ReadRule& r, const Groups& groups);
  void check_expected_captures(const ReadRule& r, const Groups& groups);
  void check_examples(const ReadRule& r);

  std::vector<Diagnostic>& errors_;
  std::vector<Diagnostic>& warnings_;
  std::map<std::string, Location> first_seen_;
};

bool Checker::check(const ReadRule& r, std::optional<Groups>& produced) {
  const size_t errors_before = errors_.size();
  check_unique_id(r);
  // Group checks need every pattern's groups; a broken pattern was reported
  // already, and guessing its groups would only add misleading errors.
  produced = compile_patterns(r);
  if (produced) {
    // From here on a field capture counts as a group: it can be typed and expected,
    // and the messages list it among the groups.
    for (const FieldCapture& c : r.rule.field_captures) produced->insert(c.name);
    check_capture_types(r, *produced);
    check_expected_captures(r, *produced);
  }
  check_examples(r);
  return !r.read_errors && errors_.size() == errors_before;
}

void Checker::check_unique_id(const ReadRule& r) {
  if (r.rule.id.empty()) return;
  const auto [first, inserted] = first_seen_.emplace(r.rule.id, r.id_where);
  if (inserted) return;
  errors_.push_back(at(r.id_where, "duplicate rule id '" + r.rule.id + "', first defined at " +
                                       location_text(first->second) +
                                       "; ids are unique across all packs, rename one"));
}

std::optional<Groups> Checker::compile_patterns(const ReadRule& r) {
  if (!r.patterns_readable) return std::nullopt;
  Groups groups;
  bool all_ok = true;
  for (const Pattern& p : r.rule.patterns) {
    const RE2 re(p.regex, byte_regex_options());
    if (!re.ok()) {
      errors_.push_back(at(p.where, "pattern does not compile: " + re.error() +
                                        "; fix the regular expression (RE2 syntax)"));
      all_ok = false;
      continue;
    }
    for (std::string& name : group_names(re)) groups.insert(std::move(name));
  }
  if (!all_ok) return std::nullopt;
  return groups;
}

void Checker::check_capture_types(const ReadRule& r, const Groups& groups) {
  for (size_t i = 0; i < r.rule.captures.size(); ++i) {
    const std::string& name = r.rule.captures[i].name;
    if (groups.contains(name)) continue;
    errors_.push_back(at(r.capture_where[i],
                         "capture '" + name + "' has a type, but no pattern has a group (?P<" +
                             name + ">...) (" + group_list(groups) + "); fix the name"));
  }
}

void Checker::check_expected_captures(const ReadRule& r, const Groups& groups) {
  for (size_t i = 0; i < r.rule.match_examples.size(); ++i) {
    const auto& expected = r.rule.match_examples[i].captures;
    for (size_t j = 0; j < expected.size(); ++j) {
      const std::string& name = expected[j].first;
      if (groups.contains(name)) continue;
      errors_.push_back(at(r.expected_capture_where[i][j],
                           "expected capture '" + name + "' is not a group of rule '" + r.rule.id +
                               "' (" + group_list(groups) + "); fix the name"));
    }
  }
}

void Checker::check_examples(const ReadRule& r) {
  // An unreadable `examples` was reported; its missing entries are no news.
  if (!r.examples_readable) return;
  const std::string what = r.rule.id.empty() ? "the rule" : "rule '" + r.rule.id + "'";
  if (r.rule.match_examples.empty()) {
    errors_.push_back(at(r.rule.where, what + " has no match example; every rule needs one: add "
                                              "examples: {match: ['<a log line it must match>']}"));
  }
  if (r.rule.no_match_examples.empty()) {
    warnings_.push_back(at(r.rule.where, what +
                                             " has no no_match example; add a line that is close "
                                             "but must not match, e.g. a success message"));
  }
}

CheckedRule catalog_entry(const ReadRule& r, const std::optional<Groups>& produced,
                          std::optional<size_t> index) {
  CheckedRule entry{r.rule.id, r.id_where, r.rule.tags, index, std::nullopt};
  if (produced) {
    entry.captures.emplace();
    for (const std::string& name : *produced) {
      entry.captures->emplace(name, r.rule.capture_type(name));
    }
  }
  return entry;
}

}  // namespace

RuleSet check_rules(std::vector<ReadRule> rules, std::vector<Diagnostic>& errors,
                    std::vector<Diagnostic>& warnings, std::vector<CheckedRule>* catalog) {
  Checker checker(errors, warnings);
  RuleSet out;
  for (ReadRule& r : rules) {
    std::optional<Groups> produced;
    const bool ok = checker.check(r, produced);
    if (catalog != nullptr && !r.rule.id.empty()) {
      catalog->push_back(
          catalog_entry(r, produced, ok ? std::optional(out.rules.size()) : std::nullopt));
    }
    if (ok) out.rules.push_back(std::move(r.rule));
  }
  return out;
}

}  // namespace vigil::rules
