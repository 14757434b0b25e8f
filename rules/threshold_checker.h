#pragma once
// Stage two for thresholds: ids unique across rules and thresholds of all packs,
// rule and tag references that exist, and key captures that every referenced rule
// produces (a hit without its key could never count). Resolves the references
// into rule indexes; keeps the thresholds that have no error at all.

#include <vector>

#include "core/error.h"
#include "rules/pack_checker.h"
#include "rules/threshold.h"
#include "rules/threshold_reader.h"

namespace vigil::rules {

// `rules`: the catalog check_rules wrote, one entry per rule read.
std::vector<Threshold> check_thresholds(std::vector<ReadThreshold> thresholds,
                                        const std::vector<CheckedRule>& rules,
                                        std::vector<Diagnostic>& errors);

}  // namespace vigil::rules
