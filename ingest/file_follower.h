#pragma once
// Follows log files as they are written, for `vigil run`: one inotify fd for the
// caller's epoll loop, a deadline for its timerfd, never a sleep. Survives
// rename+create rotation, copytruncate, files that come and go, and rotation
// while vigil was stopped. Memory is bounded: one LineReader buffer per file (two
// while a rotated file is being finished), whatever the write rate.
//
// The file follows its name. Rotation by rename: the old file is read to its end
// (lines written to it after the rename included) before the new one is read from
// its start. The old one is done when its successor holds data, or when it has not
// grown for `rotate_grace_us` (a writer still appending to it after another wrote
// to the new file loses those lines). copytruncate: the shrink is noticed, the rest of the
// old content is read from the copy (a rotated sibling with the same first bytes),
// then the file from its start. Inherent race: lines written after the copy and
// before the truncation are in neither file and are lost; a file truncated and
// rewritten past the read offset before the follower looks may yield one garbled
// line. Rotations so quick that a whole generation is created and rotated away
// while an older one is still being finished are not seen (logrotate rotates daily).
//
// A missing file is read from its start when it appears. A missing directory: the
// nearest existing parent is watched until the directory is created (reported once
// as kDirectoryMissing).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/position.h"
#include "ingest/line_reader.h"

namespace vigil::ingest {

struct FollowOptions {
  size_t max_line = LineReader::kDefaultMaxLine;
  // A last line without its newline is delivered once the file has not grown for
  // this long (its writer is deemed done with it).
  int64_t idle_flush_us = 5'000'000;
  // A file renamed or deleted away is finished once its successor holds data, or
  // after it has not grown for this long (a writer may still hold it open).
  int64_t rotate_grace_us = 5'000'000;
  // First start without a saved position: only lines completed from now on.
  bool start_at_end = true;
};

enum class FollowEvent {
  kOpened,            // reading started (detail: where, and why there)
  kMissing,           // no such file (yet): read from its start when it appears
  kDirectoryMissing,  // its directory does not exist: waiting for it to be created
  kAppeared,          // a file missing so far appeared: reading it from its start
  kRotated,           // the old file was finished; reading the new one from its start
  kTruncated,         // the file shrank (copytruncate); see the detail for the copy
  kDeleted,           // the file was removed and finished; waiting for a new one
  kResumedRotated,    // at start: the saved file was found rotated, read on there
  kOverflow,          // the inotify queue overflowed: everything was checked again
  kError,             // cannot open, read or watch (detail names the file and why)
};
const char* to_string(FollowEvent event);

// Views in `line` are valid only during the call. position(file) called from
// on_line is the position just after that line.
class FollowSink {
 public:
  virtual ~FollowSink() = default;
  virtual void on_line(size_t file, const Line& line) = 0;
  virtual void on_event(size_t file, FollowEvent event, std::string_view detail) = 0;
};

// CLOCK_MONOTONIC in microseconds: the clock of next_deadline_us() and on_timer().
int64_t monotonic_us();

class FileFollower {
 public:
  // Throws vigil::Error when no inotify instance can be had, or a path names no file.
  explicit FileFollower(const std::vector<std::string>& paths, const FollowOptions& options = {});
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  size_t size() const;
  const std::string& path(size_t file) const;  // absolute, as followed

  // Once per file, before process(). `saved`: the position stored at the last
  // run (a position with inode 0 means "no file then": read from its start).
  // Without one, reading starts at the end when start_at_end (existing lines are
  // skipped and counted, so line numbers stay right). Reports through `sink`.
  void start(size_t file, const std::optional<SourcePosition>& saved, FollowSink& sink);

  // Readable (epoll, level-triggered) when something changed. O_NONBLOCK|O_CLOEXEC.
  int fd() const;
  // Takes the queued changes and delivers at most `max_lines` lines. True when
  // more is pending: call again without waiting for fd() (backpressure). Call it
  // once after start(). A file that cannot be read is reported (kError) and
  // retried on its next change; throws vigil::Error only if fd() cannot be read.
  bool process(FollowSink& sink, size_t max_lines);

  // When on_timer() is due (monotonic_us clock), or -1 when nothing waits on time.
  int64_t next_deadline_us() const;
  // Flushes partial lines that stayed idle and finishes rotated files whose grace
  // ran out. True when process() has work: call it then.
  bool on_timer(FollowSink& sink, int64_t now_us);

  // Where a restart resumes without losing or repeating a line: the first byte
  // after the last line delivered, in the file being read (the rotated one while
  // it is finished). A held partial line is never passed.
  SourcePosition position(size_t file) const;
  // For year inference of RFC 3164 lines: the modification time of the file being
  // read (its lines are not newer), or now when none is open. Wall clock, µs.
  int64_t reference_time_us(size_t file) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::ingest
