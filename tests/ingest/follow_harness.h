#pragma once
// Drives a FileFollower as `vigil run` does: epoll over its inotify fd and a
// timerfd armed at next_deadline_us(). Waits end on a condition or a deadline.

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/file_follower.h"

namespace vigil::ingest::test {

// A writer's open file, closed when the test ends however it ends.
class WriterFd {
 public:
  explicit WriterFd(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) {}
  ~WriterFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  WriterFd(const WriterFd&) = delete;
  WriterFd& operator=(const WriterFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Appends with one write(2), as a logger does (O_CREAT: the file may be new).
inline void append_to(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  const ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) throw std::runtime_error("cannot write " + path);
}

// "1\n2\n..." for first..last.
inline std::string numbered(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) out += std::to_string(i) + "\n";
  return out;
}

inline std::vector<std::string> numbers(int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) out.push_back(std::to_string(i));
  return out;
}

struct GotLine {
  size_t file = 0;
  std::string text;
  uint64_t number = 0;
  uint64_t offset = 0;
  bool truncated = false;
  SourcePosition after;  // follower.position(file) taken inside on_line
};

struct GotEvent {
  size_t file = 0;
  FollowEvent event{};
  std::string detail;
};

class Recorder final : public FollowSink {
 public:
  explicit Recorder(const FileFollower& follower) : follower_(follower) {}

  void on_line(size_t file, const Line& line) override {
    lines.push_back({file, std::string(line.text), line.number, line.offset, line.truncated,
                     follower_.position(file)});
  }
  void on_event(size_t file, FollowEvent event, std::string_view detail) override {
    events.push_back({file, event, std::string(detail)});
  }

  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    out.reserve(lines.size());
    for (const GotLine& line : lines) out.push_back(line.text);
    return out;
  }
  size_t count(FollowEvent event) const {
    size_t n = 0;
    for (const GotEvent& e : events) n += e.event == event ? 1 : 0;
    return n;
  }
  const GotEvent* find(FollowEvent event) const {
    for (const GotEvent& e : events) {
      if (e.event == event) return &e;
    }
    return nullptr;
  }

  std::vector<GotLine> lines;
  std::vector<GotEvent> events;

 private:
  const FileFollower& follower_;
};

class FollowLoop {
 public:
  FollowLoop(FileFollower& follower, FollowSink& sink, size_t max_lines = 1000)
      : follower_(follower),
        sink_(sink),
        max_lines_(max_lines),
        epoll_(::epoll_create1(EPOLL_CLOEXEC)),
        timer_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
    if (epoll_ < 0 || timer_ < 0) throw std::runtime_error("epoll or timerfd");
    add(follower_.fd());
    add(timer_);
  }
  ~FollowLoop() {
    ::close(timer_);
    ::close(epoll_);
  }
  FollowLoop(const FollowLoop&) = delete;
  FollowLoop& operator=(const FollowLoop&) = delete;

  // Runs the loop until `done()` holds (true) or `limit` passes (false).
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool more = follower_.process(sink_, max_lines_);
    for (;;) {
      if (done()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      if (more) {
        more = follower_.process(sink_, max_lines_);
        continue;
      }
      arm_timer();
      std::array<epoll_event, 2> ready{};
      // Short: done() and the deadline are checked again.
      const int n = ::epoll_wait(epoll_, ready.data(), static_cast<int>(ready.size()), 50);
      for (int k = 0; k < n; ++k) {
        if (ready.at(k).data.fd == timer_) {
          uint64_t expirations = 0;
          if (::read(timer_, &expirations, sizeof expirations) < 0) expirations = 0;
          more = follower_.on_timer(sink_, monotonic_us()) || more;
        } else {
          more = follower_.process(sink_, max_lines_) || more;
        }
      }
    }
  }

  // process() until it has nothing more to do right now.
  void drain() {
    while (follower_.process(sink_, max_lines_)) {
    }
  }

 private:
  void add(int fd) const {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) throw std::runtime_error("epoll_ctl");
  }

  void arm_timer() const {
    const int64_t at = follower_.next_deadline_us();
    itimerspec spec{};
    if (at >= 0) {
      const int64_t when = std::max<int64_t>(at, 1);
      spec.it_value.tv_sec = when / 1'000'000;
      spec.it_value.tv_nsec = (when % 1'000'000) * 1000;
    }
    ::timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  FileFollower& follower_;
  FollowSink& sink_;
  size_t max_lines_;
  int epoll_;
  int timer_;
};

}  // namespace vigil::ingest::test
