#include <fmt/format.h>

#include <cstdio>

#include "app/commands.h"
#include "app/rule_loading.h"
#include "rules/examples.h"

namespace vigil::app {

int run_rules_check(const std::vector<std::string>& paths) {
  auto matcher = load_rules(paths, /*print_warnings=*/true);
  if (!matcher) return kExitUsage;
  size_t patterns = 0;
  for (const rules::Rule& rule : matcher->rules().rules) patterns += rule.patterns.size();
  fmt::print("{} rules, {} patterns: OK\n", matcher->rules().rules.size(), patterns);
  return kExitOk;
}

int run_rules_test(const std::vector<std::string>& paths) {
  auto matcher = load_rules(paths, /*print_warnings=*/false);
  if (!matcher) return kExitUsage;
  const rules::ExampleReport report = rules::run_examples(*matcher);
  for (const Diagnostic& failure : report.failures) fmt::print(stderr, "{}\n", failure.str());
  fmt::print("{} rules, {} examples: {} passed, {} failed\n", matcher->rules().rules.size(),
             report.examples_run, report.examples_run - report.failures.size(),
             report.failures.size());
  return report.failures.empty() ? kExitOk : kExitFailure;
}

}  // namespace vigil::app
