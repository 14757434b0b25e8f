// Every query build_report runs, checked with EXPLAIN QUERY PLAN: the range's
// hits are read through an index (hit_row_ts or hit_row_rule_ts), never by a
// scan of hit_row, so a day's report costs the day's rows, not the table's.
// Alerts and actions likewise (alert_row_last_ts, action_row_alert, _due), and
// ingest health's tables of schema v3 (source_hour's key, source_gap_source_end,
// source_event_ts).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include "reports/report.h"
#include "tests/reports/report_fixture.h"

namespace vigil::reports {
namespace {

int collect_sql(unsigned type, void* context, void* statement, void* /*sql*/) {
  if (type != SQLITE_TRACE_STMT) return 0;
  if (char* expanded = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(statement))) {
    static_cast<std::set<std::string>*>(context)->insert(expanded);
    sqlite3_free(expanded);
  }
  return 0;
}

std::vector<std::string> plan_of(sqlite3* db, const std::string& sql) {
  std::vector<std::string> details;
  sqlite3_stmt* stmt = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite3_prepare_v2(db, explain.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
    return details;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    details.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
  }
  sqlite3_finalize(stmt);
  return details;
}

// The alert and action tables, by name or by the report's aliases for them.
bool scans_alert_tables(const std::string& detail) {
  return std::ranges::any_of(std::array{"alert_row", "action_row", "a", "x"},
                             [&](const char* table) {
                               const std::string scan = std::string("SCAN ") + table;
                               return detail == scan || detail.rfind(scan + " ", 0) == 0;
                             });
}

// source_hour, source_gap, source_event: read by source and time, never scanned.
bool scans_ingest_tables(const std::string& detail) {
  return std::ranges::any_of(std::array{"source_hour", "source_gap", "source_event"},
                             [&](const char* table) {
                               const std::string scan = std::string("SCAN ") + table;
                               return detail == scan || detail.rfind(scan + " ", 0) == 0;
                             });
}

bool scans_hit_row(const std::string& detail) {
  return detail == "SCAN h" || detail.rfind("SCAN h ", 0) == 0 ||
         detail.rfind("SCAN hit_row", 0) == 0;
}

TEST(ReportPlans, NoQueryScansTheHitTable) {
  test::TempDir dir;
  const std::string path = dir.file("plans.db");
  // With the shipped config, the fixture's alerts get (dry run) actions.
  const test::ProcessResult scan =
      test::run_vigil({"scan", "--config", std::string(VIGIL_SOURCE_DIR) + "/deploy/vigil.yml",
                       "--db", path, test::report_fixture("auth.log"),
                       test::report_fixture("app.log"), test::report_fixture("rfc5424.log")});
  ASSERT_EQ(scan.exit_status, 0) << scan.err;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  // With statistics the planner prefers scans of small tables: the plans must
  // not depend on it.
  ASSERT_EQ(sqlite3_exec(db, "ANALYZE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::set<std::string> statements;
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, collect_sql, &statements);
  const Report report = build_report(db, *local_day("2026-11-28"));
  sqlite3_trace_v2(db, 0, nullptr, nullptr);
  EXPECT_EQ(report.auth.failed, 6);
  EXPECT_GT(report.alerts.actions_total, 0);

  int hit_queries = 0;
  int alert_queries = 0;
  int ingest_queries = 0;
  bool rule_index_used = false;
  for (const std::string& sql : statements) {
    if (sql.find("FROM source_hour") != std::string::npos ||
        sql.find("FROM source_gap") != std::string::npos ||
        sql.find("FROM source_event") != std::string::npos) {
      ++ingest_queries;
      for (const std::string& detail : plan_of(db, sql)) {
        EXPECT_FALSE(scans_ingest_tables(detail)) << detail << "\n in: " << sql;
      }
    }
    if (sql.find("alert_row") != std::string::npos || sql.find("action_row") != std::string::npos) {
      ++alert_queries;
      for (const std::string& detail : plan_of(db, sql)) {
        EXPECT_FALSE(scans_alert_tables(detail)) << detail << "\n in: " << sql;
      }
    }
    if (sql.find("hit_row") == std::string::npos) continue;
    ++hit_queries;
    for (const std::string& detail : plan_of(db, sql)) {
      EXPECT_FALSE(scans_hit_row(detail)) << detail << "\n in: " << sql;
      rule_index_used = rule_index_used || detail.find("hit_row_rule_ts") != std::string::npos;
    }
  }
  sqlite3_close(db);
  EXPECT_GE(hit_queries, 5);  // authentication, invalid users, privilege, services, ingest…
  EXPECT_TRUE(rule_index_used);
  EXPECT_GE(alert_queries, 4);  // alert counts and rows, action counts and rows
  // Lines per hour, first hour, last line, gaps (one set per source), events.
  EXPECT_GE(ingest_queries, 5);
}

}  // namespace
}  // namespace vigil::reports
