#include "rules/program_router.h"

#include <algorithm>
#include <map>
#include <set>

namespace vigil::rules {
namespace {

// Pattern ids of the rules that could fire on `program`: those that name it
// and those that name no program. Null `program`: only the latter.
std::vector<unsigned> patterns_for(const RuleSet& rules, std::span<const size_t> pattern_rule,
                                   const std::string* program) {
  std::vector<unsigned> ids;
  for (unsigned id = 0; id < pattern_rule.size(); ++id) {
    const std::vector<std::string>& programs = rules.rules[pattern_rule[id]].select.programs;
    const bool selected = programs.empty() ||
                          (program != nullptr &&
                           std::find(programs.begin(), programs.end(), *program) != programs.end());
    if (selected) ids.push_back(id);
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
  // Programs with the same pattern set (sshd, sshd-session, sshd-auth) share a database.
  std::map<std::vector<unsigned>, size_t> by_set;
  auto database_of = [&](const std::vector<unsigned>& ids) {
    auto [it, added] = by_set.try_emplace(ids, databases_.size());
    if (added) databases_.push_back(build_hs_subset(patterns, ids, build, errors));
    return it->second;
  };
  const std::vector<unsigned> any = patterns_for(rules, pattern_rule, nullptr);
  if (!any.empty()) any_program_ = databases_[database_of(any)].get();
  // A pattern every program needs is compiled into each program's database,
  // so that a line costs one scan (measured: two scans per line cost ~5%).
  for (const std::string& program : programs) {
    const size_t database = database_of(patterns_for(rules, pattern_rule, &program));
    routes_.emplace(program, databases_[database].get());
  }
}

const hs_database_t* ProgramRouter::database_for(std::string_view program) const {
  const auto route = routes_.find(program);
  return route != routes_.end() ? route->second : any_program_;
}

}  // namespace vigil::rules
