#pragma once
// The service's one event loop: epoll over file descriptors (inotify, the
// journal, a signalfd, a timerfd), so that vigil sleeps in the kernel until
// something happens and never polls.

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>

namespace vigil::app {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class EventLoop {
 public:
  EventLoop();  // throws vigil::Error when epoll is unavailable

  // Calls `on_ready` whenever `fd` is readable (level-triggered). The fd must
  // outlive its registration.
  void watch(int fd, std::function<void()> on_ready);
  void unwatch(int fd);

  // Waits until at least one watched fd is ready (or `timeout_ms` passes; -1:
  // no limit), then runs the callbacks of those that are. EINTR is not an error.
  void wait_once(int timeout_ms = -1);

 private:
  Fd epoll_;
  std::map<int, std::function<void()>> callbacks_;
};

// A CLOCK_MONOTONIC timer armed at absolute deadlines.
class Timer {
 public:
  Timer();
  int fd() const { return fd_.get(); }
  // Fires at `deadline_us` (monotonic µs); a deadline in the past fires at once.
  void arm_at(int64_t deadline_us);
  void disarm();
  // Clears the readable state after it fired.
  void acknowledge();

 private:
  Fd fd_;
};

// Signals delivered through a descriptor instead of asynchronous handlers. The
// signals are blocked in the calling thread: create it before other threads, so
// they inherit the mask.
class SignalReader {
 public:
  SignalReader(std::initializer_list<int> signals);
  int fd() const { return fd_.get(); }
  // The next pending signal number, or 0 when none is pending.
  int next();

 private:
  Fd fd_;
};

}  // namespace vigil::app
