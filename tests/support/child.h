#pragma once
// A child process that runs in the background (`vigil run`), to be signalled,
// killed and waited for with a deadline; and waiting for a condition.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace vigil::test {

class Child {
 public:
  // Starts argv[0] (a path; no shell) with `env` ("NAME=value") added to the
  // environment. Its stderr goes to a file: stderr_text().
  explicit Child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~Child();  // kills (SIGKILL) and reaps a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal) const;
  // The exit status once it exited (-1: killed by a signal), or -2 when it still
  // runs at the deadline.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string err_path_;
};

// Polls `condition` until it holds or `timeout` passes; true when it held.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace vigil::test
