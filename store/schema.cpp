#include "store/schema.h"

#include <array>
#include <cstdio>

#include "core/error.h"
#include "store/sql.h"
#include "store/statement.h"

namespace vigil::store {
namespace {

int64_t query_int(sqlite3* db, const std::string& path, const char* query, std::string_view what) {
  Statement s(db, path, query, what, /*persistent=*/false);
  Statement::Scope scope(s);
  return s.step() ? s.column_int64(0) : 0;
}

int user_version(sqlite3* db, const std::string& path) {
  return static_cast<int>(query_int(db, path, sql::kUserVersion, "read schema version"));
}

std::string hex(int64_t value) {
  std::array<char, 24> text{};
  const int n =
      std::snprintf(text.data(), text.size(), "0x%08llx", static_cast<unsigned long long>(value));
  return {text.data(), static_cast<size_t>(n)};
}

// Adding our tables to another program's database would damage it, so a file
// that holds tables but no vigil mark is refused.
void check_is_vigil(sqlite3* db, const std::string& path, int version) {
  const int64_t app = query_int(db, path, sql::kApplicationIdQuery, "read application id");
  if (app != 0 && app != sql::kApplicationId) {
    throw Error(path + ": not a vigil database (application_id " + hex(app) +
                "); choose another --db file");
  }
  if (app == 0 && version == 0 && query_int(db, path, sql::kHasTables, "list tables") > 0) {
    throw Error(path + ": not a vigil database (it holds tables but no vigil schema); " +
                "choose another --db file");
  }
}

void check_not_newer(const std::string& path, int version) {
  if (version <= sql::kSchemaVersion) return;
  throw Error(path + ": database schema version " + std::to_string(version) +
              " is newer than this vigil supports (version " + std::to_string(sql::kSchemaVersion) +
              "); use a newer vigil or another --db file");
}

void use_wal(sqlite3* db, const std::string& path) {
  Statement s(db, path, sql::kJournalModeWal, "set journal_mode=WAL", /*persistent=*/false);
  Statement::Scope scope(s);
  const std::string mode = s.step() ? s.column_text(0) : std::string();
  if (mode != "wal") {
    throw Error(path + ": cannot use WAL journal mode (still '" + mode +
                "'); put the database on a local file system");
  }
}

void apply_migrations(sqlite3* db, const std::string& path, int from) {
  for (int version = from; version < sql::kSchemaVersion; ++version) {
    const std::string to = std::to_string(version + 1);
    exec(db, path, sql::kMigrations[static_cast<size_t>(version)], "migrate schema to v" + to);
    exec(db, path, ("PRAGMA user_version = " + to).c_str(), "set schema version");
  }
  exec(db, path, ("PRAGMA application_id = " + std::to_string(sql::kApplicationId)).c_str(),
       "mark as vigil database");
}

// Another process may migrate at the same time: the version is read again under
// the write lock, so each step runs exactly once.
void migrate(sqlite3* db, const std::string& path) {
  exec(db, path, sql::kBegin, "begin migration");
  try {
    const int version = user_version(db, path);
    check_not_newer(path, version);
    check_is_vigil(db, path, version);
    if (version < sql::kSchemaVersion) apply_migrations(db, path, version);
    exec(db, path, sql::kCommit, "commit migration");
  } catch (...) {
    if (sqlite3_get_autocommit(db) == 0)
      sqlite3_exec(db, sql::kRollback, nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace

int prepare_schema(sqlite3* db, const std::string& path) {
  // Checked before the first write: WAL mode alone rewrites the file header.
  const int version = user_version(db, path);
  check_not_newer(path, version);
  check_is_vigil(db, path, version);
  exec(db, path, sql::kPageSize, "set page size");
  use_wal(db, path);
  exec(db, path, sql::kPragmas, "set pragmas");
  if (version < sql::kSchemaVersion) migrate(db, path);
  return sql::kSchemaVersion;
}

}  // namespace vigil::store
