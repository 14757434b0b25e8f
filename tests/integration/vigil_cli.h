#pragma once
// Helpers for end-to-end tests: run the real vigil binary, read its database.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace vigil::test {

inline std::string fixture(const std::string& name) {
  return std::string(VIGIL_SOURCE_DIR) + "/tests/integration/fixtures/" + name;
}

inline ProcessResult vigil(std::vector<std::string> args) {
  args.insert(args.begin(), VIGIL_BINARY);
  return run_process(args);
}

// `vigil scan --rules basic.yml ARGS...`
inline ProcessResult scan_basic(std::vector<std::string> args) {
  args.insert(args.begin(), {"scan", "--rules", fixture("basic.yml")});
  return vigil(std::move(args));
}

// The first column of the first row of `sql`, as text ("" when NULL or no row).
inline std::string query_one(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      if (const unsigned char* text = sqlite3_column_text(stmt, 0)) {
        value = reinterpret_cast<const char*>(text);
      }
    } else {
      value = std::string("SQL error: ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

inline int64_t count_hits(const std::string& db_path, const std::string& where = "1") {
  return std::stoll(query_one(db_path, "SELECT count(*) FROM hits WHERE " + where));
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A syslog line that the basic pack's t.failed_password rule hits.
inline std::string failed_password(int i, const std::string& ip = "203.0.113.7") {
  return "Nov 28 06:" + std::to_string(10 + i % 40) +
         ":14 web1 sshd[812]: Failed password for user" + std::to_string(i) + " from " + ip +
         " port " + std::to_string(40000 + i) + " ssh2\n";
}

// A syslog line no rule hits.
inline std::string noise(int i) {
  return "Nov 28 06:" + std::to_string(10 + i % 40) +
         ":15 web1 CRON[1201]: pam_unix(cron:session): session closed for user root\n";
}

}  // namespace vigil::test
