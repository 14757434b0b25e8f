#include "reports/query.h"

#include "core/error.h"

namespace vigil::reports {

Query::Query(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
    throw Error(std::string("report query failed: ") + sqlite3_errmsg(db));
  }
}

Query::~Query() {
  sqlite3_finalize(stmt_);
}

Query& Query::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Query& Query::bind(int index, const std::string& value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw Error(std::string("report query failed: ") + sqlite3_errmsg(db_));
}

void Query::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Query::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Query::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}
bool Query::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Query::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  if (data == nullptr) return {};
  return {reinterpret_cast<const char*>(data),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool has_table(sqlite3* db, const char* name) {
  Query query(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  query.bind(1, std::string(name));
  return query.step();
}

int64_t query_integer(sqlite3* db, const char* sql) {
  Query query(db, sql);
  return query.step() ? query.integer(0) : 0;
}

}  // namespace vigil::reports
