#pragma once
// Running a response command: fork/execve with a fixed argv — no shell — a
// minimal environment, a time limit that kills the whole process group, and a
// bounded copy of the output. Safe to call from several threads at once.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::respond {

struct RunLimits {
  int64_t timeout_us = 30'000'000;    // then SIGTERM to the process group
  int64_t kill_grace_us = 2'000'000;  // then SIGKILL
  size_t output_limit = 1024;         // bytes of stdout+stderr kept
  std::string stdin_data;             // empty: stdin is /dev/null
};

struct RunResult {
  bool started = false;  // false: could not be started (see error)
  std::string error;     // why it could not start, or "timed out after 30 s"
  int exit_status = -1;  // when it exited
  int signal = 0;        // when it was killed by a signal
  bool timed_out = false;
  std::string output;  // first output_limit bytes of stdout+stderr, interleaved as written
  bool output_truncated = false;
  int64_t started_us = 0;  // wall clock, µs since the epoch
  int64_t finished_us = 0;

  bool ok() const { return started && !timed_out && signal == 0 && exit_status == 0; }
};

// Resolves a program name the way execvp would, but once, at config time. An
// absolute path is checked; a bare name is searched in `path_env` (a PATH
// value; empty and relative entries are skipped, as they would depend on the
// working directory). The file must exist, be a regular file, be executable and
// not be writable by others (vigil runs it as root). A relative path with a '/'
// is refused. nullopt with `why` when nothing fits.
std::optional<std::string> resolve_program(std::string_view name, std::string_view path_env,
                                           std::string& why);

// Runs argv (argv[0] an absolute path, see resolve_program) and waits for it.
// - environment: PATH=/usr/sbin:/usr/bin:/sbin:/bin and LANG=C only; cwd "/";
// - stdin: limits.stdin_data through a pipe (written while the output is read,
//   so neither side can block the other; then closed), or /dev/null;
// - stdout and stderr: one pipe, read to EOF, the first output_limit bytes kept;
// - the child leads its own process group, holds no other descriptor, and
//   starts with an empty signal mask and default signal dispositions;
// - after timeout_us: SIGTERM to the group, SIGKILL kill_grace_us later; once
//   that has had kill_grace_us to work, run_command returns whatever happens.
//   A background process still holding the output pipe when the child exits
//   counts as part of the command: it is waited for within the same limit.
// The child is always reaped (by a background thread in the one case where it
// does not die of SIGKILL in time, e.g. stuck in the kernel). This relies on
// SIGCHLD not being ignored and on nobody else reaping vigil's children.
RunResult run_command(const std::vector<std::string>& argv, const RunLimits& limits);

}  // namespace vigil::respond
