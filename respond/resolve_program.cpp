// resolve_program (declared in process.h): which file a command's argv[0] names.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "respond/process.h"

namespace vigil::respond {
namespace {

// Empty when `path` is a file vigil may execute, else the reason.
std::string check_executable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_message(errno);
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if ((st.st_mode & 0111) == 0 || ::access(path.c_str(), X_OK) != 0) return "not executable";
  // Anyone who can rewrite it could run code as root through vigil.
  if ((st.st_mode & S_IWOTH) != 0) return "writable by anyone";
  return {};
}

std::optional<std::string> search_path(std::string_view name, std::string_view path_env,
                                       std::string& why) {
  std::string reasons;
  while (!path_env.empty()) {
    const size_t colon = path_env.find(':');
    const std::string_view dir = path_env.substr(0, colon);
    path_env.remove_prefix(colon == std::string_view::npos ? path_env.size() : colon + 1);
    if (!dir.starts_with('/')) continue;  // "" and "." would mean the working directory
    std::string candidate(dir);
    if (!candidate.ends_with('/')) candidate += '/';
    candidate += name;
    const std::string problem = check_executable(candidate);
    if (problem.empty()) return candidate;
    // A file that is there but unusable is worth naming; absence is the norm.
    if (::access(candidate.c_str(), F_OK) == 0) reasons += "; " + candidate + ": " + problem;
  }
  why = std::string(name) + ": not found in PATH" + reasons;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> resolve_program(std::string_view name, std::string_view path_env,
                                           std::string& why) {
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    why = "the program name is empty or holds a NUL byte";
    return std::nullopt;
  }
  if (name.find('/') == std::string_view::npos) return search_path(name, path_env, why);
  if (!name.starts_with('/')) {
    why = std::string(name) + ": a path must be absolute (or a bare name, searched in PATH)";
    return std::nullopt;
  }
  std::string path(name);
  const std::string problem = check_executable(path);
  if (problem.empty()) return path;
  why = path + ": " + problem;
  return std::nullopt;
}

}  // namespace vigil::respond
