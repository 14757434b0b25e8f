#pragma once
// Runs a program as a child (fork/execve, no shell) and collects its output.

#include <string>
#include <vector>

namespace vigil::test {

struct ProcessResult {
  int exit_status = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the given arguments; stdout and stderr are captured
// through temporary files so that large outputs cannot deadlock a pipe.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace vigil::test
