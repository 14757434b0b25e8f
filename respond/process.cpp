// run_command (declared in process.h): supervising a child started by spawn().

#include "respond/process.h"

#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <limits>
#include <system_error>
#include <thread>

#include "core/error.h"
#include "respond/spawn.h"

namespace vigil::respond {
namespace {

int64_t wall_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

int64_t add_saturating(int64_t a, int64_t b) {
  if (b <= 0) return a;
  return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

// "30 s", "0.25 s".
std::string seconds_text(int64_t us) {
  std::array<char, 32> text{};
  std::string out;
  if (std::snprintf(text.data(), text.size(), "%.3f", static_cast<double>(us) / 1e6) > 0) {
    out = text.data();
  }
  while (out.ends_with('0')) out.pop_back();
  if (out.ends_with('.')) out.pop_back();
  return out + " s";
}

// Why argv cannot be run, or empty.
std::string check_argv(const std::vector<std::string>& argv) {
  if (argv.empty()) return "empty command";
  if (!argv[0].starts_with('/')) return argv[0] + ": not an absolute path";
  for (size_t i = 0; i < argv.size(); ++i) {
    // execve would silently cut the argument there.
    if (argv[i].find('\0') != std::string::npos) {
      return "argv[" + std::to_string(i) + "] holds a NUL byte";
    }
  }
  return {};
}

// Blocks SIGPIPE in this thread while stdin is written, so that a child that
// stops reading cannot kill vigil; a SIGPIPE raised meanwhile is consumed.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

  // After EPIPE: takes the SIGPIPE our write raised (not one that was already there).
  void consume() const {
    if (was_pending_) return;
    const timespec now{};
    sigtimedwait(&pipe_, nullptr, &now);
  }

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

// Waits for a child that will not die in time, so it does not stay a zombie.
void reap_in_background(pid_t pid) {
  try {
    std::thread([pid] {
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }).detach();
  } catch (const std::system_error&) {
    // No thread to spare: the zombie stays until vigil exits.
  }
}

class Supervisor {
 public:
  Supervisor(Spawned& child, const RunLimits& limits, int64_t deadline, const SigpipeBlock* sigpipe,
             RunResult& result)
      : child_(child), limits_(limits), sigpipe_(sigpipe), result_(result), deadline_(deadline) {
    // glibc 2.36's <sys/pidfd.h> lacks extern "C"; the syscall is the same.
    // Invalid on kernels before 5.3: then we poll waitpid instead.
    pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, child_.pid, 0)));
  }

  void run() {
    while (!finished() && phase_ != Phase::kGivenUp) {
      if (monotonic_us() >= deadline_) {
        escalate();
      } else {
        poll_once();
      }
    }
    if (!exited_) {
      result_.error += "; did not exit after SIGKILL";
      reap_in_background(child_.pid);
    }
  }

 private:
  enum class Phase { kRunning, kTerminated, kKilled, kGivenUp };

  bool finished() const { return exited_ && !child_.output.valid(); }

  // At each deadline: SIGTERM to the group, then SIGKILL, then stop waiting.
  void escalate() {
    const int64_t now = monotonic_us();
    if (phase_ == Phase::kRunning) {
      result_.timed_out = true;
      result_.error = "timed out after " + seconds_text(limits_.timeout_us);
      child_.input.reset();
      ::kill(-child_.pid, SIGTERM);
      phase_ = Phase::kTerminated;
    } else if (phase_ == Phase::kTerminated) {
      ::kill(-child_.pid, SIGKILL);
      phase_ = Phase::kKilled;
    } else {
      phase_ = Phase::kGivenUp;
      return;
    }
    deadline_ = add_saturating(now, limits_.kill_grace_us);
  }

  void poll_once() {
    std::array<pollfd, 3> fds{};
    size_t n = 0;
    if (child_.output.valid()) fds[n++] = {child_.output.get(), POLLIN, 0};
    if (child_.input.valid()) fds[n++] = {child_.input.get(), POLLOUT, 0};
    if (!exited_ && pidfd_.valid()) fds[n++] = {pidfd_.get(), POLLIN, 0};
    int timeout_ms = poll_ms_until(deadline_);
    if (!exited_ && !pidfd_.valid()) timeout_ms = std::min(timeout_ms, 10);
    if (::poll(fds.data(), n, timeout_ms) < 0 && errno != EINTR) {
      result_.error = "poll: " + errno_message(errno);
      phase_ = Phase::kGivenUp;  // cannot happen with valid descriptors
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == child_.output.get()) read_output();
      if (fds[i].fd == child_.input.get()) write_input();
    }
    if (!exited_) try_reap();
  }

  // One read per round, so a child that writes forever cannot starve the deadline.
  void read_output() {
    // Filled by read(): zeroing 64 KiB every round would be wasted work.
    std::array<char, 65536> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
    const ssize_t got = ::read(child_.output.get(), buffer.data(), buffer.size());
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) {
      child_.output.reset();  // EOF: every writer is gone
      return;
    }
    const size_t room = limits_.output_limit - result_.output.size();
    const size_t keep = std::min(room, static_cast<size_t>(got));
    result_.output.append(buffer.data(), keep);
    if (keep < static_cast<size_t>(got)) result_.output_truncated = true;
  }

  void write_input() {
    const std::string& data = limits_.stdin_data;
    const ssize_t put = ::write(child_.input.get(), data.data() + written_, data.size() - written_);
    if (put < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (put < 0) {
      if (errno == EPIPE && sigpipe_ != nullptr) sigpipe_->consume();
      child_.input.reset();  // the child stopped reading: that is its business
      return;
    }
    written_ += static_cast<size_t>(put);
    if (written_ == data.size()) child_.input.reset();  // EOF for the child
  }

  void try_reap() {
    int status = 0;
    const pid_t r = ::waitpid(child_.pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) return;
    exited_ = true;
    pidfd_.reset();
    child_.input.reset();
    if (r < 0) {
      result_.error = "exit status lost: " + errno_message(errno);  // SIGCHLD ignored?
    } else if (WIFEXITED(status)) {
      result_.exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result_.signal = WTERMSIG(status);
    }
  }

  Spawned& child_;
  const RunLimits& limits_;
  const SigpipeBlock* sigpipe_;
  RunResult& result_;
  UniqueFd pidfd_;
  int64_t deadline_;
  Phase phase_ = Phase::kRunning;
  bool exited_ = false;
  size_t written_ = 0;
};

// A child that reported an exec failure exits at once: reap it.
void reap_now(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

RunResult run_command(const std::vector<std::string>& argv, const RunLimits& limits) {
  RunResult result;
  result.started_us = wall_us();
  const int64_t deadline = add_saturating(monotonic_us(), limits.timeout_us);
  result.error = check_argv(argv);
  std::optional<SigpipeBlock> sigpipe;
  if (!limits.stdin_data.empty()) sigpipe.emplace();
  std::optional<Spawned> child;
  if (result.error.empty()) child = spawn(argv, !limits.stdin_data.empty(), result.error);
  if (child) {
    if (auto failure = exec_failure(child->exec_report.get(), deadline)) {
      result.error = argv[0] + ": " + *failure;
      reap_now(child->pid);
    } else {
      result.started = true;
      Supervisor(*child, limits, deadline, sigpipe ? &*sigpipe : nullptr, result).run();
    }
  }
  result.finished_us = wall_us();
  return result;
}

}  // namespace vigil::respond
