// The tree half of the evidence copy: walking configured paths and directories
// through descriptors, dispatching on what each entry is.

#include "respond/evidence_copy.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "respond/safe_text.h"

namespace vigil::respond::detail {
namespace {

constexpr int kMaxDepth = 64;  // each level holds two descriptors

void skip(CopyState& state, std::string_view path, std::string_view reason) {
  state.skipped.push_back(escape_path(path) + ": " + std::string(reason));
}

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

const char* special_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  return "unknown type";
}

bool never_copy(const CopyState& state, const struct stat& st) {
  return std::any_of(state.never_copy.begin(), state.never_copy.end(), [&](const auto& id) {
    return id.first == st.st_dev && id.second == st.st_ino;
  });
}

// The names in a directory, sorted (a stable manifest), without "." and "..".
std::optional<std::vector<std::string>> list_dir(int dir_fd) {
  const int fd = ::dup(dir_fd);  // closedir closes it; dir_fd stays ours
  DIR* dir = fd < 0 ? nullptr : ::fdopendir(fd);
  if (dir == nullptr) {
    if (fd >= 0) ::close(fd);
    return std::nullopt;
  }
  std::vector<std::string> names;
  errno = 0;
  // readdir is safe on a DIR of our own (readdir_r is the deprecated one).
  // cppcheck-suppress readdirCalled
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0) return errno = err, std::nullopt;
  std::sort(names.begin(), names.end());
  return names;
}

void copy_entry(int src_dir, int dst_dir, const std::string& name, const std::string& path,
                int depth, CopyState& state);

// NOLINTNEXTLINE(misc-no-recursion): bounded by kMaxDepth
void copy_dir(int src_dir, int dst_dir, const char* name, const std::string& path,
              const struct stat& seen, int depth, CopyState& state) {
  if (never_copy(state, seen)) {
    return skip(state, path, "the evidence directory (not copied into itself)");
  }
  if (depth > kMaxDepth) return skip(state, path, "nested too deeply");
  Fd src = open_dir(src_dir, name);
  struct stat st {};
  if (!src.valid() || ::fstat(src.get(), &st) != 0) {
    return skip(state, path, "unreadable: " + errno_message(errno));
  }
  if (st.st_dev != seen.st_dev || st.st_ino != seen.st_ino) {
    return skip(state, path, "replaced during the copy");
  }
  Fd dst = make_dir(dst_dir, name, true);
  if (!dst.valid()) return skip(state, path, "cannot create the copy: " + errno_message(errno));
  const auto names = list_dir(src.get());
  if (!names) skip(state, path, "cannot list: " + errno_message(errno));
  for (const std::string& child : names.value_or(std::vector<std::string>{})) {
    copy_entry(src.get(), dst.get(), child, join(path, child), depth + 1, state);
  }
  set_dir_times(dst.get(), st);  // last: creating the entries changed them
}

void record_link(int src_dir, const char* name, const std::string& path, CopyState& state) {
  std::string target(4096, '\0');
  const ssize_t n = ::readlinkat(src_dir, name, target.data(), target.size());
  if (n < 0) return skip(state, path, "symlink, unreadable: " + errno_message(errno));
  target.resize(static_cast<size_t>(n));
  state.links.push_back(escape_path("files" + path) + " -> " + escape_path(target));
  skip(state, path, "symlink -> " + escape_path(target) + " (recorded, not followed)");
}

// NOLINTNEXTLINE(misc-no-recursion): bounded by kMaxDepth, see copy_dir
void copy_entry(int src_dir, int dst_dir, const std::string& name, const std::string& path,
                int depth, CopyState& state) {
  struct stat st {};
  if (::fstatat(src_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return skip(state, path, "cannot stat: " + errno_message(errno));
  }
  if (S_ISDIR(st.st_mode)) return copy_dir(src_dir, dst_dir, name.c_str(), path, st, depth, state);
  if (S_ISREG(st.st_mode)) return copy_file(src_dir, dst_dir, name.c_str(), path, st, state);
  if (S_ISLNK(st.st_mode)) return record_link(src_dir, name.c_str(), path, state);
  skip(state, path, std::string("special file (") + special_kind(st.st_mode) + "), not opened");
}

void remember_parent_times(const std::string& rel, int src_fd, CopyState& state) {
  for (const auto& [seen, times] : state.parent_times) {
    if (seen == rel) return;
  }
  struct stat st {};
  if (::fstat(src_fd, &st) == 0) state.parent_times.emplace_back(rel, st);
}

}  // namespace

void copy_path(int files_fd, const std::string& source, CopyState& state) {
  const std::filesystem::path normal = std::filesystem::path(source).lexically_normal();
  if (!normal.is_absolute()) return skip(state, source, "not an absolute path");
  std::vector<std::string> parts;
  for (const auto& part : normal.relative_path()) {
    if (!part.empty()) parts.push_back(part.string());
  }
  if (parts.empty()) return skip(state, source, "the whole file system is not evidence");
  Fd src(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd dst(::dup(files_fd));
  std::string path;  // the source path walked so far
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    path += "/" + parts[i];
    Fd src_next = open_dir(src.get(), parts[i].c_str());
    if (!src_next.valid()) {
      const bool link = errno == ELOOP || errno == ENOTDIR;
      return skip(state, source,
                  link ? escape_path(path) + " is a symlink or not a directory (not followed)"
                       : escape_path(path) + ": " + errno_message(errno));
    }
    Fd dst_next = make_dir(dst.get(), parts[i].c_str(), true);
    if (!dst_next.valid()) {
      return skip(state, source, "cannot create the copy: " + errno_message(errno));
    }
    remember_parent_times(path.substr(1), src_next.get(), state);
    src = std::move(src_next);
    dst = std::move(dst_next);
  }
  copy_entry(src.get(), dst.get(), parts.back(), path + "/" + parts.back(), 0, state);
}

void apply_parent_times(int files_fd, CopyState& state) {
  // Deepest first, so that setting a child's times does not touch its parent's.
  std::sort(state.parent_times.begin(), state.parent_times.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [rel, st] : state.parent_times) {
    const std::array<struct timespec, 2> times = {st.st_atim, st.st_mtim};
    ::utimensat(files_fd, rel.c_str(), times.data(), AT_SYMLINK_NOFOLLOW);
  }
}

}  // namespace vigil::respond::detail
