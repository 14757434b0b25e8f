// The JSON report's "ingest" object: every figure of the Ingest health section.
// Per source, "lines", "bytes" and "parse_failures" are totals since it was
// first read (as before schema v3); "range" holds the period's lines against
// the 7-day mean; "gaps" the silences listed (end null: still quiet) and
// "events" the rotation events.

#include <string>

#include "reports/json_writer.h"

namespace vigil::reports {
namespace {

void write_gap(Json& j, const SourceGap& gap) {
  j.open('{').time("start", gap.start_us);
  if (gap.end_us) {
    j.time("end", *gap.end_us);
  } else {
    j.key("end_us").null().key("end").null();
  }
  j.key("still_quiet").flag(!gap.end_us).key("length_us").value(gap.length_us);
  j.key("usual_us");
  gap.usual_us ? j.value(*gap.usual_us) : j.null();
  j.close('}');
}

void write_source(Json& j, const SourceHealth& s, bool recorded) {
  j.open('{').key("source").value(s.source).key("lines").value(s.lines);
  j.key("bytes").value(s.bytes).key("parse_failures").value(s.parse_failures);
  j.key("hits").value(s.hits_in_range).time("last_update", s.last_update_us);
  if (recorded) {
    const Comparison& lines = s.range_lines;
    j.key("range").open('{').key("lines").value(lines.today).key("baseline");
    lines.baseline ? j.value(*lines.baseline) : j.null();
    j.key("change").value(describe_change(lines));
    j.key("parse_failures").value(s.range_parse_failures).close('}');
    j.key("gaps").open('[');
    for (const SourceGap& gap : s.gaps) write_gap(j, gap);
    j.close(']').key("events").open('[');
    for (const SourceEventRow& e : s.events) {
      j.open('{').time("time", e.ts_us).key("kind").value(e.kind);
      j.key("detail").value(e.detail).close('}');
    }
    j.close(']');
  }
  j.close('}');
}

}  // namespace

void write_ingest(Json& j, const Report& r) {
  const IngestHealth& ingest = r.ingest;
  j.key("ingest").open('{').key("recorded").flag(ingest.recorded);
  j.key("database_bytes").value(ingest.database_bytes);
  j.key("gap_minimum_us").value(IngestHealth::kGapMinimumUs);
  j.key("gap_no_baseline_us").value(IngestHealth::kGapNoBaselineUs);
  j.key("sources").open('[');
  for (const SourceHealth& s : ingest.sources) write_source(j, s, ingest.recorded);
  j.close(']').close('}');
}

}  // namespace vigil::reports
