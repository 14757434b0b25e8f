// The "Alerts and actions" section: what fired, what was done about it, and
// above all what was held back (dry runs, refusals, skips) or went wrong.

#include <string>

#include "reports/display_text.h"
#include "reports/document.h"
#include "reports/folding.h"

namespace vigil::reports {
namespace {

// Log-derived cells longer than this are cut ("…"): a table stays readable.
constexpr size_t kMaxCellBytes = 240;

int64_t count_of(const std::vector<NameCount>& counts, const std::string& name) {
  for (const NameCount& c : counts) {
    if (c.name == name) return c.count;
  }
  return 0;
}

// "1 action", "3 actions"
std::string actions(int64_t n) {
  return number(n) + (n == 1 ? " action" : " actions");
}

std::string status_name(const std::string& status) {
  if (status == "dry_run") return "dry run";
  if (status == "timed_out") return "timed out";
  return status;
}

// "3 (1 critical, 2 high)"
std::string counted(int64_t total, const std::vector<NameCount>& counts) {
  std::string parts;
  for (const NameCount& c : counts) {
    if (!parts.empty()) parts += ", ";
    parts += number(c.count) + " " + status_name(c.name);
  }
  return number(total) + (parts.empty() ? "" : " (" + parts + ")");
}

// "ip=203.0.113.77", values quoted like argv elements when they need it.
std::string key_text(const KeyValues& key) {
  std::string out;
  for (const auto& [name, value] : key) {
    if (!out.empty()) out += ' ';
    out += name.empty() ? shell_word(value) : name + "=" + shell_word(value);
  }
  return out.empty() ? "-" : display_safe(out, kMaxCellBytes);
}

// "2026-11-28 03:12:06–03:15:52"; the date again only when it changes.
std::string time_span(int64_t first_us, int64_t last_us) {
  std::string first = local_time_text(first_us);
  const std::string last = local_time_text(last_us);
  if (first == last) return first;
  const bool same_day = first.compare(0, 10, last, 0, 10) == 0;
  return first + "\xE2\x80\x93" + (same_day ? last.substr(11) : last);
}

bool needs_attention(const std::string& status) {
  return status == "failed" || status == "timed_out" || status == "refused";
}

std::string status_cell(const std::string& status) {
  if (status == "dry_run") return "dry run: would have run";
  if (needs_attention(status)) {
    std::string upper = status_name(status);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return upper;
  }
  return status;
}

void add_more(Section& section, int64_t total, size_t listed, const char* what) {
  if (total > static_cast<int64_t>(listed)) {
    section.items.emplace_back("\xE2\x80\xA6 and " + number(total - static_cast<int64_t>(listed)) +
                               " more " + what + ".");
  }
}

void add_alerts(Section& section, const Alerts& a) {
  if (a.total == 0) {
    section.items.emplace_back("No alert fired in this period.");
    return;
  }
  section.items.emplace_back("Alerts: " + counted(a.total, a.by_severity) +
                             ". Most severe first, then by time:");
  Table table{{"time", "threshold", "title", "severity", "key", "hits"},
              {false, false, false, false, false, true},
              {},
              {}};
  for (const AlertRow& row : a.rows) {
    table.rows.push_back({time_span(row.first_us, row.last_us), row.threshold, row.title,
                          row.severity, key_text(row.key), number(row.count)});
  }
  section.items.emplace_back(std::move(table));
  add_more(section, a.total, a.rows.size(), "alerts (less severe, or later)");
}

// What was held back, or went wrong, in words before the table.
void add_highlights(Section& section, const Alerts& a) {
  const auto& s = a.actions_by_status;
  if (const int64_t n = count_of(s, "dry_run")) {
    section.items.emplace_back("Dry run: " + actions(n) +
                               " would have run (not executed: respond.dry_run, or vigil scan).");
  }
  if (const int64_t n = count_of(s, "refused")) {
    section.items.emplace_back("REFUSED: " + actions(n) +
                               ", because a value failed validation or the alert did not "
                               "qualify (see reason).");
  }
  const int64_t failed = count_of(s, "failed");
  const int64_t timed_out = count_of(s, "timed_out");
  if (failed + timed_out > 0) {
    section.items.emplace_back("FAILED: " + actions(failed) + " failed and " + number(timed_out) +
                               " timed out (see exit status and reason).");
  }
  if (const int64_t n = count_of(s, "skipped")) {
    section.items.emplace_back("Skipped: " + actions(n) +
                               " (allowlisted, cooldown or hourly limit; see reason).");
  }
  const int64_t pending = count_of(s, "planned") + count_of(s, "waiting") + count_of(s, "running");
  if (pending > 0) {
    section.items.emplace_back("Pending: " + actions(pending) +
                               " (planned, waiting for its time such as an unban, or running).");
  }
}

void add_actions(Section& section, const Alerts& a) {
  if (a.actions_total == 0) {
    section.items.emplace_back("No action was planned or taken in this period.");
    return;
  }
  section.items.emplace_back("Actions: " + counted(a.actions_total, a.actions_by_status) + ".");
  add_highlights(section, a);
  Table table{{"time", "alert", "response", "kind", "status", "command", "exit", "reason"},
              {false, false, false, false, false, false, true, false},
              {},
              {}};
  for (const ActionRow& row : a.actions) {
    const std::string key = key_text(row.key);
    const std::string alert = row.threshold.empty() ? key : row.threshold + " " + key;
    const std::string command = row.argv.empty()
                                    ? std::string("(built-in)")
                                    : display_safe(command_line(row.argv), kMaxCellBytes);
    table.rows.push_back({local_time_text(row.started_us.value_or(row.due_us)), alert, row.response,
                          row.kind, status_cell(row.status), command,
                          row.exit_status ? number(*row.exit_status) : "-",
                          display_safe(row.reason, kMaxCellBytes)});
    table.marked.push_back(needs_attention(row.status));
  }
  section.items.emplace_back(std::move(table));
  add_more(section, a.actions_total, a.actions.size(), "actions (problems are listed first)");
}

}  // namespace

Section alerts_section(const Report& report) {
  Section section{"Alerts and actions", {}};
  if (!report.alerts.recorded) {
    section.items.emplace_back(
        "Alerts and actions are not recorded in this database: it was written by a vigil "
        "before alerting (schema v1). A scan or run of this version adds them.");
    return section;
  }
  add_alerts(section, report.alerts);
  add_actions(section, report.alerts);
  return section;
}

std::string alerts_summary(const Report& report) {
  const Alerts& a = report.alerts;
  if (!a.recorded) return "Alerts: not recorded in this database (see Alerts and actions).";
  return "Alerts: " + counted(a.total, a.by_severity) +
         ". Actions: " + counted(a.actions_total, a.actions_by_status) +
         ". Details in Alerts and actions.";
}

}  // namespace vigil::reports
