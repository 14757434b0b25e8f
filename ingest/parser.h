#pragma once
// Turns one log line into an Event. Allocation-free: the Event's views point into
// the line or into the parser.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/event.h"
#include "core/time.h"
#include "ingest/json_parser.h"
#include "ingest/syslog_forms.h"

namespace vigil::ingest {

enum class Format {
  kAuto,    // decide per line: JSON, syslog (any of the three forms) or application
  kSyslog,  // RFC 3164, RFC 3339 high-precision (rsyslog's default on Debian 12), RFC 5424
  kApp,     // "2026-11-28T06:25:14.123Z ERROR [target] message"
  kJson,    // JSON lines: one object per line (ingest/json_parser.h)
};
// "auto", "syslog", "app", "json"
std::optional<Format> parse_format_name(std::string_view name);

// Line forms, told apart by their first bytes:
//   "Nov 28 06:25:14 web1 sshd[812]: msg"       RFC 3164, local time, year inferred
//   "<38>Nov 28 06:25:14 web1 sshd[812]: msg"   the same with a priority
//   "2026-11-28T06:25:14.123456+01:00 web1 sshd[812]: msg"   RFC 3339 (rsyslog)
//   "<34>1 2026-11-28T06:25:14.003Z web1 sshd 812 ID47 [sd] msg"   RFC 5424
//   "2026-11-28 06:25:14,123 WARN msg"          application (level word after the time;
//                                               "[ERROR]" and "ERROR:" too, any case)
//   {"ts":"2026-11-28T06:25:14Z","level":"error","msg":"..."}   JSON (see JsonFieldMap)
// In kAuto a line whose first byte other than white space is '{' is a JSON line. A
// line starting with a timestamp is an application line when a level word
// follows the time, else the RFC 3339 syslog form. An application line has no host or
// program; its message starts after the level and the spaces that follow it. A time
// without a zone is local time (the process's TZ).
//
// An empty line is a parse failure like any other line without a timestamp: counted,
// returned as a best-effort event with an empty message, never dropped silently.
// A JSON object without a usable time is a counted failure too, but its event keeps
// what the members gave (message, level, fields), with the previous line's time.
class LineParser {
 public:
  // `source` is copied into every Event (the view: it must outlive the parser).
  // `reference_time_us` is the latest time a line can plausibly carry (the file's
  // mtime): RFC 3164 lines have no year, and the year is the one that puts the line
  // at or before the reference plus one day.
  // `json_fields` says which members of JSON lines feed which Event fields.
  LineParser(Format format, std::string_view source, int64_t reference_time_us,
             JsonFieldMap json_fields = JsonFieldMap{});
  ~LineParser();
  LineParser(const LineParser&) = delete;
  LineParser& operator=(const LineParser&) = delete;

  // Parses `line` (no newline, no trailing CR). Returns false when the line does
  // not parse; `out` is then a best-effort event (the previous line's time, or the
  // reference time before any line parsed; the whole line as message; parsed=false)
  // and the failure is counted.
  bool parse(std::string_view line, Event& out);

  // A followed file keeps growing: its reference time moves with it, so that
  // RFC 3164 lines written after New Year get the new year.
  void set_reference_time(int64_t reference_time_us);

  uint64_t failures() const { return failures_; }

 private:
  bool parse_syslog(std::string_view line, Event& out);
  bool parse_app(std::string_view line, Event& out);
  bool parse_json(std::string_view line, Event& out);

  Format format_;
  std::string_view source_;
  int64_t reference_time_us_;
  int64_t last_ts_us_ = 0;
  uint64_t failures_ = 0;
  LocalTimeConverter local_time_;
  int year_limit_ = 1970;  // RFC 3164 year inference: see ingest/syslog_forms.h
  int64_t year_limit_within_ = 0;
  detail::Rfc3164Memo rfc3164_memo_;
  JsonFieldMap json_fields_;
  std::unique_ptr<JsonLineParser> json_;  // made at the first JSON line
};

}  // namespace vigil::ingest
