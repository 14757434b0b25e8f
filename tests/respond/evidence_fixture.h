#pragma once
// Helpers for the evidence tests: building source trees with known content and
// times, and reading back what capture_evidence wrote.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "core/time.h"

namespace vigil::respond::test {

// 2026-11-28T03:14:00Z, and the directory name it gives alert 42.
constexpr int64_t kNow = (20'785LL * 86400 + 3LL * 3600 + 14LL * 60) * 1'000'000LL;
constexpr const char* kAlertDirName = "42_20261128T031400Z";

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& content, mode_t mode) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  ::chmod(path.c_str(), mode);
}

// Distinct, recognisable content of `size` bytes.
inline std::string pattern(size_t size, char seed) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>(seed + (i * 7 + i / 251) % 61);
  return s;
}

// Sets atime and mtime (seconds, plus some nanoseconds so that precision shows).
inline void set_times(const std::filesystem::path& path, int64_t atime_s, int64_t mtime_s) {
  const std::array<struct timespec, 2> times = {{{atime_s, 123456789}, {mtime_s, 987654321}}};
  ::utimensat(AT_FDCWD, path.c_str(), times.data(), AT_SYMLINK_NOFOLLOW);
}

inline struct stat lstat_of(const std::filesystem::path& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st;
}

struct ManifestLine {
  std::string hash;
  std::string path;  // unescaped
};

// Reads a sha256sum file (escaped lines start with '\\'); comments are skipped.
inline std::vector<ManifestLine> read_manifest(const std::filesystem::path& path) {
  std::vector<ManifestLine> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) continue;
    const bool escaped = line.starts_with("\\");
    if (escaped) line.erase(0, 1);
    ManifestLine m{line.substr(0, 64), ""};
    const std::string name = line.substr(66);
    for (size_t i = 0; i < name.size(); ++i) {
      if (escaped && name[i] == '\\' && i + 1 < name.size()) {
        const char c = name[++i];
        m.path += c == 'n' ? '\n' : c == 'r' ? '\r' : c;
      } else {
        m.path += name[i];
      }
    }
    out.push_back(m);
  }
  return out;
}

}  // namespace vigil::respond::test
