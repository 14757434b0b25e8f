#include "store/statement.h"

#include "core/error.h"

namespace vigil::store {

void fail(sqlite3* db, std::string_view path, std::string_view what) {
  std::string text(path);
  text.append(": ").append(what).append(": ");
  text += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  throw Error(text);
}

void exec(sqlite3* db, std::string_view path, const char* sql, std::string_view what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, path, what);
}

Statement::Statement(sqlite3* db, std::string_view path, const char* sql, std::string_view what,
                     bool persistent)
    : db_(db), path_(path), what_(what) {
  sqlite3_stmt* raw = nullptr;
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  const int rc = sqlite3_prepare_v3(db, sql, -1, flags, &raw, nullptr);
  stmt_.reset(raw);
  if (rc != SQLITE_OK) fail(db_, path_, what_);
}

void Statement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK) fail(db_, path_, what_);
}

void Statement::bind(int index, std::string_view text) {
  // An empty view may have a null data(), which SQLite would bind as NULL.
  const char* data = text.empty() ? "" : text.data();
  // Explicit length: NUL bytes and invalid UTF-8 are stored as given, never cut.
  const int rc =
      sqlite3_bind_text64(stmt_.get(), index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(db_, path_, what_);
}

void Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK) fail(db_, path_, what_);
}

void Statement::bind_or_null(int index, std::string_view text) {
  if (text.empty()) {
    bind_null(index);
  } else {
    bind(index, text);
  }
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Scope reset_after_message(*this);  // the message is read before the reset
  fail(db_, path_, what_);
}

void Statement::run() {
  Scope scope(*this);
  step();
}

bool Statement::try_run() noexcept {
  const int rc = sqlite3_step(stmt_.get());
  reset();
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

std::string Statement::column_text(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
  const int size = sqlite3_column_bytes(stmt_.get(), col);
  return text != nullptr ? std::string(text, static_cast<size_t>(size)) : std::string();
}

}  // namespace vigil::store
