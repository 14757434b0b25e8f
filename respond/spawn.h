#pragma once
// Starting a child for run_command: the fork/execve half. Internal to respond/.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "respond/unique_fd.h"

namespace vigil::respond {

struct Spawned {
  pid_t pid = -1;        // leads its own process group (pgid == pid)
  UniqueFd output;       // read end of the child's stdout+stderr; non-blocking
  UniqueFd input;        // write end of the child's stdin, when asked for; non-blocking
  UniqueFd exec_report;  // read end: EOF once execve succeeded, a failure record if not
};

// Forks a child that execs argv[0] (absolute) with a fixed environment. Every
// descriptor is made with O_CLOEXEC, so a concurrent fork in another thread
// cannot keep our pipes open. nullopt with `why` when not even fork succeeded.
std::optional<Spawned> spawn(const std::vector<std::string>& argv, bool with_stdin,
                             std::string& why);

// Waits for the child's exec report until `deadline` (monotonic µs): the reason
// when the child could not exec (it then exits 127 at once), nullopt when it did
// (or when it has not said so by the deadline; the caller's timeout takes over).
std::optional<std::string> exec_failure(int exec_report, int64_t deadline);

// CLOCK_MONOTONIC in µs, for deadlines.
int64_t monotonic_us();
// Milliseconds until `deadline`, rounded up, for poll(); 0 when it has passed.
int poll_ms_until(int64_t deadline);

}  // namespace vigil::respond
