#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "app/commands.h"
#include "app/rule_loading.h"
#include "core/error.h"
#include "store/store.h"

namespace vigil::app {
namespace {

// Prints each row of a two-column query as "count  label".
void print_top(sqlite3* db, const char* title, const char* sql) {
  fmt::print("{}\n", title);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    throw Error(fmt::format("demo query failed: {}", sqlite3_errmsg(db)));
  }
  bool any = false;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* label = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    fmt::print("  {:>6}  {}\n", sqlite3_column_int64(stmt, 1), label ? label : "-");
    any = true;
  }
  sqlite3_finalize(stmt);
  if (!any) fmt::print("  (none)\n");
}

void print_highlights(const std::string& db_path) {
  auto db = store::Store::open(db_path);
  sqlite3* handle = db->handle();
  fmt::print("\n");
  print_top(handle, "Top source IPs of failed logins:",
            "SELECT json_extract(captures,'$.ip') AS ip, count(*) AS n FROM hits "
            "WHERE ip IS NOT NULL AND severity <> 'info' GROUP BY ip ORDER BY n DESC LIMIT 5");
  print_top(handle, "Privilege use (sudo/su) by user:",
            "SELECT json_extract(captures,'$.user') || ' (' || rule || ')' AS who, count(*) AS n "
            "FROM hits WHERE rule LIKE 'sudo.%' OR rule LIKE 'su.%' "
            "GROUP BY who ORDER BY n DESC LIMIT 8");
  print_top(handle, "Hits by severity:",
            "SELECT severity, count(*) AS n FROM hits GROUP BY severity ORDER BY n DESC");
  print_top(handle, "Responses recorded (a scan is a dry run: none ran):",
            "SELECT response || ' ' || status AS what, count(*) AS n FROM actions "
            "GROUP BY what ORDER BY n DESC");
}

}  // namespace

int run_demo(const std::string& db_path) {
  const std::string samples = sample_dir();
  ScanCommand scan;
  for (const char* name : {"auth.log", "syslog", "application.log"}) {
    scan.files.push_back(samples + "/" + name);
  }
  scan.db_path = db_path;
  scan.config_path = samples + "/demo-respond.yml";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix, ec);

  fmt::print("vigil demo: the sample day of {} into {}\n\n", samples, db_path);
  const int status = run_scan_command(scan);
  if (status != kExitOk) return status;
  try {
    print_highlights(db_path);
  } catch (const Error& e) {
    fmt::print(stderr, "vigil demo: {}\n", e.what());
    return kExitFailure;
  }
  fmt::print(
      "\nThe hits are in {}; try:\n  sqlite3 {} \"SELECT rule, count(*) FROM hits GROUP BY "
      "rule\"\n",
      db_path, db_path);
  fmt::print("\n");
  // fmt and stdio share stdout: keep the order.
  if (std::fflush(stdout) != 0) return kExitFailure;
  return write_demo_report(db_path);
}

}  // namespace vigil::app
