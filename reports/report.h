#pragma once
// The daily security report: figures computed from vigil's database (read-only,
// through SQL on the schema of store/), and renderers for a terminal, Markdown,
// one self-contained HTML file and JSON. The figures are plain data, so every
// format shows the same numbers.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace vigil::reports {

// [start_us, end_us) in µs UTC. Hour buckets start at start_us, one per real
// hour, so a local day has 23 or 25 of them on a DST change.
struct ReportRange {
  int64_t start_us = 0;
  int64_t end_us = 0;
  std::string label;  // "2026-11-28", or "since … until …"
  std::string tz;     // the zone the labels are in ("" = process local time)
};

// The local day "YYYY-MM-DD" in the process's time zone (set TZ first), DST
// exact; nullopt when the text is not a valid date.
std::optional<ReportRange> local_day(const std::string& yyyy_mm_dd);
// The local day that contains `us_utc`.
ReportRange local_day_of(int64_t us_utc);

// A figure of the summary with the mean of the 7 previous local days.
struct Comparison {
  std::string name;  // "failed logins"
  int64_t today = 0;
  std::optional<double> baseline;  // nullopt: no data stored before this range
};

struct IpFailures {
  std::string ip;
  int64_t count = 0;
  int64_t first_us = 0;
  int64_t last_us = 0;
  int64_t distinct_users = 0;
};
struct NameCount {
  std::string name;
  int64_t count = 0;
};
// An accepted login from an IP that failed earlier in the range.
struct SuspectLogin {
  int64_t ts_us = 0;
  std::string user;
  std::string ip;
  int64_t failures_before = 0;
};
struct AcceptedLogin {
  int64_t ts_us = 0;
  std::string user;
  std::string ip;
  std::string method;  // the rule: ssh.accepted_password / ssh.accepted_publickey
};
struct Authentication {
  int64_t failed = 0;         // ssh.failed_password/_publickey/_keyboard_interactive
  int64_t invalid_users = 0;  // ssh.invalid_user (same attempts, not added)
  int64_t accepted = 0;
  std::vector<int64_t> failed_per_hour;
  std::vector<IpFailures> top_ips;   // at most 10
  std::vector<NameCount> top_users;  // at most 10
  std::vector<SuspectLogin> accepted_after_failures;
  std::vector<AcceptedLogin> new_ips;  // first accepted login ever from that IP
};

struct SudoUser {
  std::string user;
  int64_t commands = 0;
  int64_t distinct_commands = 0;
  std::vector<std::string> rare_commands;  // run once in the range (at most 5)
};
struct PrivilegeEvent {
  int64_t ts_us = 0;
  std::string rule;
  std::string user;
  std::string detail;  // the command, or su's target user
};
struct Privilege {
  int64_t sudo_commands = 0;
  std::vector<SudoUser> sudo_by_user;
  std::vector<PrivilegeEvent> sudo_failures;  // auth failures, denials, not allowed
  int64_t su_success = 0;
  int64_t su_failed = 0;
  std::vector<PrivilegeEvent> su_events;
};

struct ServiceErrors {
  std::string service;
  int64_t errors = 0;  // distinct log lines, whatever number of rules fired
  int64_t warnings = 0;
};
struct SlowOperations {
  int64_t count = 0;  // with a readable duration
  double p50_ms = 0;
  double p95_ms = 0;
  double max_ms = 0;
};
struct Services {
  int64_t errors = 0;
  int64_t warnings = 0;
  std::vector<int64_t> errors_per_hour;
  std::vector<ServiceErrors> by_service;
  std::vector<NameCount> top_messages;  // normalised, at most 10
  SlowOperations slow;
};

