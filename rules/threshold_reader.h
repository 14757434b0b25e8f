#pragma once
// Stage one for thresholds: a pack's `thresholds:` list to Threshold values with
// the locations the checker needs. Checks what a single field can tell; rule
// references and captures are threshold_checker's job.

#include <string>
#include <vector>

#include "rules/threshold.h"
#include "rules/yaml_fields.h"

namespace vigil::rules {

// A HitSelector as written, every name with its location.
struct ReadSelector {
  std::vector<LocatedString> rules;
  std::vector<LocatedString> tags;
};

struct ReadThreshold {
  Threshold threshold;  // its selectors and names as plain text, indexes empty
  Location id_where;    // the id's value
  ReadSelector hits;    // `of`, or the sequence's `first`
  ReadSelector then;
  std::vector<LocatedString> group_by;
  LocatedString distinct;  // empty text: none
  LocatedString weight;
  bool read_errors = false;
};

// Reads the value of a pack's `thresholds:` key; every problem goes to `in`.
std::vector<ReadThreshold> read_thresholds(FieldReader& in, const Field& field,
                                           const std::string& pack);

}  // namespace vigil::rules
