#pragma once
// Splits a rule set's patterns by the program and the priority their rules
// select, so that a line is scanned against only the patterns that could fire on
// it: a CRON line never pays for the sshd patterns, and a line without a
// priority (a plain auth.log), or at info, never pays for "err or worse".
// Private to rules/.

#include <array>
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
  // What a line is scanned with; either may be null (nothing to scan).
  struct Databases {
    // Rules that name the line's program, and rules that name no program and
    // select no priority: compiled together, so most lines cost one scan.
    const hs_database_t* by_program = nullptr;
    // Rules that name no program but select priorities (journald's "err or
    // worse"): a second scan, only for lines at a priority they admit. Compiling
    // them into every program's database instead would double the databases.
    const hs_database_t* by_priority = nullptr;
  };

  ProgramRouter() = default;

  // `pattern_rule[i]` is the rule of pattern i; `build` holds the analysis of
  // every pattern, and its scratch grows to serve every database built here.
  // Problems of the compile are added to `errors`.
  ProgramRouter(const RuleSet& rules, std::span<const HsPattern> patterns,
                std::span<const size_t> pattern_rule, HsBuild& build,
                std::vector<Diagnostic>& errors);

  // `priority` is kPriorityUnknown when the line carries none.
  Databases databases_for(std::string_view program, int priority) const;

 private:
  // Priority classes: 0 for "unknown", 1 + p for priority p (0 emerg .. 7 debug).
  static constexpr size_t kPriorityClasses = 9;

  std::vector<HsDatabase> databases_;
  // Programs some rule selects -> their database (a hash lookup: a linear
  // search of ~25 names cost ~5% of a scan's reading thread).
  StringMap<const hs_database_t*> routes_;
  const hs_database_t* any_program_ = nullptr;  // for programs no rule names
  std::array<const hs_database_t*, kPriorityClasses> by_priority_{};
};

}  // namespace vigil::rules
