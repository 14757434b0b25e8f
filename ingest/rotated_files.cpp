#include "ingest/rotated_files.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace vigil::ingest {
namespace {

constexpr auto kCompressed = std::to_array<std::string_view>(
    {".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".lzo", ".br", ".Z", ".zip"});

}  // namespace

bool is_rotated_name(std::string_view base, std::string_view name) {
  if (name.size() <= base.size() + 1 || !name.starts_with(base)) return false;
  const char separator = name[base.size()];
  if (separator != '.' && separator != '-') return false;
  return std::ranges::none_of(kCompressed,
                              [name](std::string_view suffix) { return name.ends_with(suffix); });
}

std::vector<std::string> rotated_siblings(const std::string& dir, std::string_view base) {
  std::vector<std::string> found;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (is_rotated_name(base, name) && it->is_regular_file(type_ec)) {
      found.push_back(it->path().string());
    }
  }
  return found;
}

}  // namespace vigil::ingest
