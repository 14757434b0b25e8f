#include "rules/hs_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace vigil::rules {
namespace {

constexpr off_t kMaxEntryBytes = off_t{256} << 20;
// Each pack edit leaves its old databases behind; the least recently written
// beyond this many are removed.
constexpr size_t kMaxEntries = 64;

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// Ours alone: owned by the effective user, not writable by group or others.
bool private_to_us(const struct stat& st) {
  return st.st_uid == ::geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

bool safe_directory(const std::string& dir) {
  struct stat st {};
  return ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && private_to_us(st);
}

bool read_all(int fd, std::vector<char>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

struct FreeBytes {
  void operator()(char* p) const { std::free(p); }  // hs_serialize_database uses malloc
};

void prune(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".hsdb") entries.emplace_back(e.last_write_time(ec), e.path());
  }
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + kMaxEntries < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

}  // namespace

HsDatabase HsCache::load(const std::string& key) const {
  if (dir_.empty() || !safe_directory(dir_)) return nullptr;
  const std::string path = dir_ + "/" + key + ".hsdb";
  const Fd file(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (file.fd < 0 || ::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode) || !private_to_us(st) ||
      st.st_size <= 0 || st.st_size > kMaxEntryBytes) {
    return nullptr;
  }
  std::vector<char> bytes(static_cast<size_t>(st.st_size));
  if (!read_all(file.fd, bytes)) return nullptr;
  hs_database_t* raw = nullptr;
  // Hyperscan checks the version, the platform and a CRC of the bytecode.
  if (hs_deserialize_database(bytes.data(), bytes.size(), &raw) != HS_SUCCESS) return nullptr;
  return HsDatabase(raw);
}

void HsCache::store(const std::string& key, const hs_database_t* db) const {
  if (dir_.empty() || db == nullptr) return;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir_).parent_path(), ec);
  ::mkdir(dir_.c_str(), 0700);  // an existing directory keeps its mode, and is used only if safe
  if (!safe_directory(dir_)) return;
  char* raw = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &raw, &size) != HS_SUCCESS) return;
  const std::unique_ptr<char, FreeBytes> bytes(raw);
  // Write then rename, so a reader never sees half a file.
  std::string temp = dir_ + "/." + key + ".XXXXXX";
  const Fd file(::mkostemp(temp.data(), O_CLOEXEC));  // mode 0600
  if (file.fd < 0) return;
  const std::string path = dir_ + "/" + key + ".hsdb";
  if (!write_all(file.fd, bytes.get(), size) || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return;
  }
  prune(dir_);
}

}  // namespace vigil::rules
