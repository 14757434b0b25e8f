#pragma once
// A live systemd-journald for tests: tests/support/live_journald.sh runs a command
// in a private mount namespace where a real journald is the system journal.
//
// A test that needs it re-runs itself in there:
//
//   TEST(JournalLive, FollowsTheSystemJournal) {
//     VIGIL_RUN_IN_LIVE_JOURNALD();  // outside: runs this test inside, reports, returns
//     ... inside: sd_journal_open() and systemd-cat see the test journald only
//   }
//
// Outside the namespace the macro runs this test binary inside the harness with
// --gtest_filter set to this test, and fails with the inner output if it fails. It
// skips (GTEST_SKIP) only where a mount namespace cannot be made (not root, no
// unshare). journald hands entries to readers in batches of about 250 ms: wait for
// them with a deadline.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace vigil::test {

// tests/support/live_journald.sh in the source tree.
std::string live_journald_script();

// True inside the harness (the script sets VIGIL_LIVE_JOURNALD_INSIDE).
bool inside_live_journald();

// Runs argv inside the harness. Exit status 77: no namespace here; 78: journald
// did not start.
ProcessResult run_in_live_journald(const std::vector<std::string>& argv);

struct LiveRun {
  bool skipped = false;
  bool passed = false;
  std::string output;  // the inner run's stdout and stderr
};
// Runs the current test (this binary, filtered to it) inside the harness.
LiveRun rerun_current_test_in_live_journald();

}  // namespace vigil::test

#define VIGIL_RUN_IN_LIVE_JOURNALD()                                                    \
  do {                                                                                  \
    if (!::vigil::test::inside_live_journald()) {                                       \
      const ::vigil::test::LiveRun live_run =                                           \
          ::vigil::test::rerun_current_test_in_live_journald();                         \
      if (live_run.skipped) GTEST_SKIP() << live_run.output;                            \
      EXPECT_TRUE(live_run.passed) << "inside the live journald:\n" << live_run.output; \
      return;                                                                           \
    }                                                                                   \
  } while (false)
