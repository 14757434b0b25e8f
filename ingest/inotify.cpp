#include "ingest/inotify.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string_view>

#include "core/error.h"

namespace vigil::ingest {

Inotify::Inotify() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0) throw Error("inotify: " + errno_message(errno));
}

Inotify::~Inotify() {
  ::close(fd_);
}

int Inotify::add(const char* path, uint32_t mask) const {
  return ::inotify_add_watch(fd_, path, mask | IN_MASK_ADD);
}

// /proc/self/fd/N names the open file even after it was renamed or unlinked.
int Inotify::add_open_file(int file_fd, uint32_t mask) const {
  constexpr std::string_view kPrefix = "/proc/self/fd/";
  std::array<char, 32> path{};
  std::copy(kPrefix.begin(), kPrefix.end(), path.begin());
  // The array's last byte stays '\0'.
  const auto [end, ec] = std::to_chars(path.data() + kPrefix.size(), &path.back(), file_fd);
  if (ec != std::errc()) return -1;
  return add(path.data(), mask);
}

void Inotify::remove(int wd) const {
  ::inotify_rm_watch(fd_, wd);  // EINVAL when the kernel already dropped it: fine
}

size_t Inotify::read_some() {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n > 0) return static_cast<size_t>(n);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) throw Error("inotify: " + errno_message(errno));
    return 0;
  }
}

}  // namespace vigil::ingest
