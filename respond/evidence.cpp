#include "respond/evidence.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "core/error.h"
#include "core/time.h"
#include "respond/alert_digest.h"
#include "respond/evidence_copy.h"
#include "respond/safe_text.h"

namespace vigil::respond {
namespace {

using detail::CopyState;
using detail::Fd;

[[noreturn]] void fail(const std::string& what, int err) {
  throw Error(what + ": " + errno_message(err));
}

// Whoever can write to a directory on the way could swap what comes after it:
// each must belong to root or us, and be closed to others unless sticky (/tmp).
void check_component(int fd, const std::string& walked) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(escape_path(walked), errno);
  const bool trusted_owner = st.st_uid == 0 || st.st_uid == ::geteuid();
  const bool open_to_others = (st.st_mode & 022) != 0 && (st.st_mode & S_ISVTX) == 0;
  if (!trusted_owner || open_to_others) {
    throw Error(escape_path(walked) + ": owned or writable by another user; refusing to use it");
  }
}

// Opens evidence_dir component by component without following symlinks,
// creating what is missing 0700. The directory itself must then be ours and
// closed to others: anyone else able to write there could prepare what we create.
Fd open_evidence_root(const std::string& dir) {
  const std::filesystem::path normal = std::filesystem::path(dir).lexically_normal();
  if (dir.empty() || !normal.is_absolute()) {
    throw Error("evidence_dir must be an absolute path: \"" + escape_path(dir) + "\"");
  }
  Fd fd(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::string walked;
  for (const auto& part : normal.relative_path()) {
    if (part.empty()) continue;
    walked += "/" + part.string();
    Fd next = detail::make_dir(fd.get(), part.c_str(), true);
    if (!next.valid()) {
      if (errno == ELOOP || errno == ENOTDIR) {
        throw Error(escape_path(walked) + ": a symlink or not a directory (not followed)");
      }
      fail(escape_path(walked), errno);
    }
    fd = std::move(next);
    check_component(fd.get(), walked);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail(escape_path(dir), errno);
  if (st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) {
    throw Error(escape_path(dir) + ": not owned by us or writable by others; refusing to use it");
  }
  return fd;
}

// "20261128T031400Z": ISO-8601 basic format, safe in a file name.
std::string compact_time(int64_t us) {
  std::string out;
  for (char c : iso8601_seconds(us)) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

// sha256sum's convention: a name holding '\\', '\n' or '\r' is written escaped
// and its line starts with a backslash.
std::string manifest_line(const detail::ManifestEntry& e) {
  std::string name;
  for (char c : e.path) {
    if (c == '\\') {
      name += "\\\\";
    } else if (c == '\n') {
      name += "\\n";
    } else if (c == '\r') {
      name += "\\r";
    } else {
      name += c;
    }
  }
  const bool escaped = name.size() != e.path.size();
  return (escaped ? "\\" : "") + e.sha256 + "  " + name + "\n";
}

std::string summary_text(const EvidenceOptions& options, int64_t alert_id, int64_t now_us,
                         const CopyState& s) {
  std::string out = "vigil evidence for alert " + std::to_string(alert_id) + "\n";
  out += "captured: " + format_iso8601_utc(now_us) + "\n";
  for (const std::string& path : options.paths) out += "path: " + escape_path(path) + "\n";
  out += "files: " + std::to_string(s.files) + "\n";
  out += "bytes: " + std::to_string(s.bytes) + "\n";
  out += "max_bytes: " + std::to_string(options.max_bytes) + "\n";
  out += std::string("limit hit: ") + (s.limit_hit ? "yes" : "no") + "\n";
  out += "skipped or noted (" + std::to_string(s.skipped.size()) + "):\n";
  for (const std::string& line : s.skipped) out += "  " + line + "\n";
  out += "symlinks (" + std::to_string(s.links.size()) + "):\n";
  for (const std::string& line : s.links) out += "  " + line + "\n";
  return out;
}

void write_file(int dir_fd, const char* name, std::string_view content, CopyState& s) {
  const std::string sha = detail::write_new_file(dir_fd, name, content);
  if (sha.empty()) fail(name, errno);
  s.entries.push_back({name, sha});
}

void write_manifest(int dir_fd, const CopyState& s) {
  std::string text;
  for (const auto& entry : s.entries) text += manifest_line(entry);
  for (const std::string& link : s.links) text += "# symlink " + link + "\n";
  if (detail::write_new_file(dir_fd, "MANIFEST.sha256", text).empty()) {
    fail("MANIFEST.sha256", errno);
  }
}

void capture(const EvidenceOptions& options, int64_t alert_id, int64_t now_us,
             std::string_view alert_json, EvidenceResult& result) {
  const Fd root = open_evidence_root(options.evidence_dir);
  const std::string name = std::to_string(alert_id) + "_" + compact_time(now_us);
  result.dir = std::filesystem::path(options.evidence_dir).lexically_normal().string();
  if (result.dir.back() != '/') result.dir += '/';
  result.dir += name;
  const Fd dir = detail::make_dir(root.get(), name.c_str(), false);
  if (!dir.valid()) fail(result.dir, errno);  // EEXIST too: never reuse a directory
  const Fd files = detail::make_dir(dir.get(), "files", false);
  if (!files.valid()) fail(result.dir + "/files", errno);

  CopyState s;
  s.max_bytes = options.max_bytes;
  for (const Fd* fd : {&root, &dir}) {
    struct stat st {};
    if (::fstat(fd->get(), &st) == 0) s.never_copy.emplace_back(st.st_dev, st.st_ino);
  }
  for (const std::string& path : options.paths) detail::copy_path(files.get(), path, s);
  detail::apply_parent_times(files.get(), s);

  result.files = s.files;
  result.bytes = s.bytes;
  result.limit_hit = s.limit_hit;
  result.skipped = s.skipped;
  write_file(dir.get(), "alert.json", alert_json, s);
  write_file(dir.get(), "SUMMARY.txt", summary_text(options, alert_id, now_us, s), s);
  write_manifest(dir.get(), s);
  ::syncfs(dir.get());  // the copies too, in one call rather than an fsync per file
}

}  // namespace

EvidenceResult capture_evidence(const EvidenceOptions& options, int64_t alert_id, int64_t now_us,
                                std::string_view alert_json) {
  EvidenceResult result;
  try {
    capture(options, alert_id, now_us, alert_json, result);
  } catch (const Error& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace vigil::respond
