#pragma once
// A database built by the real `vigil scan` from the hand-counted fixture logs
// of tests/reports/fixtures (counts in the comments of the tests that use them).

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

}  // namespace vigil::test
