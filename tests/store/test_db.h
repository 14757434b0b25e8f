#pragma once
// Helpers for store tests: plain SQL queries against a Store's connection and a
// typical hit.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/batch.h"
#include "tests/support/temp_dir.h"

namespace vigil::store::testdb {

using vigil::test::TempDir;

using Row = std::vector<std::string>;

// Every row of `sql`, each column as text; SQL NULL reads as "NULL".
inline std::vector<Row> query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::vector<Row> rows;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    return rows;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      row.emplace_back(text != nullptr
                           ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)))
                           : std::string("NULL"));
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return rows;
}

// The single value of a one-row, one-column query.
inline std::string scalar(sqlite3* db, const std::string& sql) {
  const std::vector<Row> rows = query(db, sql);
  return rows.empty() || rows[0].empty() ? std::string("<no row>") : rows[0][0];
}

inline void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (error != nullptr ? error : "?");
  }
  sqlite3_free(error);
}

// A typical sshd hit; tests override what they look at.
inline HitView ssh_hit(uint32_t source, uint64_t line, std::string_view captures_json) {
  HitView h;
  h.ts_us = 1'795'000'000'000'000 + static_cast<int64_t>(line);
  h.source = source;
  h.line = line;
  h.offset = line * 100;
  h.host = "web1";
  h.program = "sshd";
  h.pid = 812;
  h.rule = "ssh.failed_password";
  h.severity = "medium";
  h.message = "Failed password for root from 203.0.113.7 port 22 ssh2";
  h.captures_json = captures_json;
  return h;
}

}  // namespace vigil::store::testdb
