#include "app/rule_loading.h"

#include <cstdio>
#include <cstdlib>

#include "rules/loader.h"

#ifndef VIGIL_DATA_DIR
#define VIGIL_DATA_DIR "."
#endif

namespace vigil::app {

std::vector<std::string> default_rule_paths() {
  if (const char* dir = std::getenv("VIGIL_PACKS_DIR"); dir != nullptr && *dir != '\0') {
    return {dir};
  }
  return {std::string(VIGIL_DATA_DIR) + "/packs"};
}

std::string sample_dir() {
  return std::string(VIGIL_DATA_DIR) + "/samples";
}

std::unique_ptr<rules::Matcher> load_rules(const std::vector<std::string>& paths,
                                           bool print_warnings) {
  rules::LoadResult loaded = rules::load_packs(paths);
  if (print_warnings) {
    for (const Diagnostic& w : loaded.warnings)
      std::fprintf(stderr, "%s (warning)\n", w.str().c_str());
  }
  for (const Diagnostic& e : loaded.errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  if (!loaded.ok()) return nullptr;

  std::vector<Diagnostic> errors;
  auto matcher = rules::Matcher::compile(std::move(loaded.rules), errors);
  for (const Diagnostic& e : errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  if (!errors.empty()) return nullptr;
  return matcher;
}

}  // namespace vigil::app
