#pragma once
// The vigil subcommands. Each returns the process exit status:
// 0 done, 1 runtime failure, 2 bad usage or bad configuration.

#include <string>
#include <vector>

#include "ingest/parser.h"

namespace vigil::app {

enum ExitStatus : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

struct ScanCommand {
  std::vector<std::string> files;
  std::vector<std::string> rule_paths;  // empty: the shipped packs
  std::string db_path;
  bool json = false;
  ingest::Format format = ingest::Format::kAuto;
};
int run_scan_command(const ScanCommand& command);

int run_rules_check(const std::vector<std::string>& paths);
int run_rules_test(const std::vector<std::string>& paths);

// The bundled sample day through scan into `db_path` (replaced), then a summary.
int run_demo(const std::string& db_path);

}  // namespace vigil::app
