#pragma once
// Shared by every command that needs rules: load packs, compile them, report.

#include <memory>
#include <string>
#include <vector>

#include "rules/matcher.h"

namespace vigil::app {

// The shipped packs: $VIGIL_PACKS_DIR if set, else the packs/ of the data directory.
std::vector<std::string> default_rule_paths();

// Where compiled rule databases are cached: $VIGIL_CACHE_DIR (set but empty:
// no cache), else systemd's $CACHE_DIRECTORY, else $XDG_CACHE_HOME/vigil, else
// ~/.cache/vigil.
std::string rule_cache_dir();

// The bundled sample day (samples/ of the data directory).
std::string sample_dir();

// Loads and compiles `paths`, printing each error (and warning, when asked) to
// stderr as file:line:col: message. Null when any error was found.
std::unique_ptr<rules::Matcher> load_rules(const std::vector<std::string>& paths,
                                           bool print_warnings);

}  // namespace vigil::app
