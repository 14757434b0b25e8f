#include "store/alert_log.h"

#include <algorithm>

#include "core/error.h"
#include "store/action_rows.h"
#include "store/sql.h"
#include "store/statement.h"

namespace vigil::store {
namespace {

constexpr const char* kLatestHitTs = "SELECT max(ts) FROM hit_row";

// Per source, its newest hit not older than ?1 (an index scan back from the
// newest hit that stops at ?1).
constexpr const char* kSourcesNewest = R"sql(
SELECT (SELECT max(ts) FROM hit_row WHERE source_id = s.id AND ts >= ?1) FROM source AS s
)sql";

constexpr const char* kHitsSince = R"sql(
SELECT h.id, h.ts, s.key, h.line, r.name, h.captures
FROM hit_row AS h
JOIN source AS s ON s.id = h.source_id
JOIN rule AS r ON r.id = h.rule_id
WHERE h.ts >= ?1
ORDER BY h.ts, h.id
)sql";

constexpr const char* kAlertColumns =
    "SELECT id, threshold, title, severity, key, count, first_ts, last_ts FROM alert_row ";

constexpr const char* kActionsSince = R"sql(
SELECT id, alert_id, response, kind, key, argv, dry_run, status, reason, due FROM action_row
WHERE due >= ?1 OR status IN ('planned', 'running', 'waiting')
ORDER BY id
)sql";

constexpr const char* kAlertHits = R"sql(
SELECT h.id, h.ts, s.key, h.line, r.name, h.captures, h.message, coalesce(h.host, '')
FROM alert_hit AS a
JOIN hit_row AS h ON h.id = a.hit_id
JOIN source AS s ON s.id = h.source_id
JOIN rule AS r ON r.id = h.rule_id
WHERE a.alert_id = ?1
ORDER BY h.ts, h.id
LIMIT ?2
)sql";

AlertRecord read_alert(const Statement& s) {
  AlertRecord a;
  a.id = s.column_int64(0);
  a.threshold = s.column_text(1);
  a.title = s.column_text(2);
  a.severity = s.column_text(3);
  a.key_json = s.column_text(4);
  a.count = s.column_uint64(5);
  a.first_ts_us = s.column_int64(6);
  a.last_ts_us = s.column_int64(7);
  return a;
}

ActionRecord read_action(const Statement& s) {
  ActionRecord a;
  a.id = s.column_int64(0);
  a.alert_id = s.column_int64(1);
  a.response = s.column_text(2);
  a.kind = s.column_text(3);
  a.key_json = s.column_text(4);
  a.argv_json = s.column_text(5);
  a.dry_run = s.column_int64(6) != 0;
  a.status = s.column_text(7);
  a.reason = s.column_text(8);
  a.due_us = s.column_int64(9);
  return a;
}

StoredHit read_hit(const Statement& s, bool with_text) {
  StoredHit h;
  h.id = s.column_int64(0);
  h.ts_us = s.column_int64(1);
  h.source = s.column_text(2);
  h.line = s.column_uint64(3);
  h.rule = s.column_text(4);
  h.captures_json = s.column_text(5);
  if (with_text) {
    h.message = s.column_text(6);
    h.host = s.column_text(7);
  }
  return h;
}

DbHandle open_writer(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) fail(db.get(), path, "cannot open database for the action log");
  sqlite3_extended_result_codes(db.get(), 1);
  // The writer thread's commits hold the lock for a batch at a time.
  sqlite3_busy_timeout(db.get(), 30000);
  exec(db.get(), path, sql::kPragmas, "set pragmas");
  Statement version(db.get(), path, sql::kUserVersion, "read schema version", false);
  Statement::Scope scope(version);
  if (!version.step() || version.column_int64(0) != sql::kSchemaVersion) {
    throw Error(path + ": the action log needs schema version " +
                std::to_string(sql::kSchemaVersion) + "; open the store first");
  }
  return db;
}

}  // namespace

std::optional<int64_t> latest_hit_ts(sqlite3* db, const std::string& path) {
  Statement s(db, path, kLatestHitTs, "read the newest hit", false);
  Statement::Scope scope(s);
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_int64(0);
}

int64_t insert_action(Statement& insert, sqlite3* db, const ActionRecord& action,
                      int64_t alert_id) {
  Statement& s = insert;
  if (alert_id > 0) {
    s.bind(1, alert_id);
  } else {
    s.bind_null(1);
  }
  s.bind(2, action.response);
  s.bind(3, action.kind);
  s.bind(4, action.key_json.empty() ? std::string_view("{}") : action.key_json);
  s.bind(5, action.argv_json.empty() ? std::string_view("[]") : action.argv_json);
  s.bind(6, int64_t{action.dry_run ? 1 : 0});
  s.bind(7, action.status);
  s.bind(8, action.reason);
  s.bind(9, action.due_us);
  s.run();
  return sqlite3_last_insert_rowid(db);
}

