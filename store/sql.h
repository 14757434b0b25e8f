#pragma once
// Every SQL text the store runs, in one place (private to store/). Statements
// take numbered parameters; the C++ that binds them names the same numbers.

#include <array>
#include <cstdint>
#include <string>

namespace vigil::store::sql {

// Marks the file as vigil's ("VIGL"), so that a --db pointing at another
// program's database is refused instead of having our tables added to it.
inline constexpr int32_t kApplicationId = 0x5649474C;

// Connection settings. WAL lets reports read while the writer commits;
// NORMAL is durable across application crashes, and a power cut can lose only
// the last commits, never corrupt the file: the positions go back with the hits,
// so those lines are read again.
// journal_size_limit: a WAL that grew past Checkpointer::kMaxPages (a reader
// held an old snapshot) shrinks back to 64 MiB.
// Foreign keys stay declared (they document the schema, and `PRAGMA
// foreign_key_check` verifies them) but are not enforced on the writer: it
// inserts only ids it has just read or created itself, and the two parent
// lookups per hit cost ~12% of commit time (measured).
inline constexpr const char* kPragmas =
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = OFF;"
    "PRAGMA journal_size_limit = 67108864;";
// 16 KiB pages: fewer and larger writes (measured: commits ~12% faster than with
// 4 KiB). Takes effect only in a new file, so it runs before WAL mode is set.
inline constexpr const char* kPageSize = "PRAGMA page_size = 16384";
inline constexpr const char* kJournalModeWal = "PRAGMA journal_mode = WAL";
inline constexpr const char* kUserVersion = "PRAGMA user_version";
inline constexpr const char* kApplicationIdQuery = "PRAGMA application_id";
inline constexpr const char* kHasTables = "SELECT count(*) FROM sqlite_schema";

// Schema v1. Design notes:
// - hit_row holds hits; the view `hits` is the stable interface (DESIGN.md),
//   joining in the source key and the rule name.
// - Rules are interned: a hit row carries an integer, and "hits of rule R in
//   [t0, t1)" is a range scan of hit_row_rule_ts.
// - Both indexes also carry the ids the view joins on, so time-range counts
//   through `hits` read the index alone, never the wide rows (measured with 10M
//   hits: 1.6 GiB of table, 0.22 GiB per index).
// - rule_hour counts hits per rule and hour as they commit, so a daily report's
//   "how many" reads a few hundred rows instead of scanning millions.
// - Unknown host/program/unit/pid are NULL, so SQL's "unknown" semantics apply.
// - Unsigned 64-bit values (dev, ino, fingerprint) are stored as their signed
//   two's complement bit pattern; the store converts back exactly.
// - No UNIQUE(source_id, offset, rule_id): after rotation a path starts again at
//   offset 0 under the same source, so the constraint would reject real hits.
//   Exactly-once comes from committing positions with the hits instead.
inline constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE source(
  id INTEGER PRIMARY KEY,
  key TEXT UNIQUE NOT NULL,
  display TEXT NOT NULL,
  dev INTEGER NOT NULL DEFAULT 0,
  ino INTEGER NOT NULL DEFAULT 0,
  offset INTEGER NOT NULL DEFAULT 0,
  line INTEGER NOT NULL DEFAULT 0,
  fingerprint_len INTEGER NOT NULL DEFAULT 0,
  fingerprint INTEGER NOT NULL DEFAULT 0,
  cursor TEXT NOT NULL DEFAULT '',
  lines INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  parse_failures INTEGER NOT NULL DEFAULT 0,
  updated_us INTEGER NOT NULL
);
CREATE TABLE rule(
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL
);
CREATE TABLE hit_row(
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES source(id),
  line INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  rule_id INTEGER NOT NULL REFERENCES rule(id),
  severity TEXT NOT NULL,
  host TEXT,
  program TEXT,
  pid INTEGER,
  unit TEXT,
  captures TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX hit_row_ts ON hit_row(ts, rule_id, source_id);
CREATE INDEX hit_row_rule_ts ON hit_row(rule_id, ts, source_id);
CREATE TABLE rule_hour(
  hour INTEGER NOT NULL,
  rule_id INTEGER NOT NULL REFERENCES rule(id),
  hits INTEGER NOT NULL,
  PRIMARY KEY(hour, rule_id)
) WITHOUT ROWID;
CREATE VIEW hits(id, ts, host, source, line, program, pid, unit, rule, severity, message,
                 captures) AS
  SELECT h.id, h.ts, h.host, s.key, h.line, h.program, h.pid, h.unit, r.name, h.severity,
         h.message, h.captures
  FROM hit_row AS h
  JOIN source AS s ON s.id = h.source_id
  JOIN rule AS r ON r.id = h.rule_id;
)sql";

// Schema v2: alerts and the actions taken on them.
// - alert_row: one row per alert fired (a threshold crossed for one key); `key`
//   is a JSON object of the group's captures. alert_hit lists the hits that
//   made it.
// - action_row: the audit trail. Every response considered for an alert gets a
//   row, whether it ran, was a dry run, or was refused (and why); `status` moves
//   planned -> running -> done | failed | timed_out. `due` lets a row wait for
//   its time (an unban), and survives restarts as a planned row.
// - The views `alerts` and `actions` are the stable interface (DESIGN.md); their
//   first columns are DESIGN.md's, later ones add the audit detail.
inline constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE alert_row(
  id INTEGER PRIMARY KEY,
  threshold TEXT NOT NULL,
  key TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  stored INTEGER NOT NULL
);
CREATE INDEX alert_row_last_ts ON alert_row(last_ts);
CREATE TABLE alert_hit(
  alert_id INTEGER NOT NULL REFERENCES alert_row(id),
  hit_id INTEGER NOT NULL REFERENCES hit_row(id),
  PRIMARY KEY(alert_id, hit_id)
) WITHOUT ROWID;
CREATE TABLE action_row(
  id INTEGER PRIMARY KEY,
  alert_id INTEGER REFERENCES alert_row(id),
  response TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  argv TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  due INTEGER NOT NULL,
  started INTEGER,
  finished INTEGER,
  exit_status INTEGER,
  output TEXT
);
CREATE INDEX action_row_alert ON action_row(alert_id);
CREATE INDEX action_row_status_due ON action_row(status, due);
CREATE INDEX action_row_due ON action_row(due);
CREATE VIEW alerts(id, threshold, key, count, first_ts, last_ts, severity, title) AS
  SELECT id, threshold, key, count, first_ts, last_ts, severity, title FROM alert_row;
CREATE VIEW actions(id, alert_id, response, argv, dry_run, exit_status, started, finished,
                    kind, status, reason, due, output) AS
  SELECT id, alert_id, response, argv, dry_run, exit_status, started, finished, kind, status,
         reason, due, output
  FROM action_row;
)sql";

