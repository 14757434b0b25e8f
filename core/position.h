#pragma once
// Where a source resumes after a restart. Committed in the same transaction as
// the hits read before it, so a restart neither loses nor repeats a line.

#include <cstdint>
#include <string>

namespace vigil {

struct SourcePosition {
  // Files: identity of the file and the byte offset of the first unread line.
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t offset = 0;
  uint64_t line = 0;  // lines before `offset`, so line numbers continue on resume
  // Hash of the first `fingerprint_len` bytes: tells a replaced file that reuses an inode.
  uint32_t fingerprint_len = 0;
  uint64_t fingerprint = 0;
  // journald: the cursor of the last entry read (empty for files).
  std::string cursor;
};

// Counters a batch adds to its source's running totals.
struct SourceStats {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t parse_failures = 0;
};

}  // namespace vigil
