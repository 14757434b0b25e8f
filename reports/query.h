#pragma once
// A prepared statement for the report's read-only queries (private to reports/).

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace vigil::reports {

class Query {
 public:
  Query(sqlite3* db, const char* sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, int64_t value);
  Query& bind(int index, const std::string& value);
  bool step();   // true while a row is ready; throws vigil::Error on failure
  void reset();  // to run again with new bindings
  int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;  // "" for NULL
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Whether the database holds this table (a read-only report does not migrate
// an older schema).
bool has_table(sqlite3* db, const char* name);

// The first column of the first row, 0 when there is none.
int64_t query_integer(sqlite3* db, const char* sql);

}  // namespace vigil::reports
