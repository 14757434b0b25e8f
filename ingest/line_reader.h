#pragma once
// Reads a log file line by line in large blocks, resumable at a line boundary.
// Memory is bounded by max_line plus one block (256 KiB) whatever the file holds.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/position.h"

namespace vigil::ingest {

struct Line {
  std::string_view text;   // without '\n' and a trailing '\r'
  uint64_t number = 0;     // 1-based within the file
  uint64_t offset = 0;     // byte offset of the line's first byte
  bool truncated = false;  // longer than the reader's limit: `text` is its first part
                           // (the rest, up to the newline, is skipped unread)
};

// Why a read starts where it does; reported to the user on a re-scan.
enum class ResumeFrom {
  kStart,      // no saved position
  kSaved,      // the saved position still describes this file
  kRotated,    // another file now has this name (device or inode differ)
  kTruncated,  // the file is shorter than the saved offset
  kReplaced,   // same inode, but its first bytes changed
};
const char* to_string(ResumeFrom why);

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 1 << 20;  // 1 MiB; longer lines are cut

  // Opens `path`; throws vigil::Error ("path: reason") when it cannot be read.
  // The limit applies to the text without its "\n" or "\r\n".
  explicit LineReader(const std::string& path, size_t max_line = kDefaultMaxLine);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Positions the reader at `saved` if it still describes this file (same device
  // and inode, at least `offset` bytes long, same first `fingerprint_len` bytes),
  // else at the start. Line numbers continue from `saved.line`.
  ResumeFrom resume(const std::optional<SourcePosition>& saved);

  // The next line, or false at end of file. A last line without a newline is
  // returned at end of file. Views stay valid until the next call. End of file is
  // not sticky: after false, a later call returns lines appended since.
  bool next(Line& out);

  // Position just after the last line returned, its newline and, for a cut line,
  // its skipped rest (dev, inode, fingerprint included). The fingerprint is FNV-1a
  // 64 of the first min(file size, 1 KiB) bytes; it widens as a short file grows.
  SourcePosition position() const;
  int64_t mtime_us() const;     // modification time at open or resume, for year inference
  uint64_t bytes_read() const;  // bytes of the lines returned since open or resume

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::ingest
