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
  // A directory without packs; lint (a rule without no_match examples) only when
  // there are no errors, so that errors stand out.
  std::vector<Diagnostic> warnings;
  bool ok() const { return errors.empty(); }
};

// Each path is a pack file or a directory whose *.yml / *.yaml files are loaded
// in name order. Checks the YAML shape, required fields, duplicate ids across all
// packs (rules and thresholds share one namespace), that every pattern compiles
// with RE2 and every typed capture exists, and that every threshold names rules
// that exist and produce its key captures. Runs in two stages, each testable
// alone: read (YAML -> rules and thresholds with locations), then check (what needs
// more than one field, or more than one pack). All errors are collected; a rule
// or threshold with any error is left out of `rules`. Hyperscan-specific
// problems (a pattern that matches the empty string, one too large even as a
// prefilter) are reported by Matcher::compile.
LoadResult load_packs(const std::vector<std::string>& paths);

}  // namespace vigil::rules
