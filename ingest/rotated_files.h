#pragma once
// Finds the files a log rotation left beside a followed file (private to ingest/).

#include <string>
#include <string_view>
#include <vector>

namespace vigil::ingest {

// Whether `name` is what logrotate makes of `base`: "auth.log.1", "auth.log-20261128",
// "auth.log.old", but not a compressed copy ("auth.log.2.gz"), which is a new file
// that holds no saved position.
bool is_rotated_name(std::string_view base, std::string_view name);

// Full paths of the regular files in `dir` whose names are rotations of `base`, in
// no particular order. An unreadable directory has none.
std::vector<std::string> rotated_siblings(const std::string& dir, std::string_view base);

}  // namespace vigil::ingest
