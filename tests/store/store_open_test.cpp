// Opening: file modes, connection settings, migrations and refusals.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "core/error.h"
#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::exec;
using testdb::scalar;
using testdb::ssh_hit;
using testdb::TempDir;

unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// What the refused open threw; empty when it did not throw.
std::string open_error(const std::string& path) {
  try {
    Store::open(path);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

void commit_one_hit(Store& store) {
  Batch batch;
  batch.add_hit(ssh_hit(batch.add_source("/var/log/auth.log", "auth.log"), 1, "{}"));
  store.commit(batch);
}

// umask is per process: restore it whatever the test does.
class Umask {
 public:
  explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;
  ~Umask() { ::umask(saved_); }

 private:
  mode_t saved_;
};

TEST(StoreOpen, CreatesOwnerOnlyFilesWhateverTheUmask) {
  for (const mode_t mask : {mode_t{022}, mode_t{0}}) {
    SCOPED_TRACE(mask);
    TempDir dir;
    const std::string path = dir.file("vigil.db");
    Umask umask_for_test(mask);
    auto store = Store::open(path);
    commit_one_hit(*store);  // a write creates -wal and -shm
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_EQ(mode_of(path + "-wal"), 0600u);
    EXPECT_EQ(mode_of(path + "-shm"), 0600u);
  }
}

TEST(StoreOpen, LeavesTheModeOfAnExistingFile) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  std::ofstream(path).close();
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  Store::open(path);
  EXPECT_EQ(mode_of(path), 0640u);
}

TEST(StoreOpen, UsesWalAndTheDocumentedPragmas) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  EXPECT_EQ(scalar(store->handle(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar(store->handle(), "PRAGMA synchronous"), "1");   // NORMAL
  EXPECT_EQ(scalar(store->handle(), "PRAGMA foreign_keys"), "0");  // see store/sql.h
  EXPECT_NE(scalar(store->handle(), "PRAGMA busy_timeout"), "0");
  EXPECT_EQ(scalar(store->handle(), "PRAGMA page_size"), "16384");
}

TEST(StoreOpen, MigratesAnEmptyFileAndReopensIdempotently) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  std::string schema;
  {
    auto store = Store::open(path);
    EXPECT_EQ(store->schema_version(), 3);
    EXPECT_EQ(scalar(store->handle(), "PRAGMA user_version"), "3");
    schema = scalar(store->handle(), "SELECT group_concat(sql, ';') FROM sqlite_schema");
    commit_one_hit(*store);
  }
  auto store = Store::open(path);
  EXPECT_EQ(store->schema_version(), 3);
  EXPECT_EQ(scalar(store->handle(), "SELECT group_concat(sql, ';') FROM sqlite_schema"), schema);
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hits"), "1");
}

TEST(StoreOpen, HitsViewHasTheContractColumns) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  EXPECT_EQ(
      scalar(store->handle(), "SELECT group_concat(name, ',') FROM pragma_table_info('hits')"),
      "id,ts,host,source,line,program,pid,unit,rule,severity,message,captures");
}

TEST(StoreOpen, RefusesANewerSchemaNamingFileAndVersions) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  {
    auto store = Store::open(path);
    exec(store->handle(), "PRAGMA user_version = 7");
  }
  const std::string error = open_error(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("version 7"), std::string::npos) << error;
  EXPECT_NE(error.find("version 3"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesAnotherProgramsDatabaseWithoutTouchingIt) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  exec(other, "CREATE TABLE t(x)");
  sqlite3_close(other);

  const std::string error = open_error(path);
  EXPECT_NE(error.find(path + ": not a vigil database"), std::string::npos) << error;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  EXPECT_EQ(scalar(other, "PRAGMA journal_mode"), "delete");  // not switched to WAL
  EXPECT_EQ(scalar(other, "SELECT count(*) FROM sqlite_schema"), "1");
  sqlite3_close(other);
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  std::ofstream(path) << "these are not the pages you are looking for\n";
  const std::string error = open_error(path);
  EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST(StoreOpen, NamesTheFileWhenItCannotBeCreated) {
  TempDir dir;
  const std::string path = dir.file("missing/vigil.db");
  const std::string error = open_error(path);
  EXPECT_EQ(error.rfind(path + ": cannot create database: ", 0), 0u) << error;
}

}  // namespace
}  // namespace vigil::store
