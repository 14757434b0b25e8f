#include "respond/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <ctime>

#include "core/error.h"

namespace vigil::respond {
namespace {

// What a child that could not exec writes to its report pipe.
struct ChildFailure {
  int step = 0;
  int err = 0;
};

enum Step { kSetpgid = 1, kSignals, kStdio, kChdir, kExec };

const char* step_name(int step) {
  switch (step) {
    case kSetpgid:
      return "setpgid";
    case kSignals:
      return "resetting signals";
    case kStdio:
      return "setting up stdin/stdout/stderr";
    case kChdir:
      return "chdir /";
    default:
      return "execve";
  }
}

// Everything the child needs, prepared before fork: after it only
// async-signal-safe calls are allowed (another thread may hold malloc's lock).
struct ChildPlan {
  const char* path = nullptr;
  char* const* argv = nullptr;
  int stdin_fd = -1;  // all three are >= 3, so the dup2s below cannot clobber them
  int output_fd = -1;
  int report_fd = -1;
  int max_fd = 0;  // for closing descriptors one by one when close_range is missing
};

constexpr int kReportFd = 3;  // where the child keeps its report pipe

[[noreturn]] void fail(int report_fd, int step) {
  const ChildFailure failure{step, errno};
  [[maybe_unused]] const ssize_t n = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

// Ignored signals and the mask survive execve; the command must start clean.
bool reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &dfl, nullptr);  // EINVAL: reserved
  }
  sigset_t none;
  sigemptyset(&none);
  return ::pthread_sigmask(SIG_SETMASK, &none, nullptr) == 0;
}

bool setup_stdio(const ChildPlan& plan) {
  if (::dup2(plan.stdin_fd, STDIN_FILENO) < 0) return false;
  if (::dup2(plan.output_fd, STDOUT_FILENO) < 0) return false;
  if (::dup2(plan.output_fd, STDERR_FILENO) < 0) return false;
  if (plan.report_fd == kReportFd) return true;
  return ::dup2(plan.report_fd, kReportFd) >= 0 && ::fcntl(kReportFd, F_SETFD, FD_CLOEXEC) == 0;
}

void close_other_fds(int max_fd) {
  if (::close_range(kReportFd + 1, ~0U, 0) == 0) return;
  for (int fd = kReportFd + 1; fd < max_fd; ++fd) ::close(fd);  // kernels before 5.9
}

[[noreturn]] void child_main(const ChildPlan& plan) {
  // Constant-initialized (no guard to take after fork). execve takes
  // char* const[] but does not write through it.
  static constexpr std::array<char*, 3> env = {
      const_cast<char*>("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), const_cast<char*>("LANG=C"),
      nullptr};
  if (::setpgid(0, 0) != 0) fail(plan.report_fd, kSetpgid);
  if (!reset_signals()) fail(plan.report_fd, kSignals);
  if (!setup_stdio(plan)) fail(plan.report_fd, kStdio);
  close_other_fds(plan.max_fd);
  if (::chdir("/") != 0) fail(kReportFd, kChdir);
  ::execve(plan.path, plan.argv, env.data());
  fail(kReportFd, kExec);
}

// Descriptors 0-2 may be free in a daemon; the child's must not land there.
int above_stdio(int fd) {
  if (fd < 0 || fd > STDERR_FILENO) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  ::close(fd);
  return moved;
}

bool make_pipe(UniqueFd& read_end, UniqueFd& write_end) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return false;
  read_end.reset(above_stdio(fds[0]));
  write_end.reset(above_stdio(fds[1]));
  return read_end.valid() && write_end.valid();
}

bool set_nonblocking(const UniqueFd& fd) {
  const int flags = ::fcntl(fd.get(), F_GETFL);
  return flags >= 0 && ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) == 0;
}

int max_fd() {
  const long open_max = ::sysconf(_SC_OPEN_MAX);
  return open_max > 0 && open_max < INT_MAX ? static_cast<int>(open_max) : 1 << 20;
}

// The child's ends of its three descriptors, closed in the parent after fork.
struct ChildEnds {
  UniqueFd stdin_fd;
  UniqueFd output;
  UniqueFd report;
};

bool make_descriptors(bool with_stdin, Spawned& parent, ChildEnds& child) {
  if (!make_pipe(parent.output, child.output)) return false;
  if (!make_pipe(parent.exec_report, child.report)) return false;
  if (with_stdin) {
    if (!make_pipe(child.stdin_fd, parent.input) || !set_nonblocking(parent.input)) return false;
  } else {
    child.stdin_fd.reset(above_stdio(::open("/dev/null", O_RDONLY | O_CLOEXEC)));
    if (!child.stdin_fd.valid()) return false;
  }
  return set_nonblocking(parent.output);
}

}  // namespace

std::optional<Spawned> spawn(const std::vector<std::string>& argv, bool with_stdin,
                             std::string& why) {
  Spawned parent;
  ChildEnds child;
  if (!make_descriptors(with_stdin, parent, child)) {
    why = "cannot create pipes: " + errno_message(errno);
    return std::nullopt;
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const ChildPlan plan{
      args[0], args.data(), child.stdin_fd.get(), child.output.get(), child.report.get(), max_fd()};
  parent.pid = ::fork();
  if (parent.pid < 0) {
    why = "fork: " + errno_message(errno);
    return std::nullopt;
  }
  if (parent.pid == 0) child_main(plan);
  // Also from this side, so the group exists before we might signal it
  // (EACCES once the child has exec'd: it did it itself by then).
  ::setpgid(parent.pid, parent.pid);
  return parent;
}

std::optional<std::string> exec_failure(int exec_report, int64_t deadline) {
  pollfd ready{exec_report, POLLIN, 0};
  int polled = 0;
  do {
    polled = ::poll(&ready, 1, poll_ms_until(deadline));
  } while (polled < 0 && errno == EINTR);
  if (polled <= 0) return std::nullopt;
  ChildFailure failure;
  ssize_t n = 0;
  do {
    n = ::read(exec_report, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof failure)) return std::nullopt;  // EOF: exec'd
  return std::string(step_name(failure.step)) + ": " + errno_message(failure.err);
}

int64_t monotonic_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

int poll_ms_until(int64_t deadline) {
  const int64_t left = deadline - monotonic_us();
  if (left <= 0) return 0;
  const int64_t ms = (left + 999) / 1000;
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace vigil::respond
