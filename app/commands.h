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
  std::string journal_dir;              // also (or only) this directory's journal files
  std::vector<std::string> rule_paths;  // empty: the shipped packs
  std::string db_path;
  bool json = false;
  ingest::Format format = ingest::Format::kAuto;
  std::string config_path;  // allowlists, threshold settings, responses (recorded, never run)
  bool thresholds = true;
};
int run_scan_command(const ScanCommand& command);

// `vigil run`: a config file, or flags for quick use without one.
struct RunCommand {
  std::string config_path;
  std::string db_path;
  bool journal = false;
  std::string journal_dir;
  std::vector<std::string> follow;
  std::vector<std::string> rule_paths;  // empty: the shipped packs
  std::string log_level;                // empty: the config's, else info
};
int run_run_command(const RunCommand& command);

int run_rules_check(const std::vector<std::string>& paths);
int run_rules_test(const std::vector<std::string>& paths);

// The bundled sample day through scan into `db_path` (replaced), then a summary.
int run_demo(const std::string& db_path);

// `vigil report`: the security report of a day (default: yesterday, local time)
// or of [since, until), from the database only.
struct ReportCommand {
  std::string db_path;
  std::string day;    // YYYY-MM-DD
  std::string since;  // ISO 8601, with --until
  std::string until;
  std::string format = "text";  // text, md, html, json
  std::string output;           // empty: stdout
  std::string tz;               // empty: TZ / local time
};
int run_report_command(const ReportCommand& command);
// The demo's ending: the sample day's report, HTML next to `db_path`
// ("<db>-report.html") and text on stdout.
int write_demo_report(const std::string& db_path);

}  // namespace vigil::app
