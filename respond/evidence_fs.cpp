// The file-level half of the evidence copy: descriptors, directories made with
// fixed modes, and one regular file copied and hashed.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "core/error.h"
#include "core/sha256.h"
#include "respond/evidence_copy.h"
#include "respond/safe_text.h"

namespace vigil::respond::detail {
namespace {

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// O_NOATIME keeps the source's atime as the attacker left it; it needs ownership
// or CAP_FOWNER, so without it the open is retried plainly.
int open_noatime(int dir_fd, const char* name, int flags) {
  const int fd = ::openat(dir_fd, name, flags | O_NOATIME);
  if (fd >= 0 || errno != EPERM) return fd;
  return ::openat(dir_fd, name, flags);
}

// O_NONBLOCK: should a FIFO be swapped in after the fstatat, opening it does not
// block (and the fstat that follows rejects it).
constexpr int kSourceFlags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

struct CopyResult {
  uint64_t copied = 0;
  std::string error;  // non-empty: the copy failed
};

// Copies at most `limit` bytes (the size when opened: a file that keeps growing
// cannot keep the copy going or overrun the limit), hashing what is written.
CopyResult copy_bytes(int in, int out, uint64_t limit, std::vector<char>& buffer, Sha256& sha) {
  CopyResult r;
  while (r.copied < limit) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), limit - r.copied));
    const ssize_t n = ::read(in, buffer.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {r.copied, "read error: " + errno_message(errno)};
    if (n == 0) break;  // it shrank: keep what was read
    if (!write_all(out, buffer.data(), static_cast<size_t>(n))) {
      return {r.copied, "write error: " + errno_message(errno)};
    }
    sha.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    r.copied += static_cast<uint64_t>(n);
  }
  return r;
}

void skip(CopyState& state, std::string_view path, std::string_view reason) {
  state.skipped.push_back(escape_path(path) + ": " + std::string(reason));
}

void set_times(int fd, const struct stat& st) {
  const std::array<struct timespec, 2> times = {st.st_atim, st.st_mtim};
  ::futimens(fd, times.data());
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Fd open_dir(int dir_fd, const char* name) {
  return Fd(open_noatime(dir_fd, name, kSourceFlags | O_DIRECTORY));
}

Fd make_dir(int dir_fd, const char* name, bool allow_existing) {
  const bool created = ::mkdirat(dir_fd, name, 0700) == 0;
  if (!created && (errno != EEXIST || !allow_existing)) return {};
  Fd fd(::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  // Only a directory made here gets its mode fixed: an existing one is left as it is.
  if (created && fd.valid() && ::fchmod(fd.get(), 0700) != 0) return {};
  return fd;
}

std::string write_new_file(int dir_fd, const char* name, std::string_view content) {
  Fd fd(::openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid() || ::fchmod(fd.get(), 0600) != 0) return {};
  if (!write_all(fd.get(), content.data(), content.size()) || ::fsync(fd.get()) != 0) return {};
  return sha256_hex(content);
}

void copy_file(int src_dir, int dst_dir, const char* name, const std::string& path,
               const struct stat& seen, CopyState& state) {
  const auto over_limit = [&](const struct stat& st) {
    return state.bytes + static_cast<uint64_t>(st.st_size) > state.max_bytes;
  };
  if (over_limit(seen)) {
    state.limit_hit = true;
    return skip(state, path, "size limit");
  }
  Fd src(open_noatime(src_dir, name, kSourceFlags));
  struct stat st {};
  if (!src.valid() && errno == ELOOP) {
    return skip(state, path, "replaced by a symlink during the copy (not followed)");
  }
  if (!src.valid() || ::fstat(src.get(), &st) != 0) {
    return skip(state, path, "unreadable: " + errno_message(errno));
  }
  if (!S_ISREG(st.st_mode) || st.st_dev != seen.st_dev || st.st_ino != seen.st_ino) {
    return skip(state, path, "replaced during the copy");
  }
  if (over_limit(st)) {  // it grew since the fstatat
    state.limit_hit = true;
    return skip(state, path, "size limit");
  }
  Fd dst(::openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!dst.valid() || ::fchmod(dst.get(), 0600) != 0) {
    return skip(state, path, "cannot create the copy: " + errno_message(errno));
  }
  Sha256 sha;
  const auto size = static_cast<uint64_t>(st.st_size);
  const CopyResult r = copy_bytes(src.get(), dst.get(), size, state.buffer, sha);
  if (!r.error.empty()) {
    ::unlinkat(dst_dir, name, 0);  // the tree holds only what the manifest lists
    return skip(state, path, r.error);
  }
  set_times(dst.get(), st);
  state.files += 1;
  state.bytes += r.copied;
  state.entries.push_back({"files" + path, sha.hex()});
  if (r.copied < size) {
    skip(state, path,
         "shrank during the copy: " + std::to_string(r.copied) + " of " + std::to_string(size) +
             " bytes copied");
  }
}

void set_dir_times(int fd, const struct stat& st) {
  set_times(fd, st);
}

}  // namespace vigil::respond::detail