std::optional<int64_t> resume_point(sqlite3* db, const std::string& path, int64_t max_lag_us) {
  const std::optional<int64_t> latest = latest_hit_ts(db, path);
  if (!latest) return std::nullopt;
  Statement s(db, path, kSourcesNewest, "read each source's newest hit", false);
  Statement::Scope scope(s);
  s.bind(1, *latest - max_lag_us);
  int64_t point = *latest;
  while (s.step()) {
    if (!s.column_is_null(0)) point = std::min(point, s.column_int64(0));
  }
  return point;
}

void for_each_hit_since(sqlite3* db, const std::string& path, int64_t since_us,
                        const std::function<void(const StoredHit&)>& visit) {
  Statement s(db, path, kHitsSince, "read recent hits", false);
  Statement::Scope scope(s);
  s.bind(1, since_us);
  while (s.step()) visit(read_hit(s, false));
}

std::vector<AlertRecord> alerts_since(sqlite3* db, const std::string& path, int64_t since_us) {
  const std::string query = std::string(kAlertColumns) + "WHERE last_ts >= ?1 ORDER BY id";
  Statement s(db, path, query.c_str(), "read recent alerts", false);
  Statement::Scope scope(s);
  s.bind(1, since_us);
  std::vector<AlertRecord> out;
  while (s.step()) out.push_back(read_alert(s));
  return out;
}

std::vector<ActionRecord> actions_since(sqlite3* db, const std::string& path, int64_t since_us) {
  Statement s(db, path, kActionsSince, "read recent actions", false);
  Statement::Scope scope(s);
  s.bind(1, since_us);
  std::vector<ActionRecord> out;
  while (s.step()) out.push_back(read_action(s));
  return out;
}

struct ActionLog::Impl {
  explicit Impl(std::string file) : path(std::move(file)), db(open_writer(path)) {}

  std::string path;
  DbHandle db;
  Statement start{db.get(), path, sql::kStartAction, "mark action started"};
  Statement finish{db.get(), path, sql::kFinishAction, "record action outcome"};
  Statement insert{db.get(), path, sql::kInsertAction, "insert action"};
  Statement schedule{db.get(), path, sql::kScheduleAction, "schedule action"};
  Statement hits{db.get(), path, kAlertHits, "read the alert's hits"};
};

std::unique_ptr<ActionLog> ActionLog::open(const std::string& path) {
  return std::unique_ptr<ActionLog>(new ActionLog(std::make_unique<Impl>(path)));
}

ActionLog::ActionLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ActionLog::~ActionLog() = default;

void ActionLog::started(int64_t action_id, int64_t started_us) {
  impl_->start.bind(1, action_id);
  impl_->start.bind(2, started_us);
  impl_->start.run();
}

void ActionLog::schedule(int64_t action_id, int64_t due_us) {
  impl_->schedule.bind(1, action_id);
  impl_->schedule.bind(2, due_us);
  impl_->schedule.run();
}

void ActionLog::finished(int64_t action_id, const ActionOutcome& outcome) {
  Statement& s = impl_->finish;
  s.bind(1, action_id);
  s.bind(2, outcome.status);
  s.bind(3, outcome.reason);
  if (outcome.exit_status) {
    s.bind(4, int64_t{*outcome.exit_status});
  } else {
    s.bind_null(4);
  }
  s.bind(5, outcome.output);
  s.bind(6, outcome.finished_us);
  s.bind(7, outcome.started_us);
  s.run();
}

int64_t ActionLog::add(const ActionRecord& action) {
  return insert_action(impl_->insert, impl_->db.get(), action, action.alert_id);
}

std::optional<AlertRecord> ActionLog::alert(int64_t id) {
  const std::string query = std::string(kAlertColumns) + "WHERE id = ?1";
  Statement s(impl_->db.get(), impl_->path, query.c_str(), "read alert", false);
  Statement::Scope scope(s);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_alert(s);
}

std::vector<StoredHit> ActionLog::alert_hits(int64_t alert_id, size_t limit) {
  Statement& s = impl_->hits;
  Statement::Scope scope(s);
  s.bind(1, alert_id);
  s.bind(2, static_cast<int64_t>(limit));
  std::vector<StoredHit> out;
  while (s.step()) out.push_back(read_hit(s, true));
  return out;
}

}  // namespace vigil::store
