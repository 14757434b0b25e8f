#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <numeric>

#include "app/alert_stage.h"
#include "app/commands.h"
#include "app/rule_loading.h"
#include "app/run_config.h"
#include "app/scan_pipeline.h"
#include "core/error.h"

namespace vigil::app {
namespace {

std::string describe_start(const FileSummary& file) {
  switch (file.resumed) {
    case ingest::ResumeFrom::kSaved:
      return fmt::format("resumed at line {}", file.first_line);
    case ingest::ResumeFrom::kStart:
      return "from the start";
    default:
      return fmt::format("{} since the last scan: read from the start",
                         ingest::to_string(file.resumed));
  }
}

void print_file(std::FILE* out, const FileSummary& file) {
  if (!file.error.empty()) {
    fmt::print(out, "  {}: error: {}\n", file.display, file.error);
    return;
  }
  fmt::print(out, "  {}: {} lines, {} hits, {}\n", file.display, file.lines, file.hits,
             describe_start(file));
  if (file.parse_failures > 0) {
    fmt::print(out, "    {} lines did not parse (first at line {}); kept as best-effort events\n",
               file.parse_failures, file.first_failure_line);
  }
  if (file.truncated_lines > 0) {
    fmt::print(out, "    {} lines longer than 1 MiB were cut; their first MiB was scanned\n",
               file.truncated_lines);
  }
}

void print_journal(std::FILE* out, const JournalSummary& journal) {
  const std::string start = journal.resumed
                                ? fmt::format("resumed at entry {}", journal.first_entry)
                                : std::string("from the start");
  fmt::print(out, "  {}: {} entries, {} hits, {}\n", journal.display, journal.entries, journal.hits,
             start);
  if (!journal.error.empty()) fmt::print(out, "    error: {}\n", journal.error);
  auto count = [out](uint64_t n, const char* what) {
    if (n > 0) fmt::print(out, "    {}: {}\n", what, n);
  };
  count(journal.missing_message, "entries without MESSAGE (scanned as empty messages)");
  count(journal.binary_message, "messages not valid UTF-8 (scanned as bytes, stored cleaned)");
  count(journal.truncated_message, "messages over 1 MiB (their first MiB scanned)");
  count(journal.unreadable_fields, "fields the journal could not return (corrupt data)");
}

void print_rule_counts(std::FILE* out, const ScanSummary& summary, const rules::Matcher& matcher) {
  std::vector<size_t> order(summary.hits_per_rule.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return summary.hits_per_rule[a] > summary.hits_per_rule[b];
  });
  for (size_t i : order) {
    if (summary.hits_per_rule[i] == 0) break;
    const rules::Rule& rule = matcher.rules().rules[i];
    fmt::print(out, "  {:>8}  {:<32} {}\n", summary.hits_per_rule[i], rule.id,
               rules::to_string(rule.severity));
  }
}

void print_summary(std::FILE* out, const ScanSummary& summary, const rules::Matcher& matcher) {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  for (const FileSummary& f : summary.files) {
    lines += f.lines;
    bytes += f.bytes;
  }
  const double seconds = std::max(summary.seconds, 1e-6);
  if (!summary.journal) {
    fmt::print(
        out, "vigil scan: {} files, {} lines, {} hits in {:.3f} s ({:.0f} lines/s, {:.1f} MB/s)\n",
        summary.files.size(), lines, summary.hits, summary.seconds,
        static_cast<double>(lines) / seconds, static_cast<double>(bytes) / seconds / 1e6);
  } else {
    const uint64_t entries = summary.journal->entries;
    const std::string files =
        summary.files.empty() ? std::string()
                              : fmt::format("{} files, {} lines, ", summary.files.size(), lines);
    fmt::print(out, "vigil scan: {}{} journal entries, {} hits in {:.3f} s ({:.0f} {}/s)\n", files,
               entries, summary.hits, summary.seconds,
               static_cast<double>(lines + entries) / seconds,
               summary.files.empty() ? "entries" : "lines+entries");
  }
  for (const FileSummary& f : summary.files) print_file(out, f);
  if (summary.journal) print_journal(out, *summary.journal);
  if (summary.hits > 0) {
    fmt::print(out, "hits by rule:\n");
    print_rule_counts(out, summary, matcher);
  }
}

// A key is attacker-chosen text (a 10 KiB user name): a summary line shows its start.
std::string shortened(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

void print_alerts(std::FILE* out, const AlertStage& stage) {
  const AlertStats& stats = stage.stats();
  if (stats.alerts == 0) return;
  fmt::print(out, "alerts: {} ({} response actions recorded, none run: a scan is a dry run)\n",
             stats.alerts, stats.actions);
  for (const store::AlertRecord& a : stage.first_alerts()) {
    fmt::print(out, "  {:<24} {:<8} {} count {}\n", a.threshold, a.severity,
               shortened(a.key_json, 200), a.count);
  }
  if (stats.alerts > stage.first_alerts().size()) {
    fmt::print(out, "  … and {} more (see the alerts view, or --json)\n",
               stats.alerts - stage.first_alerts().size());
  }
}

// The config's alerting sections, checked against the loaded thresholds.
bool read_alerting(const ScanCommand& command, const rules::RuleSet& rules, RunConfig& config) {
  if (command.config_path.empty()) return true;
  std::vector<Diagnostic> errors;
  config = load_config_file(command.config_path, errors, /*never_acts=*/true);
  if (errors.empty()) check_alerting_config(config.alerting, rules, command.config_path, errors);
  for (const Diagnostic& e : errors) fmt::print(stderr, "{}\n", e.str());
  return errors.empty();
}

}  // namespace

int run_scan_command(const ScanCommand& command) {
  if (command.files.empty() && command.journal_dir.empty()) {
    fmt::print(stderr, "vigil scan: name log files to scan, or --journal-dir DIR\n");
    return kExitUsage;
  }
  const auto rule_paths = command.rule_paths.empty() ? default_rule_paths() : command.rule_paths;
  auto matcher = load_rules(rule_paths, /*print_warnings=*/false);
  if (!matcher) return kExitUsage;

  RunConfig config;
  if (!read_alerting(command, matcher->rules(), config)) return kExitUsage;
  std::unique_ptr<AlertStage> stage;
  if (command.thresholds) {
    stage = std::make_unique<AlertStage>(matcher->rules(), config.alerting, /*force_dry_run=*/true);
  }

  ScanOptions options;
  options.alerts = stage.get();
  options.files = command.files;
  options.journal_dir = command.journal_dir;
  options.db_path = command.db_path;
  options.json_out = command.json ? stdout : nullptr;
  options.format = command.format;
  try {
    const ScanSummary summary = run_scan(options, *matcher);
    if (std::fflush(stdout) != 0) throw Error("cannot write to stdout: " + errno_message(errno));
    // With --json, stdout carries only JSON lines; the summary goes to stderr.
    print_summary(command.json ? stderr : stdout, summary, *matcher);
    if (stage) print_alerts(command.json ? stderr : stdout, *stage);
    return summary.ok() ? kExitOk : kExitFailure;
  } catch (const Error& e) {
    fmt::print(stderr, "vigil scan: {}\n", e.what());
    return kExitFailure;
  }
}

}  // namespace vigil::app
