#pragma once
// `vigil scan`'s engine: files -> parser -> matcher -> batches -> store / JSON.
// The calling thread reads, parses and matches; one writer thread owns the
// database connection and the JSON output, so the two cores split the work.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app/alert_stage.h"
#include "ingest/line_reader.h"
#include "ingest/parser.h"
#include "rules/matcher.h"

namespace vigil::app {

struct ScanOptions {
  std::vector<std::string> files;
  std::string journal_dir;        // non-empty: read this directory's journal once, to its end
  std::string db_path;            // empty: hits are not stored
  std::FILE* json_out = nullptr;  // non-null: one JSON line per hit
  ingest::Format format = ingest::Format::kAuto;
  AlertStage* alerts = nullptr;  // non-null: thresholds run on the hits (log time)
};

struct FileSummary {
  std::string display;
  std::string error;  // non-empty: the file could not be read
  ingest::ResumeFrom resumed = ingest::ResumeFrom::kStart;
  uint64_t first_line = 1;  // where this scan started
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t parse_failures = 0;
  uint64_t first_failure_line = 0;  // 0: none
  uint64_t truncated_lines = 0;
  uint64_t hits = 0;
};

// A journal directory read once: after the cursor saved in the store, else from
// its oldest entry. Entries are numbered from 1 across scans (the hits' `line`).
struct JournalSummary {
  std::string display;   // the source's name: "journal:/absolute/dir"
  std::string error;     // non-empty: the journal could not be read (to the end)
  bool resumed = false;  // started after a saved cursor
  uint64_t first_entry = 1;
  uint64_t entries = 0;
  uint64_t message_bytes = 0;
  uint64_t missing_message = 0;    // entries without MESSAGE (scanned as empty)
  uint64_t binary_message = 0;     // messages not valid UTF-8 (scanned as bytes)
  uint64_t truncated_message = 0;  // messages over 1 MiB (their first MiB scanned)
  uint64_t unreadable_fields = 0;  // fields the journal could not return
  uint64_t hits = 0;
};

struct ScanSummary {
  std::vector<FileSummary> files;
  std::optional<JournalSummary> journal;
  std::vector<uint64_t> hits_per_rule;  // indexed like matcher.rules().rules
  uint64_t hits = 0;
  double seconds = 0;
  bool ok() const;  // every file (and the journal) was read
};

// Throws vigil::Error when the database cannot be opened or written; a file that
// cannot be read is reported in its FileSummary and the others are still scanned.
ScanSummary run_scan(const ScanOptions& options, const rules::Matcher& matcher);

}  // namespace vigil::app
