#pragma once
// `vigil run`: the service. One thread runs the event loop (inotify, journal,
// signals, timer), reads, parses and matches; the BatchWriter thread commits hits
// together with the positions they were read up to, so a restart at any instant
// resumes with nothing lost and nothing stored twice.

#include <functional>
#include <memory>
#include <string>

#include "app/run_config.h"
#include "rules/matcher.h"

namespace vigil::app {

// Loads the rule packs a config names; null (errors already reported) on failure.
using RuleLoader = std::function<std::unique_ptr<rules::Matcher>(const RunConfig&)>;

struct RunSetup {
  RunConfig config;
  // Reloads the config on SIGHUP (its file, or the same flags); errors are added.
  std::function<RunConfig(std::vector<Diagnostic>&)> reload_config;
  RuleLoader load_rules;
};

// Runs until SIGTERM or SIGINT, then commits what was read and returns 0. Throws
// vigil::Error when a source or the database fails. Call from the main thread
// before any other thread starts: it blocks the signals it reads.
int run_service(const RunSetup& setup);

}  // namespace vigil::app