// Schema v3: ingest health, per source.
// - source_hour: lines (journal entries) and parse failures per source and hour
//   of *log* time (hour as in rule_hour: µs UTC of its start), with the first
//   and last line's time in it. Added to at each commit, so a report reads a
//   day's lines per source, and its 7-day baseline, from a few hundred rows. The
//   source's latest hour row also holds the latest time read, which the reader
//   resumes gap detection from after a restart (no column on `source`: the
//   upsert of positions stays as it was).
// - source_gap: a silence of one source longer than 10 minutes (the reader's
//   SourceActivity::kGapFloorUs) between two consecutive lines in log time: start
//   is the last line before it, end the line that ended it. Only forward jumps;
//   out-of-order lines never make one. Committed with the position of the line
//   that ended it, so a resumed re-scan never records it again. A rowid table:
//   the same silence may be real twice (a file read again after a rotation).
//   The index serves "gaps of this source ending after T".
// - source_event: rotation events, at wall-clock time: a scan that discarded a
//   checkpoint (rotated, truncated, replaced) and, for `vigil run`, what the
//   follower saw (rotated, truncated, deleted, appeared, resumed-rotated).
// - Databases migrated from v2 have no counts before the migration: the
//   report's baselines start with it, like the summary's do with rule_hour.
inline constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE source_hour(
  source_id INTEGER NOT NULL REFERENCES source(id),
  hour INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  parse_failures INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  PRIMARY KEY(source_id, hour)
) WITHOUT ROWID;
CREATE TABLE source_gap(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  start_ts INTEGER NOT NULL,
  end_ts INTEGER NOT NULL
);
CREATE INDEX source_gap_source_end ON source_gap(source_id, end_ts, start_ts);
CREATE TABLE source_event(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX source_event_ts ON source_event(ts, source_id);
)sql";

