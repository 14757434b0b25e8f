// Section 5: alerts and actions (schema v2). Alerts are those whose last hit is
// in the range (alert_row_last_ts); actions are theirs (action_row_alert) and
// those due in the range (action_row_due), such as the unban of yesterday's ban.
// INDEXED BY pins the indexes, as for the hits, and CROSS JOIN the order (the
// range's ids first, then their rows by rowid): with ANALYZE statistics of a
// small table the planner would rather scan it.

#include <string>

#include "reports/query.h"
#include "reports/sections.h"

namespace vigil::reports {
namespace {

constexpr const char* kAlertRange =
    " FROM alert_row INDEXED BY alert_row_last_ts WHERE last_ts >= ?1 AND last_ts < ?2";
constexpr const char* kSeverityRank =
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 "
    "WHEN 'low' THEN 3 WHEN 'info' THEN 4 ELSE 5 END";
// The ids of the range's actions: one index range each, whatever the table's size.
constexpr const char* kActionIds =
    "SELECT id FROM action_row INDEXED BY action_row_alert WHERE alert_id IN (SELECT id FROM "
    "alert_row INDEXED BY alert_row_last_ts WHERE last_ts >= ?1 AND last_ts < ?2) UNION "
    "SELECT id FROM action_row INDEXED BY action_row_due WHERE due >= ?1 AND due < ?2";
// The life cycle's order, for the counts.
constexpr const char* kStatusRank =
    "CASE x.status WHEN 'planned' THEN 0 WHEN 'waiting' THEN 1 WHEN 'running' THEN 2 WHEN "
    "'done' THEN 3 WHEN 'failed' THEN 4 WHEN 'timed_out' THEN 5 WHEN 'dry_run' THEN 6 WHEN "
    "'refused' THEN 7 WHEN 'skipped' THEN 8 ELSE 9 END";

// The members of a JSON object or array, through SQLite's own JSON parser; text
// that is not JSON (never written by the store) comes back whole.
class JsonMembers {
 public:
  explicit JsonMembers(sqlite3* db)
      : query_(db, "SELECT key, value FROM json_each(iif(json_valid(?1), ?1, NULL))") {}
  KeyValues operator()(const std::string& json) {
    KeyValues members;
    query_.reset();
    query_.bind(1, json);
    while (query_.step()) members.emplace_back(query_.text(0), query_.text(1));
    if (members.empty() && json != "{}" && json != "[]") members.emplace_back("", json);
    return members;
  }

 private:
  Query query_;
};

std::vector<NameCount> counts(sqlite3* db, const std::string& sql, const ReportRange& range,
                              int64_t& total) {
  Query query(db, sql.c_str());
  query.bind(1, range.start_us).bind(2, range.end_us);
  std::vector<NameCount> rows;
  while (query.step()) {
    rows.push_back(NameCount{query.text(0), query.integer(1)});
    total += query.integer(1);
  }
  return rows;
}

void read_alert_rows(sqlite3* db, Report& report, JsonMembers& members) {
  Alerts& alerts = report.alerts;
  alerts.by_severity = counts(db,
                              std::string("SELECT severity, count(*)") + kAlertRange +
                                  " GROUP BY severity ORDER BY " + kSeverityRank + ", severity",
                              report.range, alerts.total);
  const std::string sql =
      std::string("SELECT id, threshold, title, severity, key, count, first_ts, last_ts") +
      kAlertRange + " ORDER BY " + kSeverityRank + ", first_ts, id LIMIT " +
      std::to_string(Alerts::kListed);
  Query rows(db, sql.c_str());
  rows.bind(1, report.range.start_us).bind(2, report.range.end_us);
  while (rows.step()) {
    alerts.rows.push_back(AlertRow{rows.integer(0), rows.text(1), rows.text(2), rows.text(3),
                                   members(rows.text(4)), rows.integer(5), rows.integer(6),
                                   rows.integer(7)});
  }
}

void read_action_rows(sqlite3* db, Report& report, JsonMembers& members) {
  Alerts& alerts = report.alerts;
  alerts.actions_by_status = counts(db,
                                    std::string("SELECT x.status, count(*) FROM (") + kActionIds +
                                        ") AS ids CROSS JOIN action_row AS x ON x.id = ids.id "
                                        "GROUP BY x.status ORDER BY " +
                                        kStatusRank + ", x.status",
                                    report.range, alerts.actions_total);
  // Failures, timeouts and refusals first: the cap must not hide them.
  const std::string sql =
      std::string(
          "SELECT x.id, coalesce(x.alert_id, 0), coalesce(a.threshold, ''), coalesce(a.key, "
          "x.key), x.response, x.kind, x.status, x.reason, x.argv, x.dry_run, x.exit_status, "
          "x.due, x.started, x.finished FROM (") +
      kActionIds +
      ") AS ids CROSS JOIN action_row AS x ON x.id = ids.id LEFT JOIN alert_row AS a ON a.id = "
      "x.alert_id ORDER BY x.status NOT IN ('failed', 'timed_out', 'refused'), "
      "coalesce(x.started, x.due), x.id LIMIT " +
      std::to_string(Alerts::kListed);
  Query rows(db, sql.c_str());
  rows.bind(1, report.range.start_us).bind(2, report.range.end_us);
  while (rows.step()) {
    ActionRow row;
    row.id = rows.integer(0);
    row.alert_id = rows.integer(1);
    row.threshold = rows.text(2);
    row.key = members(rows.text(3));
    row.response = rows.text(4);
    row.kind = rows.text(5);
    row.status = rows.text(6);
    row.reason = rows.text(7);
    for (auto& [index, word] : members(rows.text(8))) row.argv.push_back(std::move(word));
    row.dry_run = rows.integer(9) != 0;
    if (!rows.is_null(10)) row.exit_status = rows.integer(10);
    row.due_us = rows.integer(11);
    if (!rows.is_null(12)) row.started_us = rows.integer(12);
    if (!rows.is_null(13)) row.finished_us = rows.integer(13);
    alerts.actions.push_back(std::move(row));
  }
}

}  // namespace

void read_alerts(sqlite3* db, Report& report) {
  // A database written before schema v2 (opened read-only: not migrated) has none.
  report.alerts.recorded = has_table(db, "alert_row") && has_table(db, "action_row");
  if (!report.alerts.recorded) return;
  JsonMembers members(db);
  read_alert_rows(db, report, members);
  read_action_rows(db, report, members);
}

}  // namespace vigil::reports
