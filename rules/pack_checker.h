#pragma once
// Stage two of loading: what one field cannot tell. Ids unique across all packs,
// patterns that RE2 compiles, typed and expected captures that name real groups,
// every rule with a match example. Keeps the rules that have no error at all.

#include <vector>

#include "core/error.h"
#include "rules/pack_reader.h"
#include "rules/ruleset.h"

namespace vigil::rules {

RuleSet check_rules(std::vector<ReadRule> rules, std::vector<Diagnostic>& errors,
                    std::vector<Diagnostic>& warnings);

}  // namespace vigil::rules
