// vigil: the command line. Parses arguments and hands over to app/commands.h.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/commands.h"

namespace {

using vigil::app::kExitFailure;
using vigil::app::kExitOk;
using vigil::app::kExitUsage;

void add_scan(CLI::App& app, vigil::app::ScanCommand& scan, std::string& format) {
  CLI::App* cmd = app.add_subcommand("scan", "One-shot analysis of log files");
  cmd->add_option("--rules", scan.rule_paths,
                  "Rule pack file or directory (default: shipped packs)");
  cmd->add_option("--db", scan.db_path, "SQLite database to store hits in (resumes per file)");
  cmd->add_flag("--json", scan.json, "Print one JSON object per hit on stdout");
  cmd->add_option("--format", format, "Input format")
      ->check(CLI::IsMember({"auto", "syslog", "app"}))
      ->default_val("auto");
  cmd->add_option("files", scan.files, "Log files")->required()->check(CLI::ExistingFile);
}

// Everything but the last-resort error report; see main.
int run(int argc, char** argv) {
  CLI::App app{"vigil: an event-driven log and audit analyzer"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vigil 0.1.0");

  vigil::app::ScanCommand scan;
  std::string format = "auto";
  add_scan(app, scan, format);

  CLI::App* rules = app.add_subcommand("rules", "Validate and test rule packs");
  rules->require_subcommand(1);
  std::vector<std::string> check_paths;
  std::vector<std::string> test_paths;
  rules->add_subcommand("check", "Validate packs; errors as file:line:col: message")
      ->add_option("paths", check_paths, "Pack files or directories")
      ->required();
  rules->add_subcommand("test", "Run every rule's embedded examples")
      ->add_option("paths", test_paths, "Pack files or directories")
      ->required();

  std::string demo_db = "vigil-demo.db";
  app.add_subcommand("demo", "Run the bundled sample day end to end")
      ->add_option("--db", demo_db, "Database to (re)create")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? kExitOk : kExitUsage;
  }

  if (app.got_subcommand("scan")) {
    scan.format = vigil::ingest::parse_format_name(format).value_or(vigil::ingest::Format::kAuto);
    return vigil::app::run_scan_command(scan);
  }
  if (rules->got_subcommand("check")) return vigil::app::run_rules_check(check_paths);
  if (rules->got_subcommand("test")) return vigil::app::run_rules_test(test_paths);
  if (app.got_subcommand("demo")) return vigil::app::run_demo(demo_db);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "vigil: unexpected error\n");
  }
  return kExitFailure;
}
