#include "tests/support/live_journald.h"

#include <cstdlib>
#include <filesystem>

namespace vigil::test {

std::string live_journald_script() {
  return VIGIL_SOURCE_DIR "/tests/support/live_journald.sh";
}

bool inside_live_journald() {
  const char* inside = std::getenv("VIGIL_LIVE_JOURNALD_INSIDE");
  return inside != nullptr && *inside != '\0';
}

ProcessResult run_in_live_journald(const std::vector<std::string>& argv) {
  std::vector<std::string> full = {"/bin/bash", live_journald_script()};
  full.insert(full.end(), argv.begin(), argv.end());
  return run_process(full);
}

LiveRun rerun_current_test_in_live_journald() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string filter =
      std::string("--gtest_filter=") + info->test_suite_name() + "." + info->name();
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const ProcessResult r = run_in_live_journald({self, filter});
  LiveRun run;
  run.output = r.out + r.err;
  run.skipped = r.exit_status == 77;
  run.passed = r.exit_status == 0;
  return run;
}

}  // namespace vigil::test
