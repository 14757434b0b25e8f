#pragma once
// Stage one of loading: one pack's YAML text to rules with locations. Checks
// what a single field can tell (shape, types, names, id syntax); what needs
// several fields or several packs is pack_checker's job.

#include <string>
#include <vector>

#include "core/error.h"
#include "rules/ruleset.h"
#include "rules/threshold_reader.h"

namespace vigil::rules {

// A rule as read, with the locations the checker needs and the Rule lacks.
struct ReadRule {
  Rule rule;
  Location id_where;                    // the id's value
  std::vector<Location> capture_where;  // parallel to rule.captures: each name's key
  // Parallel to rule.match_examples: the key of each expected capture.
  std::vector<std::vector<Location>> expected_capture_where;
  bool read_errors = false;        // any error while reading this rule
  bool patterns_readable = false;  // `patterns` present and well formed
  bool examples_readable = true;   // `examples` absent or well formed
};

struct ReadPack {
  std::vector<ReadRule> rules;
  std::vector<ReadThreshold> thresholds;
};

// Appends every problem to `errors`; rules and thresholds that could not be read
// at all (not a mapping) are dropped, the others are returned with read_errors set.
ReadPack read_pack(const std::string& file, const std::string& text,
                   std::vector<Diagnostic>& errors);

}  // namespace vigil::rules
