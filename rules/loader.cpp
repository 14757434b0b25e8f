#include "rules/loader.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <tuple>

#include "rules/pack_checker.h"
#include "rules/pack_reader.h"
#include "rules/threshold_checker.h"

namespace vigil::rules {
namespace {

namespace fs = std::filesystem;

bool is_pack_name(const fs::path& p) {
  return p.extension() == ".yml" || p.extension() == ".yaml";
}

// The packs a directory holds, in name order so that load order (and with it
// rule order and which of two duplicates is "first") does not depend on the
// file system.
std::vector<std::string> packs_in(const std::string& dir, LoadResult& result) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_pack_name(it->path())) files.push_back(it->path());
  }
  if (ec) {
    result.errors.push_back(Diagnostic{dir, 0, 0, "cannot list rule packs: " + ec.message()});
  } else if (files.empty()) {
    result.warnings.push_back(Diagnostic{dir, 0, 0, "no *.yml or *.yaml rule packs here"});
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> pack_files(const std::string& path, LoadResult& result) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) {
    result.errors.push_back(
        Diagnostic{path, 0, 0, "cannot read rule packs: " + ec.message() + "; check the path"});
    return {};
  }
  if (fs::is_directory(status)) return packs_in(path, result);
  return {path};  // a file named explicitly is read whatever its extension
}

std::optional<std::string> read_text(const std::string& file, LoadResult& result) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    result.errors.push_back(
        Diagnostic{file, 0, 0, "cannot read rule pack: " + errno_message(errno)});
    return std::nullopt;
  }
  return std::move(text).str();
}

// The stages report in their own order (all reading problems, then all
// checks); a user fixes a file top to bottom, so diagnostics are put in load
// order of their file, then by line and column.
void sort_by_position(std::vector<Diagnostic>& diagnostics, const std::vector<std::string>& order) {
  const auto rank = [&](const Diagnostic& d) {
    return std::find(order.begin(), order.end(), d.file) - order.begin();
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::tuple(rank(a), a.line, a.col) < std::tuple(rank(b), b.line, b.col);
                   });
}

LoadResult load(const std::vector<std::string>& paths) {
  LoadResult result;
  std::vector<ReadRule> rules_read;
  std::vector<ReadThreshold> thresholds_read;
  std::vector<std::string> order;  // paths and files as they were visited
  for (const std::string& path : paths) {
    order.push_back(path);
    for (const std::string& file : pack_files(path, result)) {
      order.push_back(file);
      const auto text = read_text(file, result);
      if (!text) continue;
      ReadPack pack = read_pack(file, *text, result.errors);
      std::move(pack.rules.begin(), pack.rules.end(), std::back_inserter(rules_read));
      std::move(pack.thresholds.begin(), pack.thresholds.end(),
                std::back_inserter(thresholds_read));
    }
  }
  std::vector<Diagnostic> lint;
  std::vector<CheckedRule> catalog;
  result.rules = check_rules(std::move(rules_read), result.errors, lint, &catalog);
  result.rules.thresholds = check_thresholds(std::move(thresholds_read), catalog, result.errors);
  // As compilers do, lint waits until the packs load: next to errors it is noise.
  if (result.errors.empty())
    result.warnings.insert(result.warnings.end(), lint.begin(), lint.end());
  sort_by_position(result.errors, order);
  sort_by_position(result.warnings, order);
  return result;
}

}  // namespace

LoadResult load_packs(const std::vector<std::string>& paths) {
  try {
    return load(paths);
  } catch (const std::exception& e) {
    // Out of memory or a library surprise: still a result, never an exception.
    LoadResult failed;
    failed.errors.push_back(
        Diagnostic{"", 0, 0, std::string("cannot load rule packs: ") + e.what()});
    return failed;
  }
}

}  // namespace vigil::rules
