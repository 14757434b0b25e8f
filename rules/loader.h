#pragma once
// Reads YAML rule packs into a RuleSet; every problem becomes a Diagnostic with
// the file, line and column it was found at. Nothing is thrown past this edge.

#include <string>
#include <vector>

#include "core/error.h"
#include "rules/ruleset.h"

namespace vigil::rules {

struct LoadResult {
  RuleSet rules;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;  // lint: a rule without examples, an unused capture type
  bool ok() const { return errors.empty(); }
};

// Each path is a pack file or a directory whose *.yml / *.yaml files are loaded
// in name order. Checks the YAML shape, required fields, duplicate ids across all
// packs, and that every pattern compiles with RE2 and every typed capture exists.
LoadResult load_packs(const std::vector<std::string>& paths);

}  // namespace vigil::rules
