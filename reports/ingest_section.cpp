// The "Ingest health" section: what each source read in the period against
// its usual, the silences longer than usual, rotation events, and the totals.

#include <string>

#include "reports/display_text.h"
#include "reports/document.h"
#include "reports/folding.h"

namespace vigil::reports {
namespace {

// Event details hold paths and follower messages: cut long ones.
constexpr size_t kMaxCellBytes = 240;

void add_period(Section& section, const IngestHealth& ingest) {
  Table table{{"source", "lines", "usual (7-day mean)", "change", "parse failures", "hits"},
              {false, true, true, false, true, true},
              {},
              {}};
  for (const SourceHealth& s : ingest.sources) {
    const Comparison& lines = s.range_lines;
    table.rows.push_back({s.source, number(lines.today),
                          lines.baseline ? decimal(*lines.baseline) : "-", describe_change(lines),
                          number(s.range_parse_failures), number(s.hits_in_range)});
  }
  section.items.emplace_back(
      "Lines (journal entries) read per source with a time in this period, against the mean "
      "of the previous 7 days:");
  section.items.emplace_back(std::move(table));
}

std::string usual_text(const std::optional<int64_t>& usual) {
  if (!usual) return "no baseline yet";
  return *usual == 0 ? "under 10 min" : duration_text(*usual);
}

void add_gaps(Section& section, const IngestHealth& ingest) {
  Table table{{"source", "quiet from", "until", "length", "usual longest silence"},
              {false, false, false, true, false},
              {},
              {}};
  for (const SourceHealth& s : ingest.sources) {
    for (const SourceGap& gap : s.gaps) {
      table.rows.push_back({s.source, local_time_text(gap.start_us),
                            gap.end_us ? local_time_text(*gap.end_us) : "STILL QUIET",
                            duration_text(gap.length_us), usual_text(gap.usual_us)});
      table.marked.push_back(true);
    }
  }
  if (table.rows.empty()) {
    section.items.emplace_back("No source went quiet for longer than usual.");
    return;
  }
  section.items.emplace_back(
      "Sources that went quiet for longer than usual (twice their usual longest silence of a "
      "day, at least 30 min; 1 h without a baseline):");
  section.items.emplace_back(std::move(table));
}

void add_events(Section& section, const IngestHealth& ingest) {
  Table table{{"time", "source", "event", "detail"}, {false, false, false, false}, {}, {}};
  for (const SourceHealth& s : ingest.sources) {
    for (const SourceEventRow& e : s.events) {
      table.rows.push_back(
          {local_time_text(e.ts_us), s.source, e.kind, display_safe(e.detail, kMaxCellBytes)});
    }
  }
  if (table.rows.empty()) {
    section.items.emplace_back("No rotation, truncation or replaced file in this period.");
    return;
  }
  section.items.emplace_back("Rotations and other file events (time read):");
  section.items.emplace_back(std::move(table));
}

void add_totals(Section& section, const IngestHealth& ingest) {
  Table table{{"source", "lines", "bytes", "parse failures", "last update"},
              {false, true, true, true, false},
              {},
              {}};
  if (!ingest.recorded) {  // the period's hits have no other table then
    table.header.insert(table.header.begin() + 4, "hits");
    table.numeric.insert(table.numeric.begin() + 4, true);
  }
  for (const SourceHealth& s : ingest.sources) {
    std::vector<std::string> row = {s.source, number(s.lines), number(s.bytes),
                                    number(s.parse_failures), local_time_text(s.last_update_us)};
    if (!ingest.recorded) row.insert(row.begin() + 4, number(s.hits_in_range));
    table.rows.push_back(std::move(row));
  }
  section.items.emplace_back(ingest.recorded
                                 ? "Totals since each source was first read:"
                                 : "Lines, bytes and parse failures are totals since each source "
                                   "was first read; hits are this period's.");
  section.items.emplace_back(std::move(table));
}

}  // namespace

std::string duration_text(int64_t us) {
  const int64_t minutes = us / 60'000'000;
  if (minutes < 60) return std::to_string(minutes) + " min";
  const int64_t hours = minutes / 60;
  if (hours < 48) {
    return std::to_string(hours) + " h" +
           (minutes % 60 != 0 ? " " + std::to_string(minutes % 60) + " min" : "");
  }
  return std::to_string(hours / 24) + " d" +
         (hours % 24 != 0 ? " " + std::to_string(hours % 24) + " h" : "");
}

Section ingest_section(const Report& report) {
  const IngestHealth& ingest = report.ingest;
  Section section{"Ingest health", {}};
  if (ingest.sources.empty()) {
    section.items.emplace_back("No source has been read into this database.");
  } else if (ingest.recorded) {
    add_period(section, ingest);
    add_gaps(section, ingest);
    add_events(section, ingest);
    add_totals(section, ingest);
  } else {
    section.items.emplace_back(
        "Lines per period, silences and rotations are not recorded in this database: it was "
        "written by a vigil before schema v3. A scan or run of this version records them from "
        "then on.");
    add_totals(section, ingest);
  }
  section.items.emplace_back("Database size: " + number(ingest.database_bytes) + " bytes.");
  return section;
}

}  // namespace vigil::reports
