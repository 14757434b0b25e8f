// Section 6: ingest health. Totals per source (the `source` table), hits in the
// range (hit_row_ts), and from schema v3: lines per hour (source_hour, by its
// key: source_id, hour), silences (source_gap_source_end) and rotation events
// (source_event_ts). Every query on those is one index range per source,
// INDEXED BY pinned, never a scan: a report costs the range's rows.

#include <algorithm>
#include <map>
#include <string>

#include "reports/query.h"
#include "reports/sections.h"

namespace vigil::reports {
namespace {

// source_hour and source_gap of one source, from the earliest baseline window
// to the range's end.
constexpr const char* kHoursSql =
    "SELECT hour, lines, parse_failures FROM source_hour WHERE source_id = ?1 AND hour >= ?2 AND "
    "hour < ?3";
constexpr const char* kFirstHourSql =
    "SELECT hour FROM source_hour WHERE source_id = ?1 ORDER BY hour LIMIT 1";
constexpr const char* kLastLineSql =
    "SELECT hour, last_ts FROM source_hour WHERE source_id = ?1 ORDER BY hour DESC LIMIT 1";
constexpr const char* kGapsSql =
    "SELECT start_ts, end_ts FROM source_gap INDEXED BY source_gap_source_end WHERE source_id = ?1 "
    "AND end_ts >= ?2 AND start_ts < ?3 ORDER BY end_ts, start_ts";
constexpr const char* kEventsSql =
    "SELECT source_id, ts, kind, detail FROM source_event INDEXED BY source_event_ts WHERE ts >= "
    "?1 AND ts < ?2 ORDER BY ts, id";

struct Silence {
  int64_t start = 0;
  int64_t end = 0;
};

// The index of the window holding `ts`, or -1.
int window_of(const std::vector<ReportRange>& windows, int64_t ts) {
  for (size_t i = 0; i < windows.size(); ++i) {
    if (ts >= windows[i].start_us && ts < windows[i].end_us) return static_cast<int>(i);
  }
  return -1;
}

std::optional<int64_t> median(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

int64_t threshold_of(const std::optional<int64_t>& usual) {
  if (!usual) return IngestHealth::kGapNoBaselineUs;
  return std::max(2 * *usual, IngestHealth::kGapMinimumUs);
}

// Reads one source's figures of schema v3, with statements reused across sources.
class SourceReader {
 public:
  SourceReader(sqlite3* db, const Report& report)
      : range_(report.range),
        windows_(baseline_windows(report.range)),
        now_us_(report.generated_us),
        hours_(db, kHoursSql),
        first_hour_(db, kFirstHourSql),
        last_line_(db, kLastLineSql),
        gaps_(db, kGapsSql) {}

  void read(int64_t source_id, SourceHealth& health);

 private:
  // Lines per baseline window; which windows hold data.
  std::vector<int64_t> read_lines(int64_t source_id, SourceHealth& health);
  void read_gaps(int64_t source_id, const std::vector<int64_t>& window_lines, SourceHealth& health);
  void add_open_silence(int64_t source_id, const std::optional<int64_t>& usual,
                        SourceHealth& health);

  const ReportRange& range_;
  std::vector<ReportRange> windows_;
  int64_t now_us_;
  Query hours_, first_hour_, last_line_, gaps_;
};

void SourceReader::read(int64_t source_id, SourceHealth& health) {
  health.range_lines = Comparison{health.source, 0, std::nullopt};
  const std::vector<int64_t> window_lines = read_lines(source_id, health);
  read_gaps(source_id, window_lines, health);
}

std::vector<int64_t> SourceReader::read_lines(int64_t source_id, SourceHealth& health) {
  std::vector<int64_t> per_window(windows_.size(), 0);
  hours_.reset();
  hours_.bind(1, source_id).bind(2, windows_.back().start_us).bind(3, range_.end_us);
  while (hours_.step()) {
    const int64_t hour = hours_.integer(0);
    if (hour >= range_.start_us) {
      health.range_lines.today += hours_.integer(1);
      health.range_parse_failures += hours_.integer(2);
    } else if (const int i = window_of(windows_, hour); i >= 0) {
      per_window[static_cast<size_t>(i)] += hours_.integer(1);
    }
  }
  first_hour_.reset();
  first_hour_.bind(1, source_id);
  if (first_hour_.step()) {
    health.range_lines.baseline = baseline_mean(windows_, per_window, first_hour_.integer(0));
  }
  return per_window;
}

// Gaps overlapping the range are listed when over the threshold; those ending
// in a baseline window with data make that day's longest silence.
void SourceReader::read_gaps(int64_t source_id, const std::vector<int64_t>& window_lines,
                             SourceHealth& health) {
  std::vector<int64_t> longest(windows_.size(), 0);
  std::vector<Silence> in_range;
  gaps_.reset();
  gaps_.bind(1, source_id).bind(2, windows_.back().start_us).bind(3, range_.end_us);
  while (gaps_.step()) {
    const int64_t start = gaps_.integer(0);
    const int64_t end = gaps_.integer(1);
    if (end > range_.start_us) {
      in_range.push_back({start, end});
    } else if (const int i = window_of(windows_, end); i >= 0) {
      longest[static_cast<size_t>(i)] = std::max(longest[static_cast<size_t>(i)], end - start);
    }
  }
  std::vector<int64_t> days;
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (window_lines[i] > 0) days.push_back(longest[i]);
  }
  const std::optional<int64_t> usual = median(days);
  for (const Silence& gap : in_range) {
    if (gap.end - gap.start >= threshold_of(usual)) {
      health.gaps.push_back(SourceGap{gap.start, gap.end, gap.end - gap.start, usual});
    }
  }
  add_open_silence(source_id, usual, health);
  std::sort(health.gaps.begin(), health.gaps.end(),
            [](const SourceGap& a, const SourceGap& b) { return a.start_us < b.start_us; });
}

// Nothing after the source's last line (it lies before the range's end): quiet
// since then, until the range's end or now, whichever comes first.
void SourceReader::add_open_silence(int64_t source_id, const std::optional<int64_t>& usual,
                                    SourceHealth& health) {
  last_line_.reset();
  last_line_.bind(1, source_id);
  if (!last_line_.step() || last_line_.integer(0) >= range_.end_us) return;
  const int64_t last = last_line_.integer(1);
  const int64_t length = std::min(range_.end_us, now_us_) - last;
  if (last < range_.end_us && length >= threshold_of(usual)) {
    health.gaps.push_back(SourceGap{last, std::nullopt, length, usual});
  }
}

void read_events(sqlite3* db, const ReportRange& range, std::map<int64_t, SourceHealth*>& by_id) {
  Query events(db, kEventsSql);
  events.bind(1, range.start_us).bind(2, range.end_us);
  while (events.step()) {
    const auto found = by_id.find(events.integer(0));
    if (found == by_id.end() || found->second->events.size() >= IngestHealth::kListed) continue;
    found->second->events.push_back(
        SourceEventRow{events.integer(1), events.text(2), events.text(3)});
  }
}

}  // namespace

void read_ingest(sqlite3* db, Report& report) {
  // One pass over the range's index entries, whatever the number of sources.
  std::map<int64_t, int64_t> hits_by_source;
  Query hits(
      db,
      "SELECT source_id, count(*) FROM hit_row INDEXED BY hit_row_ts WHERE ts >= ?1 AND ts < ?2 "
      "GROUP BY source_id");
  hits.bind(1, report.range.start_us).bind(2, report.range.end_us);
  while (hits.step()) {
    hits_by_source[hits.integer(0)] = hits.integer(1);
    report.hits_in_range += hits.integer(1);
  }
  IngestHealth& ingest = report.ingest;
  ingest.recorded =
      has_table(db, "source_hour") && has_table(db, "source_gap") && has_table(db, "source_event");
  std::vector<int64_t> ids;
  Query sources(db,
                "SELECT id, display, lines, bytes, parse_failures, updated_us FROM source "
                "ORDER BY display");
  while (sources.step()) {
    const auto found = hits_by_source.find(sources.integer(0));
    SourceHealth health;
    health.source = sources.text(1);
    health.lines = sources.integer(2);
    health.bytes = sources.integer(3);
    health.parse_failures = sources.integer(4);
    health.hits_in_range = found == hits_by_source.end() ? 0 : found->second;
    health.last_update_us = sources.integer(5);
    ingest.sources.push_back(std::move(health));
    ids.push_back(sources.integer(0));
  }
  if (ingest.recorded) {
    SourceReader reader(db, report);
    std::map<int64_t, SourceHealth*> by_id;
    for (size_t i = 0; i < ids.size(); ++i) {
      reader.read(ids[i], ingest.sources[i]);
      by_id[ids[i]] = &ingest.sources[i];
    }
    read_events(db, report.range, by_id);
  }
  ingest.database_bytes =
      query_integer(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
}

}  // namespace vigil::reports
