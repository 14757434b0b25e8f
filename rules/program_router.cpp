#include "rules/program_router.h"

#include <algorithm>
#include <map>
#include <set>

namespace vigil::rules {
namespace {

bool selects_priority(const Selector& select) {
  return !select.priorities.empty() || select.max_priority >= 0;
}

bool names_program(const Selector& select, const std::string& program) {
  return std::find(select.programs.begin(), select.programs.end(), program) !=
         select.programs.end();
}

// Pattern ids, in order, of the rules `wanted` accepts.
template <typename Wanted>
std::vector<unsigned> patterns_of(const RuleSet& rules, std::span<const size_t> pattern_rule,
                                  Wanted wanted) {
  std::vector<unsigned> ids;
  for (unsigned id = 0; id < pattern_rule.size(); ++id) {
    if (wanted(rules.rules[pattern_rule[id]].select)) ids.push_back(id);
  }
  return ids;
}

}  // namespace

ProgramRouter::ProgramRouter(const RuleSet& rules, std::span<const HsPattern> patterns,
                             std::span<const size_t> pattern_rule, HsBuild& build,
                             std::vector<Diagnostic>& errors) {
  std::set<std::string> programs;
  for (const Rule& rule : rules.rules)
    programs.insert(rule.select.programs.begin(), rule.select.programs.end());
  // Routes with the same pattern set (sshd and sshd-session; most priorities)
  // share a database, so each distinct set is compiled once.
  std::map<std::vector<unsigned>, size_t> by_set;
  auto database_of = [&](const std::vector<unsigned>& ids) -> const hs_database_t* {
    if (ids.empty()) return nullptr;
    auto [it, added] = by_set.try_emplace(ids, databases_.size());
    if (added) databases_.push_back(build_hs_subset(patterns, ids, build, errors));
    return databases_[it->second].get();
  };
  auto any_program = [](const Selector& s) { return s.programs.empty() && !selects_priority(s); };
  any_program_ = database_of(patterns_of(rules, pattern_rule, any_program));
  // A pattern every program needs is compiled into each program's database,
  // so that a line costs one scan (measured: two scans per line cost ~5%).
  for (const std::string& program : programs) {
    routes_.emplace(program, database_of(patterns_of(rules, pattern_rule, [&](const Selector& s) {
                      return names_program(s, program) || any_program(s);
                    })));
  }
  for (size_t c = 0; c < kPriorityClasses; ++c) {
    const int priority = static_cast<int>(c) - 1;
    by_priority_[c] = database_of(patterns_of(rules, pattern_rule, [&](const Selector& s) {
      return s.programs.empty() && selects_priority(s) && s.admits_priority(priority);
    }));
  }
}

ProgramRouter::Databases ProgramRouter::databases_for(std::string_view program,
                                                      int priority) const {
  const auto route = routes_.find(program);
  // A priority outside 0..7 passes no priority selector, like an unknown one.
  const size_t priority_class =
      priority >= 0 && priority <= 7 ? static_cast<size_t>(priority) + 1 : 0;
  return {route != routes_.end() ? route->second : any_program_, by_priority_[priority_class]};
}

}  // namespace vigil::rules
