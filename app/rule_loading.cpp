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

std::string rule_cache_dir() {
  const auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
  };
  if (std::getenv("VIGIL_CACHE_DIR") != nullptr) return env("VIGIL_CACHE_DIR");
  // systemd's CacheDirectory= (a colon-separated list when it names several).
  if (const std::string dirs = env("CACHE_DIRECTORY"); !dirs.empty()) {
    return dirs.substr(0, dirs.find(':'));
  }
  if (const std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/vigil";
  if (const std::string home = env("HOME"); !home.empty()) return home + "/.cache/vigil";
  return "";
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
  rules::CompileOptions options;
  options.cache_dir = rule_cache_dir();
  auto matcher = rules::Matcher::compile(std::move(loaded.rules), errors, options);
  for (const Diagnostic& e : errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  if (!errors.empty()) return nullptr;
  return matcher;
}

}  // namespace vigil::app
