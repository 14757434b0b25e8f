#pragma once
// Internal to respond/evidence.cpp: the descriptor-relative tree copy. Every
// lookup is openat/fstatat on a directory descriptor with O_NOFOLLOW, so a
// symlink swapped in during the copy cannot redirect a read or a write.

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::respond::detail {

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct ManifestEntry {
  std::string path;  // relative to the per-alert directory ("files/var/log/auth.log")
  std::string sha256;
};

struct CopyState {
  uint64_t max_bytes = 0;
  uint64_t files = 0;
  uint64_t bytes = 0;
  bool limit_hit = false;
  std::vector<std::string> skipped;                 // "path: reason", path escaped
  std::vector<ManifestEntry> entries;               // in copy order
  std::vector<std::string> links;                   // "files/… -> target", both escaped
  std::vector<std::pair<dev_t, ino_t>> never_copy;  // the evidence directories
  // Directories on the way to a configured path ("var" for /var/log): their times
  // are set once everything is copied, as later paths may add to them.
  std::vector<std::pair<std::string, struct stat>> parent_times;
  std::vector<char> buffer = std::vector<char>(size_t{256} * 1024);
};

// Opens a directory without following a symlink (O_DIRECTORY|O_NOFOLLOW).
Fd open_dir(int dir_fd, const char* name);

// mkdirat 0700, opened (O_NOFOLLOW) and fchmod 0700 so that the umask does not
// matter. An existing directory is opened unchanged when `allow_existing`, else
// an error (EEXIST). Invalid Fd and errno on failure.
Fd make_dir(int dir_fd, const char* name, bool allow_existing);

// Copies the regular file `name` (which fstatat showed as `seen`) from src_dir to
// dst_dir, 0600 with its times, adding it to the manifest entries.
void copy_file(int src_dir, int dst_dir, const char* name, const std::string& path,
               const struct stat& seen, CopyState& state);

// futimens with the atime and mtime of `st`.
void set_dir_times(int fd, const struct stat& st);

// Copies the absolute path `source` to files_fd/<source>; what cannot be copied
// is added to state.skipped.
void copy_path(int files_fd, const std::string& source, CopyState& state);

// Sets the recorded times of the directories leading to the configured paths.
void apply_parent_times(int files_fd, CopyState& state);

// Creates `name` in dir_fd (O_EXCL, 0600), writes `content`; returns its SHA-256,
// or an empty string with errno set.
std::string write_new_file(int dir_fd, const char* name, std::string_view content);

}  // namespace vigil::respond::detail
