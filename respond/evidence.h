#pragma once
// Evidence capture, built in (no shell, no cp): copies the configured log paths
// into a fresh per-alert directory with a sha256sum manifest. It runs as root on
// trees an attacker may write to, so it never follows a symlink, never opens a
// FIFO or device, never writes into a directory it did not just create, and
// gives every copy a fixed mode whatever the umask or the source's mode.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::respond {

struct EvidenceOptions {
  std::vector<std::string> paths = {"/var/log"};  // absolute; files or directories
  std::string evidence_dir;         // absolute; created 0700 (with parents) when missing
  uint64_t max_bytes = 1ull << 30;  // total content copied under files/
};

struct EvidenceResult {
  std::string dir;                // evidence_dir/<alert-id>_<YYYYmmddTHHMMSSZ>
  uint64_t files = 0, bytes = 0;  // regular files copied under files/, their bytes
  bool limit_hit = false;         // some files were left out because of max_bytes
  // "path: reason" (the path made printable, see escape_path in safe_text.h):
  // "size limit", "unreadable: …", "special file (fifo)", "symlink -> target
  // (recorded, not followed)", "the evidence directory (not copied into itself)", …
  std::vector<std::string> skipped;
  std::string error;  // non-empty: capture failed (e.g. cannot create the directory)
  bool ok() const { return error.empty(); }
};

// Creates <evidence_dir>/<alert_id>_<now, UTC> (mkdir 0700; an existing one is
// an error, nothing is written into it) holding:
//  - files/<absolute source path>: each configured path copied recursively;
//    directories 0700, files 0600, atime/mtime preserved (source atimes are not
//    changed either: files are read with O_NOATIME). A file is copied up to the
//    size it had when opened (what is appended meanwhile is left out; a file that
//    shrinks is copied as read and noted); the hash is of exactly what was written.
//    A file that would take the total past max_bytes is skipped ("size limit",
//    limit_hit) and smaller ones after it are still copied.
//  - alert.json: `alert_json`, 0600.
//  - SUMMARY.txt: counts, the limit, skipped entries and symlinks, 0600.
//  - MANIFEST.sha256: "<hex>  files/var/log/auth.log" for every copy, alert.json
//    and SUMMARY.txt, so that `sha256sum -c MANIFEST.sha256` run in the directory
//    verifies them. Names holding '\\', '\n' or '\r' are written escaped with a
//    leading backslash, as sha256sum does ('\r' needs coreutils >= 9 to verify).
//    Symlinks appear as comment lines "# symlink files/… -> target" (sha256sum -c
//    ignores lines starting with '#').
// The evidence directory must be owned by the caller and not writable by group
// or others; each directory on its path must be owned by root or the caller and
// not writable by others unless sticky (/tmp); no component may be a symlink.
EvidenceResult capture_evidence(const EvidenceOptions& options, int64_t alert_id, int64_t now_us,
                                std::string_view alert_json);

}  // namespace vigil::respond
