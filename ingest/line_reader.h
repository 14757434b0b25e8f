#pragma once
// Reads a log file line by line in large blocks, resumable at a line boundary.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/position.h"

namespace vigil::ingest {

struct Line {
  std::string_view text;  // without '\n' and a trailing '\r'
  uint64_t number = 0;    // 1-based within the file
  uint64_t offset = 0;    // byte offset of the line's first byte
  bool truncated = false;  // longer than the reader's limit: `text` is its first part
};

// Why a read starts where it does; reported to the user on a re-scan.
enum class ResumeFrom {
  kStart,        // no saved position
  kSaved,        // the saved position still describes this file
  kRotated,      // another file now has this name (device or inode differ)
  kTruncated,    // the file is shorter than the saved offset
  kReplaced,     // same inode, but its first bytes changed
};
const char* to_string(ResumeFrom why);

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 1 << 20;  // 1 MiB; longer lines are cut

  // Opens `path`; throws vigil::Error naming the file when it cannot be read.
  explicit LineReader(const std::string& path, size_t max_line = kDefaultMaxLine);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Positions the reader at `saved` if it still describes this file, else at the start.
  ResumeFrom resume(const std::optional<SourcePosition>& saved);

  // The next line, or false at end of file. A last line without a newline is
  // returned at end of file. Views stay valid until the next call.
  bool next(Line& out);

  // Position just after the last line returned (dev, inode, fingerprint included).
  SourcePosition position() const;
  int64_t mtime_us() const;  // the file's modification time, for year inference
  uint64_t bytes_read() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::ingest