// Forward migrations: kMigrations[i] takes user_version i to i + 1, so schema
// v3 is one more entry. Each runs in the same transaction as its version bump.
inline constexpr std::array kMigrations = {kSchemaV1, kSchemaV2, kSchemaV3};
inline constexpr int kSchemaVersion = static_cast<int>(kMigrations.size());

inline constexpr const char* kBegin = "BEGIN IMMEDIATE";
inline constexpr const char* kCommit = "COMMIT";
inline constexpr const char* kRollback = "ROLLBACK";

// Positions are replaced only when the batch carries one (?14 = 1); stats add up.
// ?1 key, ?2 display, ?3 dev, ?4 ino, ?5 offset, ?6 line, ?7 fingerprint_len,
// ?8 fingerprint, ?9 cursor, ?10 lines, ?11 bytes, ?12 parse_failures,
// ?13 updated_us, ?14 has_position.
inline constexpr const char* kUpsertSource = R"sql(
INSERT INTO source(key, display, dev, ino, offset, line, fingerprint_len, fingerprint, cursor,
                   lines, bytes, parse_failures, updated_us)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT(key) DO UPDATE SET
  display = excluded.display,
  dev = iif(?14, excluded.dev, dev),
  ino = iif(?14, excluded.ino, ino),
  offset = iif(?14, excluded.offset, offset),
  line = iif(?14, excluded.line, line),
  fingerprint_len = iif(?14, excluded.fingerprint_len, fingerprint_len),
  fingerprint = iif(?14, excluded.fingerprint, fingerprint),
  cursor = iif(?14, excluded.cursor, cursor),
  lines = lines + excluded.lines,
  bytes = bytes + excluded.bytes,
  parse_failures = parse_failures + excluded.parse_failures,
  updated_us = excluded.updated_us
RETURNING id
)sql";

// Columns 0..9 as listed; ?1 key.
inline constexpr const char* kSelectSource = R"sql(
SELECT dev, ino, offset, line, fingerprint_len, fingerprint, cursor, lines, bytes,
       parse_failures
FROM source WHERE key = ?1
)sql";

inline constexpr const char* kSelectRule = "SELECT id FROM rule WHERE name = ?1";
inline constexpr const char* kInsertRule = "INSERT INTO rule(name) VALUES(?1)";

// ?1 ts, ?2 source_id, ?3 line, ?4 offset, ?5 rule_id, ?6 severity, ?7 host,
// ?8 program, ?9 pid, ?10 unit, ?11 captures, ?12 message.
inline constexpr const char* kInsertHit = R"sql(
INSERT INTO hit_row(ts, source_id, line, offset, rule_id, severity, host, program, pid, unit,
                    captures, message)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
)sql";

// kInsertHit for many hits at once: row r's parameters are kInsertHit's, plus
// r * kHitColumns. The id is NULL, so SQLite chooses it as for kInsertHit (one
// more than the largest); it is named only because then SQLite reads each
// row's values where the VALUES list put them, instead of copying all twelve
// once more (measured: ~170 instructions per row). OR FAIL keeps the rows
// before a failing one instead of undoing them, which spares SQLite a statement
// journal: with it, every page the insert touched was first copied to a temp
// file (136k writes for 1M lines, twice the system time). Nothing partial is
// kept: a failed insert rolls back the whole batch's transaction.
inline constexpr int kHitColumns = 12;
inline std::string insert_hits(int rows) {
  std::string text =
      "INSERT OR FAIL INTO hit_row(id, ts, source_id, line, offset, rule_id, severity, host, "
      "program, pid, unit, captures, message) VALUES";
  int param = 0;
  for (int row = 0; row < rows; ++row) {
    text += row == 0 ? "(NULL" : ", (NULL";
    for (int column = 0; column < kHitColumns; ++column) text += ", ?" + std::to_string(++param);
    text += ')';
  }
  return text;
}

