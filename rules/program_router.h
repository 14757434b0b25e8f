#pragma once
// Splits a rule set's patterns by the program their rules select, so that a line
// is scanned once, against only the patterns that could fire on its program: a
// CRON line never pays for the sshd patterns. Rules that select no program are
// compiled into every program's database and into one of their own for all
// other programs. Private to rules/.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/string_map.h"
#include "rules/hs_database.h"
#include "rules/ruleset.h"

namespace vigil::rules {

class ProgramRouter {
 public:
  ProgramRouter() = default;

  // `pattern_rule[i]` is the rule of pattern i; `build` holds the analysis of
  // every pattern, and its scratch grows to serve every database built here.
  // Problems of the compile are added to `errors`.
  ProgramRouter(const RuleSet& rules, std::span<const HsPattern> patterns,
                std::span<const size_t> pattern_rule, HsBuild& build,
                std::vector<Diagnostic>& errors);

  // The database of every rule that could fire on `program`: those that name it
  // and those that name no program. Null when there is no such rule.
  const hs_database_t* database_for(std::string_view program) const;

 private:
  std::vector<HsDatabase> databases_;
  // Programs some rule selects -> their database (a hash lookup: a linear
  // search of ~25 names cost ~5% of a scan's reading thread).
  StringMap<const hs_database_t*> routes_;
  const hs_database_t* any_program_ = nullptr;  // rules that select no program
};

}  // namespace vigil::rules