// Alerts and actions (schema v2: the `alerts` and `actions` views). A key is the
// alert's JSON object as (name, value) pairs; argv the command's elements.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
struct AlertRow {
  int64_t id = 0;
  std::string threshold;
  std::string title;
  std::string severity;  // critical, high, medium, low, info
  KeyValues key;
  int64_t count = 0;
  int64_t first_us = 0;
  int64_t last_us = 0;
};
struct ActionRow {
  int64_t id = 0;
  int64_t alert_id = 0;   // 0: not tied to an alert
  std::string threshold;  // the alert's, "" without one
  KeyValues key;          // the alert's key, else the values the action acts on
  std::string response;
  std::string kind;    // ban_ip, unban_ip, isolate, evidence, notify, restart_unit, command
  std::string status;  // planned, waiting, running, done, failed, timed_out, dry_run,
                       // refused, skipped
  std::string reason;  // why refused, skipped or failed
  std::vector<std::string> argv;  // empty for a built-in
  bool dry_run = false;
  std::optional<int64_t> exit_status;
  int64_t due_us = 0;
  std::optional<int64_t> started_us;
  std::optional<int64_t> finished_us;
};
struct Alerts {
  bool recorded = false;  // the database has schema v2's tables (older files do not)
  // Alerts whose last hit is in the range; at most kListed rows, most severe
  // first, then by time.
  int64_t total = 0;
  std::vector<NameCount> by_severity;  // most severe first, only those present
  std::vector<AlertRow> rows;
  // Actions of those alerts, and those due in the range; problems (failed,
  // timed out, refused) first, then by time.
  int64_t actions_total = 0;
  std::vector<NameCount> actions_by_status;  // in the order of the life cycle
  std::vector<ActionRow> actions;
  static constexpr size_t kListed = 50;
};

// A silence of one source (log time) longer than usual: recorded when a line
// ended it, or open: nothing came after the source's last line.
struct SourceGap {
  int64_t start_us = 0;           // the last line before it
  std::optional<int64_t> end_us;  // the line that ended it; nullopt: still quiet
  int64_t length_us = 0;          // to end_us, else to the range's end (or now, if sooner)
  // Median over the 7 previous days with data of the source's longest silence
  // per day (0 for a day without one over 10 minutes); nullopt: no such day.
  std::optional<int64_t> usual_us;
};
// A file rotated, truncated or replaced under a checkpoint, or what `vigil run`
// saw happen to it (deleted, appeared, resumed-rotated); wall-clock time.
struct SourceEventRow {
  int64_t ts_us = 0;
  std::string kind;
  std::string detail;
};
struct SourceHealth {
  std::string source;
  int64_t lines = 0;  // totals since the source was first read
  int64_t bytes = 0;
  int64_t parse_failures = 0;
  int64_t hits_in_range = 0;
  int64_t last_update_us = 0;
  // Schema v3 (IngestHealth::recorded): lines (journal entries) and parse
  // failures in the range, by hour of log time, against the 7-day mean.
  Comparison range_lines;
  int64_t range_parse_failures = 0;
  std::vector<SourceGap> gaps;         // those over the threshold (IngestHealth), by start
  std::vector<SourceEventRow> events;  // in the range, by time; at most kListed
};
struct IngestHealth {
  // The database has schema v3's source_hour, source_gap and source_event
  // (older files, opened read-only, are not migrated: totals only).
  bool recorded = false;
  std::vector<SourceHealth> sources;
  int64_t database_bytes = 0;
  // A silence is listed when it is at least max(2 × usual, kGapMinimumUs), or
  // kGapNoBaselineUs when the source has no usual yet.
  static constexpr int64_t kGapMinimumUs = int64_t{30} * 60 * 1'000'000;
  static constexpr int64_t kGapNoBaselineUs = int64_t{60} * 60 * 1'000'000;
  static constexpr size_t kListed = 50;
};

struct Report {
  ReportRange range;
  int64_t generated_us = 0;
  int64_t hits_in_range = 0;
  bool has_data() const { return hits_in_range > 0; }
  std::vector<Comparison> summary;
  Authentication auth;
  Privilege privilege;
  Services services;
  Alerts alerts;
  IngestHealth ingest;
  std::vector<std::string> hour_labels;  // local "HH:00" of each hour bucket
};

// Reads the figures of `range`. Throws vigil::Error on a database failure.
Report build_report(sqlite3* db, const ReportRange& range);
// Opens `db_path` read-only (an error naming it if it is missing or not vigil's).
Report build_report(const std::string& db_path, const ReportRange& range);

struct TextStyle {
  bool colour = false;  // ANSI bold headings; only for a terminal
};
std::string render_text(const Report& report, TextStyle style = {});
std::string render_markdown(const Report& report);
std::string render_html(const Report& report);
std::string render_json(const Report& report);

// "3× usual", "new", "as usual", "half of usual"…: `today` against `baseline`.
std::string describe_change(const Comparison& comparison);

}  // namespace vigil::reports
