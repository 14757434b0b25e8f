#pragma once
// The follower's state (private to ingest/): file_follower.cpp reads and dispatches
// events, follow_transitions.cpp handles rotation, truncation and appearance.

#include <sys/inotify.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/position.h"
#include "ingest/file_follower.h"
#include "ingest/inotify.h"
#include "ingest/line_reader.h"

namespace vigil::ingest {

// Why the file being read is finished before the file at the name is read.
enum class Drain {
  kNone,     // the file being read is the one at the name
  kRenamed,  // the name now names another file, or none: read this one to its end
  kCopy,     // copytruncate: the rest of the old content, from the copy
  kSibling,  // at start: the saved file, found rotated under another name
};

struct FollowedFile {
  std::string path;  // absolute
  std::string dir;
  std::string name;
  bool started = false;

  std::unique_ptr<LineReader> reader;  // the file being read; null: none open
  std::string reader_path;             // for messages: the sibling or copy read, else path
  // While `reader` is finished (drain != kNone): the file now at the name, opened
  // as soon as it was seen so that a further rename cannot take it away.
  std::unique_ptr<LineReader> successor;
  Drain drain = Drain::kNone;

  int reader_wd = -1;
  int successor_wd = -1;
  int dir_wd = -1;
  bool dir_is_ancestor = false;  // dir_wd watches the nearest existing parent
  std::string watched_dir;       // what dir_wd watches, to report a change once

  // Work the next process() owes this file; inotify events only set these.
  bool need_rearm = false;      // (re)watch the directory
  bool need_identity = false;   // does the name still name the file being read?
  bool need_integrity = false;  // was the file being read truncated?
  bool need_read = false;       // lines may be waiting

  uint64_t seen = 0;  // bytes of the file read into the reader at the last look
  int64_t last_growth_us = 0;
  SourcePosition last_position;  // reported while no file is open
  std::string last_error;        // an error is reported once until it changes

  bool pending() const {
    return started && (need_rearm || need_identity || need_integrity || (need_read && reader));
  }
};

struct FileFollower::Impl {
  FollowOptions options;
  Inotify inotify;
  std::vector<FollowedFile> files;
  size_t first = 0;  // where the next process() starts its round

  // file_follower.cpp: watches, events, reading.
  std::unique_ptr<LineReader> open_reader(const std::string& path) const;
  bool wd_in_use(int wd) const;
  void release(int& wd) const;
  void rewatch(size_t i, FollowSink& sink);
  void report_error(size_t i, FollowSink& sink, const std::string& message);
  static void note_growth(FollowedFile& f, int64_t now);
  bool read_lines(size_t i, FollowSink& sink, size_t& budget, int64_t now);
  bool drain_done(const FollowedFile& f, bool successor_has_data, int64_t now) const;
  void work(size_t i, FollowSink& sink, size_t& budget, int64_t now);
  static void mark(FollowedFile& f, const inotify_event& event, std::string_view name);
  void take_events(FollowSink& sink);
  bool pending() const;
  void flush_idle(size_t i, FollowSink& sink, int64_t now);

  // follow_transitions.cpp: what the name and the file being read turned into.
  void start(size_t i, const std::optional<SourcePosition>& saved, FollowSink& sink);
  void start_existing(size_t i, const std::optional<SourcePosition>& saved, FollowSink& sink);
  bool resume_sibling(size_t i, const SourcePosition& saved, FollowSink& sink);
  bool resume_copy(size_t i, const SourcePosition& saved, FollowSink& sink);
  std::unique_ptr<LineReader> find_copy(const FollowedFile& f, const SourcePosition& at,
                                        std::string& copy_path) const;
  void arm_dir(size_t i, FollowSink& sink);
  void open_current(size_t i, FollowSink& sink);
  void check_identity(size_t i, FollowSink& sink);
  void check_integrity(size_t i, FollowSink& sink);
  void finish_drain(size_t i, FollowSink& sink);
};

}  // namespace vigil::ingest