// The largest hit id; NULL while there is none.
inline constexpr const char* kSelectMaxHitId = "SELECT max(id) FROM hit_row";

// ?1 hour (µs UTC of its start), ?2 rule_id, ?3 hits to add.
inline constexpr const char* kAddRuleHour = R"sql(
INSERT INTO rule_hour(hour, rule_id, hits) VALUES(?1, ?2, ?3)
ON CONFLICT(hour, rule_id) DO UPDATE SET hits = hits + excluded.hits
)sql";

// ?1 source_id, ?2 hour, ?3 lines, ?4 parse_failures, ?5 first_ts, ?6 last_ts.
inline constexpr const char* kAddSourceHour = R"sql(
INSERT INTO source_hour(source_id, hour, lines, parse_failures, first_ts, last_ts)
VALUES(?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT(source_id, hour) DO UPDATE SET
  lines = lines + excluded.lines,
  parse_failures = parse_failures + excluded.parse_failures,
  first_ts = min(first_ts, excluded.first_ts),
  last_ts = max(last_ts, excluded.last_ts)
)sql";

// ?1 source_id, ?2 start_ts, ?3 end_ts.
inline constexpr const char* kInsertSourceGap =
    "INSERT INTO source_gap(source_id, start_ts, end_ts) VALUES(?1, ?2, ?3)";

// ?1 source_id, ?2 ts, ?3 kind, ?4 detail.
inline constexpr const char* kInsertSourceEvent =
    "INSERT INTO source_event(source_id, ts, kind, detail) VALUES(?1, ?2, ?3, ?4)";

// The latest log time stored for a source: its latest hour's last line. ?1 key.
inline constexpr const char* kSelectSourceLastTs = R"sql(
SELECT h.last_ts FROM source AS s JOIN source_hour AS h ON h.source_id = s.id
WHERE s.key = ?1 ORDER BY h.hour DESC LIMIT 1
)sql";

// ?1 threshold, ?2 key, ?3 count, ?4 first_ts, ?5 last_ts, ?6 severity, ?7 title, ?8 stored.
inline constexpr const char* kInsertAlert = R"sql(
INSERT INTO alert_row(threshold, key, count, first_ts, last_ts, severity, title, stored)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
)sql";

// ?1 alert_id, ?2 hit_id.
inline constexpr const char* kInsertAlertHit =
    "INSERT OR IGNORE INTO alert_hit(alert_id, hit_id) VALUES(?1, ?2)";

// ?1 alert_id (NULL: none), ?2 response, ?3 kind, ?4 key, ?5 argv, ?6 dry_run,
// ?7 status, ?8 reason, ?9 due.
inline constexpr const char* kInsertAction = R"sql(
INSERT INTO action_row(alert_id, response, kind, key, argv, dry_run, status, reason, due)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
)sql";

// ?1 id, ?2 started.
inline constexpr const char* kStartAction =
    "UPDATE action_row SET status = 'running', started = ?2 WHERE id = ?1";

// ?1 id, ?2 due.
inline constexpr const char* kScheduleAction =
    "UPDATE action_row SET status = 'planned', due = ?2 WHERE id = ?1";

// ?1 id, ?2 status, ?3 reason, ?4 exit_status (NULL: none), ?5 output, ?6 finished,
// ?7 started (kept when already set).
inline constexpr const char* kFinishAction = R"sql(
UPDATE action_row SET status = ?2, reason = ?3, exit_status = ?4, output = ?5, finished = ?6,
                      started = coalesce(started, ?7)
WHERE id = ?1
)sql";

// Lets the query planner learn from this connection's queries at close.
inline constexpr const char* kOptimize = "PRAGMA optimize";

}  // namespace vigil::store::sql
