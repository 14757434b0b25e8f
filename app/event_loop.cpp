#include "app/event_loop.h"

#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <string>

#include "core/error.h"

namespace vigil::app {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw Error(what + ": " + errno_message(errno));
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

EventLoop::EventLoop() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_.get() < 0) fail("epoll_create1");
}

void EventLoop::watch(int fd, std::function<void()> on_ready) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl(ADD)");
  callbacks_[fd] = std::move(on_ready);
}

void EventLoop::unwatch(int fd) {
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  callbacks_.erase(fd);
}

void EventLoop::wait_once(int timeout_ms) {
  std::array<epoll_event, 16> events{};
  const int n =
      ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return;
    fail("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    // A callback may unwatch another fd of this round: look each one up afresh.
    const auto it = callbacks_.find(events[static_cast<size_t>(i)].data.fd);
    if (it != callbacks_.end()) it->second();
  }
}

Timer::Timer() : fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
  if (fd_.get() < 0) fail("timerfd_create");
}

void Timer::arm_at(int64_t deadline_us) {
  itimerspec spec{};
  // A zero it_value would disarm: the earliest representable time fires at once.
  const int64_t us = deadline_us > 0 ? deadline_us : 1;
  spec.it_value.tv_sec = us / 1'000'000;
  spec.it_value.tv_nsec = (us % 1'000'000) * 1000;
  if (::timerfd_settime(fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
    fail("timerfd_settime");
  }
}

void Timer::disarm() {
  const itimerspec spec{};
  ::timerfd_settime(fd_.get(), 0, &spec, nullptr);
}

void Timer::acknowledge() {
  uint64_t expirations = 0;
  while (::read(fd_.get(), &expirations, sizeof expirations) < 0 && errno == EINTR) {
  }
}

SignalReader::SignalReader(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (const int s : signals) sigaddset(&set, s);
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) fail("pthread_sigmask");
  fd_ = Fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (fd_.get() < 0) fail("signalfd");
}

int SignalReader::next() {
  signalfd_siginfo info{};
  for (;;) {
    const ssize_t n = ::read(fd_.get(), &info, sizeof info);
    if (n == static_cast<ssize_t>(sizeof info)) return static_cast<int>(info.ssi_signo);
    if (n < 0 && errno == EINTR) continue;
    return 0;
  }
}

}  // namespace vigil::app
