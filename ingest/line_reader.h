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
  // returned at end of file (unless partial lines are held, below). Views stay
  // valid until the next call. End of file is not sticky: after false, a later
  // call returns lines appended since.
  bool next(Line& out);

  // For following a file that is still being written: next() then keeps a last
  // line without a newline buffered (its writer may not have finished it) and
  // returns false; position() stays before it. A cut line whose newline has not
  // been written yet is still skipped to its newline as it arrives (a position
  // taken meanwhile lies inside that line: resuming there reads its rest as a line).
  void set_hold_partial(bool hold);
  // The held bytes as a line, when the writer is deemed done with it (idle, or the
  // file was rotated away); false when nothing is held.
  bool flush_partial(Line& out);
  size_t partial_size() const;  // bytes held after the last line returned

  // For following: false when the open file no longer holds what was read from it,
  // i.e. it is shorter than the bytes read or its first bytes changed (truncated,
  // perhaps already rewritten). Refreshes the size and mtime.
  bool unchanged();
  uint64_t file_size();  // current size of the open file (fstat)
  int fd() const;        // the open file, to watch it (inotify on /proc/self/fd/N)

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
