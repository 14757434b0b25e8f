// Every query build_report runs, checked with EXPLAIN QUERY PLAN: the range's
// hits are read through an index (hit_row_ts or hit_row_rule_ts), never by a
// scan of hit_row, so a day's report costs the day's rows, not the table's.

#include <gtest/gtest.h>
#include <sqlite3.h>

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

bool scans_hit_row(const std::string& detail) {
  return detail == "SCAN h" || detail.rfind("SCAN h ", 0) == 0 ||
         detail.rfind("SCAN hit_row", 0) == 0;
}

TEST(ReportPlans, NoQueryScansTheHitTable) {
  test::TempDir dir;
  const std::string path = dir.file("plans.db");
  ASSERT_TRUE(test::scan_into(path, {"auth.log", "app.log", "rfc5424.log"}));
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

  int hit_queries = 0;
  bool rule_index_used = false;
  for (const std::string& sql : statements) {
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
}

}  // namespace
}  // namespace vigil::reports
