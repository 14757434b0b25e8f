#pragma once
// Runs every rule's embedded examples through the real parser and matcher.

#include <vector>

#include "core/error.h"
#include "rules/matcher.h"

namespace vigil::rules {

struct ExampleReport {
  size_t examples_run = 0;
  std::vector<Diagnostic> failures;  // at the example's location: what was expected, what happened
};

ExampleReport run_examples(const Matcher& matcher);

}  // namespace vigil::rules
