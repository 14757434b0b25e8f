#pragma once
// JSON-lines application logs ("{"ts":"…","level":"error","msg":"…"}") to Events,
// with simdjson on-demand. One parser, one padded input buffer and one scratch arena
// are reused across lines: in steady state a line costs no allocation.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace vigil::ingest {

// Which members feed which Event field. Each entry is a top-level member name
// ("msg", taken literally, dots included: "log.level") or a JSON pointer
// ("/fields/message"). The first entry of a list that the line has wins; a member
// feeds one field only (the first list naming it). The defaults read common
// loggers without any configuration: tracing-subscriber's JSON layer (timestamp,
// level, fields.message, target), zap, zerolog, logrus, pino/bunyan, structlog,
// ECS-style loggers.
struct JsonFieldMap {
  // ISO 8601 / RFC 3339 strings, or epoch numbers (see JsonLineParser).
  std::vector<std::string> time = {"timestamp", "time", "ts", "@timestamp", "datetime"};
  // Level words in any case, syslog priorities 0-7, or pino/bunyan numbers 10-60.
  std::vector<std::string> level = {"level", "severity", "lvl", "levelname", "log.level"};
  std::vector<std::string> message = {"msg", "message", "/fields/message", "@message"};
  std::vector<std::string> host = {"host", "hostname", "/host/name", "host.name"};
  // Not "logger"/"target": those name a module, and rules select programs.
  std::vector<std::string> program = {"program", "app", "service", "/service/name", "service.name"};
  std::vector<std::string> unit = {"unit", "systemd_unit"};
  std::vector<std::string> pid = {"pid", "/process/pid", "process.pid"};
  // An operation's duration in milliseconds; rules read it as the field "duration".
  std::vector<std::string> duration = {
      "duration_ms",         "elapsed_ms",         "latency_ms",         "took_ms",
      "/fields/duration_ms", "/fields/elapsed_ms", "/fields/latency_ms", "/fields/took_ms"};
};

// The name under which an Event's FieldLookup answers the mapped duration.
inline constexpr std::string_view kDurationField = "duration";

// Field names as rules and the FieldLookup of a JSON event see them:
//   "/http/status"  a JSON pointer (RFC 6901, "~0" for '~', "~1" for '/'): the member's
//                   value: a string unescaped, a number, bool or null as written, an
//                   object or array as its JSON text;
//   "duration"      the first mapped duration member (JsonFieldMap::duration);
//   other names     (journald's "_TRANSPORT") only in parse_message_json, from the
//                   journald entry's own lookup.
// Pointers are resolved lazily (on-demand at_pointer over the current line), once
// per line and name. A member whose key is written with escapes is not found by a
// pointer (simdjson matches raw keys); duplicate members: the first one.
class JsonLineParser {
 public:
  enum class Result {
    kParsed,   // every mapped member read, time included
    kNoTime,   // a JSON object without a usable time: the Event has everything else
    kInvalid,  // not a JSON object (truncated, invalid UTF-8, trailing bytes, a
               // mapped member given twice, ...): the Event is untouched
  };

  explicit JsonLineParser(const JsonFieldMap& map = JsonFieldMap{});
  ~JsonLineParser();
  JsonLineParser(const JsonLineParser&) = delete;
  JsonLineParser& operator=(const JsonLineParser&) = delete;

  // Sets ts_us, host, program, unit, pid, priority, message and fields of `out` from
  // `line` (other members untouched). Without a mapped message member, the message is
  // the whole line. Time: an ISO 8601 string (a zone-less time is local time), or an
  // epoch number (or string of digits) whose magnitude gives its unit: below 1e11
  // seconds, below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds;
  // fractions are kept to the microsecond. Views into the line are into this parser's
  // copy: they stay valid until the next call of either parse function.
  Result parse(std::string_view line, Event& out);

  // For journald entries whose MESSAGE is a JSON object: takes the message, the
  // priority and the time from it when it has them, and makes `inout.fields` answer
  // JSON pointers and "duration" from the JSON and every other name from the fields
  // `inout` had. Host, program, unit and pid stay the journal's. Returns false, with
  // `inout` untouched, when the message is not a valid JSON object.
  bool parse_message_json(std::string_view message, Event& inout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::ingest
