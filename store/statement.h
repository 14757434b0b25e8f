#pragma once
// Thin RAII over the SQLite C API, private to store/. Every failure becomes a
// vigil::Error "path: what: sqlite message".

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vigil::store {

// Throws vigil::Error("path: what: <sqlite3_errmsg(db)>").
[[noreturn]] void fail(sqlite3* db, std::string_view path, std::string_view what);

// close_v2: a statement a caller leaked through handle() delays the close
// instead of leaking the connection.
struct CloseDb {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

// Runs one or more statements whose rows, if any, are not needed.
void exec(sqlite3* db, std::string_view path, const char* sql, std::string_view what);

class Statement {
 public:
  // `path` must outlive the statement: it only names the file in errors.
  // Persistent statements are prepared once and reused for the connection's life.
  Statement(sqlite3* db, std::string_view path, const char* sql, std::string_view what,
            bool persistent = true);

  void bind(int index, int64_t value);
  void bind(int index, uint64_t value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, std::string_view text);  // not copied: must live until reset
  void bind_null(int index);
  void bind_or_null(int index, std::string_view text);  // empty -> NULL

  bool step();              // true when a row is ready; throws on error (the statement is reset)
  void run();               // steps a statement that yields no row, then resets it
  bool try_run() noexcept;  // run() for cleanup paths: reports failure, never throws
  void reset() noexcept { sqlite3_reset(stmt_.get()); }

  int64_t column_int64(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  uint64_t column_uint64(int col) const { return static_cast<uint64_t>(column_int64(col)); }
  bool column_is_null(int col) const {
    return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
  }
  std::string column_text(int col) const;

  // Resets the statement when the caller's block ends, also by an exception, so
  // that no statement keeps a read transaction open between uses.
  class Scope {
   public:
    explicit Scope(Statement& s) : s_(s) {}
    ~Scope() { s_.reset(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Statement& s_;
  };

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  std::string_view path_;
  std::string_view what_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

}  // namespace vigil::store
