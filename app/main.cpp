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
  // One value per --rules: a repeatable option must not swallow the files after it.
  cmd->add_option("--rules", scan.rule_paths,
                  "Rule pack file or directory, repeatable (default: shipped packs)")
      ->allow_extra_args(false);
  cmd->add_option("--db", scan.db_path, "SQLite database to store hits in (resumes per file)");
  cmd->add_flag("--json", scan.json, "Print one JSON object per hit on stdout");
  cmd->add_option("--format", format, "Input format")
      ->check(CLI::IsMember({"auto", "syslog", "app", "json"}))
      ->default_val("auto");
  cmd->add_option("--journal-dir", scan.journal_dir,
                  "Journal directory to read to its end, e.g. systemd-journal-remote's")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--config", scan.config_path,
                  "Config with allowlists and responses (a scan records them as dry runs)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("!--no-thresholds", scan.thresholds, "Store hits only; fire no alerts");
  cmd->add_option("files", scan.files, "Log files")->check(CLI::ExistingFile);
}

void add_run(CLI::App& app, vigil::app::RunCommand& run) {
  CLI::App* cmd = app.add_subcommand("run", "The service: follow the journal and log files");
  cmd->add_option("--config", run.config_path, "YAML config file (see deploy/vigil.yml)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--db", run.db_path, "SQLite database (without --config)");
  cmd->add_flag("--journal", run.journal, "Read this machine's journal (without --config)");
  cmd->add_option("--journal-dir", run.journal_dir,
                  "Read the journal files of a directory, e.g. systemd-journal-remote's");
  cmd->add_option("--follow", run.follow, "Log file to follow (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--rules", run.rule_paths,
                  "Rule pack file or directory, repeatable (default: shipped packs)")
      ->allow_extra_args(false);
  cmd->add_option("--log-level", run.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

void add_report(CLI::App& app, vigil::app::ReportCommand& report) {
  CLI::App* cmd = app.add_subcommand("report", "The daily security report of a database");
  cmd->add_option("--db", report.db_path, "SQLite database written by scan or run")->required();
  auto* day = cmd->add_option("--day", report.day, "Local day YYYY-MM-DD (default: yesterday)");
  cmd->add_option("--since", report.since, "Start, ISO 8601 (with --until)")->excludes(day);
  cmd->add_option("--until", report.until, "End (exclusive), ISO 8601")->excludes(day);
  cmd->add_option("--format", report.format, "Output format")
      ->check(CLI::IsMember({"text", "md", "html", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", report.output, "Write to this file instead of stdout");
  cmd->add_option("--tz", report.tz, "Time zone of the day boundaries (default: TZ or local)");
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

  vigil::app::RunCommand run_command;
  add_run(app, run_command);

  vigil::app::ReportCommand report_command;
  add_report(app, report_command);

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
  if (app.got_subcommand("run")) return vigil::app::run_run_command(run_command);
  if (rules->got_subcommand("check")) return vigil::app::run_rules_check(check_paths);
  if (rules->got_subcommand("test")) return vigil::app::run_rules_test(test_paths);
  if (app.got_subcommand("report")) return vigil::app::run_report_command(report_command);
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
