#pragma once
// What `vigil run` reads: its sources, rule packs and database, from a YAML file
// (deploy/vigil.yml is the documented example) or from command-line flags.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/alerting_config.h"
#include "core/error.h"
#include "ingest/json_parser.h"
#include "ingest/parser.h"

namespace vigil::app {

struct FileSourceConfig {
  std::string path;  // absolute
  ingest::Format format = ingest::Format::kAuto;
  ingest::JsonFieldMap json_fields;  // for JSON lines; defaults read common loggers
};

struct JournalConfig {
  bool enabled = false;
  std::string directory;  // empty: this machine's journal
  std::vector<std::string> units;
  std::vector<std::string> identifiers;
  int max_priority = -1;            // -1: any
  std::optional<int64_t> since_us;  // first start only; none: entries from now on
};

struct RunConfig {
  std::string file;  // the config file read, empty when built from flags
  std::string database;
  std::vector<std::string> rule_paths;  // empty: the shipped packs
  std::string log_level = "info";
  JournalConfig journal;
  std::vector<FileSourceConfig> files;
  // First start of a file without a checkpoint: true reads only lines written
  // from now on (like the journal), false reads what the file already holds.
  bool start_at_end = true;
  int64_t idle_flush_us = 5'000'000;  // a partial last line is taken after this
  AlertingConfig alerting;            // allowlists, threshold settings, responses
};

// Reads and validates `path`. Every problem is added to `errors` as
// file:line:col: message; the result is meaningful only when none was added.
RunConfig load_run_config(const std::string& path, std::vector<Diagnostic>& errors);

// Reads `path` without requiring sources or a database. `never_acts`: for
// `vigil scan --config`, which records responses but runs none, so their
// programs need not exist here.
RunConfig load_config_file(const std::string& path, std::vector<Diagnostic>& errors,
                           bool never_acts = false);

// Checks a config built from flags (or read): a database and at least one
// source. Adds problems to `errors`.
void validate_run_config(const RunConfig& config, std::vector<Diagnostic>& errors);

// "250ms", "5s", "10m", "1h", "2d" -> microseconds.
std::optional<int64_t> parse_duration_us(const std::string& text);

// "4096", "512K", "100M", "2G", "1T" (powers of 1024) -> bytes.
std::optional<uint64_t> parse_size(const std::string& text);

}  // namespace vigil::app
