#include "tests/support/child.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vigil::test {

Child::Child(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::string pattern = "/tmp/vigil-child-XXXXXX";
  const int err_fd = ::mkstemp(pattern.data());
  if (err_fd < 0) throw std::runtime_error("mkstemp failed");
  err_path_ = pattern;
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    // The test may block signals in its own thread; the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    for (const std::string& e : env) {
      // NOLINTNEXTLINE(concurrency-mt-unsafe): after fork the child has one thread
      ::putenv(const_cast<char*>(e.c_str()));
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(err_fd);
}

Child::~Child() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  ::unlink(err_path_.c_str());
}

void Child::signal(int signal) const {
  ::kill(pid_, signal);
}

bool Child::running() {
  if (reaped_) return false;
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

int Child::wait(std::chrono::milliseconds timeout) {
  const bool exited = wait_until([this] { return !running(); }, timeout);
  if (!exited) return -2;
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string Child::stderr_text() const {
  std::ifstream in(err_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace vigil::test
