#pragma once
// The rule model as loaded from packs: plain data, no engine types.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "rules/pack_basics.h"
#include "rules/threshold.h"

namespace vigil::rules {

// How a capture is checked and normalised before it leaves the matcher.
enum class CaptureType {
  kString,    // as written
  kIp,        // must parse as IPv4/IPv6; written in canonical form
  kUser,      // a login name, kept as written (attacker-chosen); responders validate it
  kInt,       // decimal integer
  kDuration,  // "250ms", "1.5s", "2m", "1500" (ms): written as milliseconds
};
const char* to_string(CaptureType t);
std::optional<CaptureType> parse_capture_type(std::string_view name);  // "string" ... "duration"

// Syslog priority names as journalctl writes them: emerg alert crit err warning
// notice info debug (0-7).
std::optional<int> parse_priority(std::string_view name);
const char* priority_name(int priority);  // "unknown" outside 0-7

// A structured field's name as rules write it (see Event::fields): a JSON pointer
// ("/http/status"; '~' only as "~0" or "~1"; no '"'), a journald field name
// ("_TRANSPORT": A-Z, 0-9 and '_', not starting with a digit), or "duration" (a
// JSON line's mapped duration in milliseconds, ingest/json_parser.h).
bool valid_field_name(std::string_view name);

// A rule's or threshold's id: a-z, 0-9, '_', '.' and '-' ("ssh.failed_password").
bool valid_id(std::string_view id);

// A capture's name as RE2 names groups: a letter or '_', then letters, digits and '_'.
bool valid_capture_name(std::string_view name);

// One accepted value of a structured field: the exact text, or a numeric bound
// written ">=1000", ">1000", "<=1000" or "<1000" (the field's text must then be a
// number: "1532", "12.5", "1e3").
struct FieldValue {
  enum class Op { kEquals, kAtLeast, kAbove, kAtMost, kBelow };
  Op op = Op::kEquals;
  std::string text;  // as written
  double bound = 0;  // for the comparisons

  bool accepts(std::string_view value) const;
};
// nullopt when `written` starts like a bound (">", "<") but its rest is no number.
std::optional<FieldValue> parse_field_value(std::string_view written);

// Which events a rule looks at. Empty lists admit everything.
struct Selector {
  std::vector<std::string> programs;  // exact program names (sshd, sshd-session, ...)
  std::vector<std::string> units;     // systemd units
  std::vector<std::string> sources;   // glob on the source's file name (auth.log*, *.log)
  std::vector<int> priorities;        // exact priorities (e.g. warning only)
  int max_priority = -1;              // "err and worse": priority known and <= this
  // Structured fields: each named field must be present and, unless its list is
  // empty, have one of the accepted values. An event without fields is refused.
  std::map<std::string, std::vector<FieldValue>> fields;

  bool admits(const Event& e) const;
  // The priority part alone (kPriorityUnknown passes only when no priority is
  // selected): the matcher routes lines to priority-selected rules by it.
  bool admits_priority(int priority) const;
};

struct NamedCapture {
  std::string name;
  CaptureType type = CaptureType::kString;
};

// A capture taken from a structured field rather than a pattern group (a JSON
// line's duration, a member's value); typed and normalised like a group.
struct FieldCapture {
  std::string name;   // the capture's name
  std::string field;  // a valid_field_name
};

struct Pattern {
  std::string regex;  // RE2 syntax; the same string is compiled by Hyperscan
  Location where;
};

struct Example {
  std::string line;  // a full log line, parsed like any input line
  std::vector<std::pair<std::string, std::string>> captures;  // expected, after normalisation
  // The context a text line cannot carry, so that source and unit selectors can be
  // exercised: the source's file name (empty: "example") and the systemd unit.
  std::string source;
  std::string unit;
  Location where;
};

struct Rule {
  std::string id;  // "ssh.failed_password"
  std::string title;
  Severity severity = Severity::kInfo;
  Selector select;
  std::vector<Pattern> patterns;       // first that matches wins; one hit per rule per event
  std::vector<NamedCapture> captures;  // typed captures; others default to kString
  // Added to a hit's captures when the event has the field and the pattern's groups
  // did not capture that name; absent fields and values that fail their type's
  // check are left out (the hit stands).
  std::vector<FieldCapture> field_captures;
  std::vector<std::string> tags;
  std::vector<Example> match_examples;
  std::vector<Example> no_match_examples;
  std::string pack;  // the pack's name
  Location where;    // the rule's "- id:" entry

  CaptureType capture_type(std::string_view name) const;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<Threshold> thresholds{};  // their rule indexes point into `rules`
};

}  // namespace vigil::rules
