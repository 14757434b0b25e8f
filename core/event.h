#pragma once
// The record every parser produces and every later stage reads.

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil {

// Syslog priorities (RFC 5424 severity); kPriorityUnknown when a source carries none.
enum Priority : int8_t {
  kPriorityUnknown = -1,
  kEmerg = 0,
  kAlert = 1,
  kCrit = 2,
  kErr = 3,
  kWarning = 4,
  kNotice = 5,
  kInfo = 6,
  kDebug = 7,
};

// Structured fields beyond the common ones: a journald entry's fields (by name,
// e.g. "_TRANSPORT") or a JSON line's members (by JSON pointer, e.g. "/http/status").
// Rule selectors read them; the source that made the Event implements the lookup.
class FieldLookup {
 public:
  // The field's value as text (a JSON number or bool as written), or nullopt when
  // the event has no such field. The view is valid as long as the Event.
  virtual std::optional<std::string_view> field(std::string_view name) const = 0;

 protected:
  ~FieldLookup() = default;
};

// Views point into the reader's buffer or the parser's scratch: an Event is valid
// only until the next line is parsed. Whatever outlives it must be copied.
struct Event {
  int64_t ts_us = 0;         // microseconds since the epoch, UTC
  std::string_view source;   // logical source name (the file as named by the user)
  std::string_view host;     // empty when the line names none
  std::string_view program;  // syslog tag / SYSLOG_IDENTIFIER; empty when unknown
  std::string_view unit;     // systemd unit; empty outside journald
  std::string_view message;  // the free text the rules scan
  int32_t pid = -1;          // -1 when unknown
  int8_t priority = kPriorityUnknown;
  const FieldLookup* fields = nullptr;  // null: no structured fields
  bool parsed = true;                   // false: best-effort event from a line that did not parse
};

}  // namespace vigil
