#pragma once
// A fresh directory per test, removed with everything in it when the test ends.

#include <filesystem>
#include <string>
#include <string_view>

namespace vigil::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(std::string_view name) const { return (path_ / name).string(); }
  // Writes `content` to `name` (replacing it) and returns the full path.
  std::string write(std::string_view name, std::string_view content) const;
  // Appends `content` to `name`.
  void append(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace vigil::test
