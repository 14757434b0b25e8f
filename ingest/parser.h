#pragma once
// Turns one log line into an Event. Allocation-free: the Event's views point into
// the line or into the parser.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/event.h"
#include "core/time.h"

namespace vigil::ingest {

enum class Format {
  kAuto,    // decide per line: syslog (any of the three forms) or application
  kSyslog,  // RFC 3164, RFC 3339 high-precision (rsyslog's default on Debian 12), RFC 5424
  kApp,     // "2026-11-28T06:25:14.123Z ERROR [target] message"
};
std::optional<Format> parse_format_name(std::string_view name);  // "auto", "syslog", "app"

class LineParser {
 public:
  // `source` is copied into every Event. `reference_time_us` is the latest time a
  // line can plausibly carry (the file's mtime): RFC 3164 lines have no year, and
  // the year is the one that puts the line at or before the reference.
  LineParser(Format format, std::string_view source, int64_t reference_time_us);

  // Parses `line` (no newline, no trailing CR). Returns false when the line does
  // not parse; `out` is then a best-effort event (the previous line's time, the
  // whole line as message, parsed=false) and the failure is counted.
  bool parse(std::string_view line, Event& out);

  uint64_t failures() const { return failures_; }

 private:
  bool parse_syslog(std::string_view line, Event& out);
  bool parse_app(std::string_view line, Event& out);

  Format format_;
  std::string_view source_;
  int64_t reference_time_us_;
  int64_t last_ts_us_ = 0;
  uint64_t failures_ = 0;
  LocalTimeConverter local_time_;
};

}  // namespace vigil::ingest
