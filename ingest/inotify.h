#pragma once
// A non-blocking inotify instance (private to ingest/): the follower's one fd for
// the caller's epoll loop.

#include <sys/inotify.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vigil::ingest {

class Inotify {
 public:
  Inotify();  // throws vigil::Error when the kernel refuses another instance
  ~Inotify();
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;

  int fd() const { return fd_; }
  // The watch descriptor, or -1 with errno set. Masks of one inode add up.
  int add(const char* path, uint32_t mask) const;
  int add_open_file(int file_fd, uint32_t mask) const;  // watches what `file_fd` has open
  void remove(int wd) const;

  // Calls `visit(const inotify_event&)` for every queued event, until the queue is
  // empty. Throws vigil::Error when the fd cannot be read.
  template <class Visit>
  void drain(Visit&& visit);

 private:
  size_t read_some();  // bytes read into buffer_; 0 when nothing is queued

  int fd_ = -1;
  static constexpr size_t kBufferSize = size_t{64} * 1024;
  std::array<char, kBufferSize> buffer_{};
};

template <class Visit>
void Inotify::drain(Visit&& visit) {
  for (size_t n = read_some(); n > 0; n = read_some()) {
    for (size_t at = 0; at < n;) {
      inotify_event event{};
      // The kernel packs events with their names; copy the fixed part to align it.
      std::memcpy(&event, buffer_.data() + at, sizeof event);
      const char* name = buffer_.data() + at + sizeof event;
      visit(event, event.len > 0 ? name : "");
      at += sizeof event + event.len;
    }
  }
}

}  // namespace vigil::ingest
