#pragma once
// Stage two of loading: what one field cannot tell. Ids unique across all packs,
// patterns that RE2 compiles, typed and expected captures that name real groups,
// every rule with a match example. Keeps the rules that have no error at all.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "rules/pack_reader.h"
#include "rules/ruleset.h"

namespace vigil::rules {

// What the threshold checker needs to know of every rule read, kept or not.
struct CheckedRule {
  std::string id;
  Location id_where;
  std::vector<std::string> tags;
  std::optional<size_t> index;  // in the returned RuleSet; none: left out for an error
  // The captures its hits can carry (groups and field captures) with their types;
  // none when a pattern is broken and its groups are unknown.
  std::optional<std::map<std::string, CaptureType>> captures;
};

// `catalog`, when given, receives one entry per rule with an id, in load order.
RuleSet check_rules(std::vector<ReadRule> rules, std::vector<Diagnostic>& errors,
                    std::vector<Diagnostic>& warnings, std::vector<CheckedRule>* catalog = nullptr);

}  // namespace vigil::rules
