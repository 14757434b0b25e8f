#pragma once
// A database built by the real `vigil scan` from the hand-counted fixture logs
// of tests/reports/fixtures (counts in the comments of the tests that use them).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {

inline std::string report_fixture(const std::string& name) {
  return std::string(VIGIL_SOURCE_DIR) + "/tests/reports/fixtures/" + name;
}

inline ProcessResult run_vigil(std::vector<std::string> args) {
  args.insert(args.begin(), VIGIL_BINARY);
  return run_process(args);
}

// Scans `logs` into `db` with the shipped packs; the test fails if scan does.
inline bool scan_into(const std::string& db, const std::vector<std::string>& logs) {
  std::vector<std::string> args = {"scan", "--db", db};
  for (const std::string& log : logs) args.push_back(report_fixture(log));
  const ProcessResult result = run_vigil(args);
  if (result.exit_status != 0) {
    ADD_FAILURE() << "vigil scan failed: " << result.err;
    return false;
  }
  return true;
}

// Copies `db` to `copy` and runs `downgrade` on the copy (drops the tables a
// newer schema added and sets the old user_version), as a file written by an
// older vigil would be. False (and a test failure) if the SQL fails.
inline bool older_schema_copy(const std::string& db, const std::string& copy,
                              const char* downgrade) {
  std::filesystem::copy_file(db, copy);
  sqlite3* handle = nullptr;
  bool ok = sqlite3_open(copy.c_str(), &handle) == SQLITE_OK &&
            sqlite3_exec(handle, downgrade, nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok) ADD_FAILURE() << copy << ": " << sqlite3_errmsg(handle);
  sqlite3_close(handle);
  return ok;
}

}  // namespace vigil::test
