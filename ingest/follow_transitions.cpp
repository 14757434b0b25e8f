// What happens to a followed file besides growing: it starts, appears, is renamed
// away, truncated, deleted, found rotated at start, or its directory comes and goes.

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include "core/error.h"
#include "ingest/follower_impl.h"
#include "ingest/rotated_files.h"

namespace vigil::ingest {
namespace {

constexpr uint32_t kDirMask = IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_ATTRIB |
                              IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// A missing directory's nearest existing parent: only arrivals below it matter.
constexpr uint32_t kAncestorMask =
    IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr int kMaxArmAttempts = 64;

bool same_file(const struct stat& st, const LineReader& reader) {
  const SourcePosition p = reader.position();
  return p.dev == st.st_dev && p.ino == st.st_ino;
}

std::string after_line(const LineReader& reader) {
  return "line " + std::to_string(reader.position().line);
}

}  // namespace

void FileFollower::start(size_t file, const std::optional<SourcePosition>& saved,
                         FollowSink& sink) {
  if (impl_->files.at(file).started) return;
  impl_->start(file, saved, sink);
}

void FileFollower::Impl::start(size_t i, const std::optional<SourcePosition>& saved,
                               FollowSink& sink) {
  FollowedFile& f = files[i];
  f.started = true;
  if (saved) f.last_position = *saved;
  arm_dir(i, sink);  // before looking: a file created from now on raises an event
  struct stat st {};
  const bool exists = ::stat(f.path.c_str(), &st) == 0;
  if (exists) {
    try {
      f.reader = open_reader(f.path);
      f.reader_path = f.path;
    } catch (const Error& e) {
      report_error(i, sink, e.what());  // retried when the file changes
    }
  }
  if (f.reader) {
    try {
      start_existing(i, saved, sink);
    } catch (const Error& e) {
      report_error(i, sink, e.what());  // a read failed: process() tries again
    }
  } else if (!exists) {
    sink.on_event(i, FollowEvent::kMissing,
                  f.path + ": no such file yet; it is read from its start when it appears");
    if (saved && saved->ino != 0) resume_sibling(i, *saved, sink);
  }
  rewatch(i, sink);
  f.need_read = true;
  f.last_growth_us = monotonic_us();
}

void FileFollower::Impl::start_existing(size_t i, const std::optional<SourcePosition>& saved,
                                        FollowSink& sink) {
  FollowedFile& f = files[i];
  if (!saved) {
    if (!options.start_at_end) {
      sink.on_event(i, FollowEvent::kOpened, f.path + ": reading from its start");
      return;
    }
    // Counted rather than skipped by seeking, so that line numbers stay right.
    Line line;
    while (f.reader->next(line)) {
    }
    sink.on_event(i, FollowEvent::kOpened,
                  f.path + ": reading new lines, after " + after_line(*f.reader));
    return;
  }
  const ResumeFrom why = f.reader->resume(*saved);
  if (why == ResumeFrom::kRotated && saved->ino != 0 && resume_sibling(i, *saved, sink)) return;
  if ((why == ResumeFrom::kTruncated || why == ResumeFrom::kReplaced) &&
      resume_copy(i, *saved, sink)) {
    return;
  }
  if (why == ResumeFrom::kSaved) {
    sink.on_event(i, FollowEvent::kOpened,
                  f.path + ": resuming after " + after_line(*f.reader) + " (saved position)");
  } else {
    sink.on_event(i, FollowEvent::kOpened,
                  f.path + ": reading from its start (" + to_string(why) + " since saved)");
  }
}

// The saved file is no longer at the name: look for its inode among the rotated
// siblings, and read it on from the saved position before the file at the name.
bool FileFollower::Impl::resume_sibling(size_t i, const SourcePosition& saved, FollowSink& sink) {
  FollowedFile& f = files[i];
  for (const std::string& candidate : rotated_siblings(f.dir, f.name)) {
    struct stat st {};
    if (::stat(candidate.c_str(), &st) != 0 || st.st_dev != saved.dev || st.st_ino != saved.ino) {
      continue;
    }
    try {
      std::unique_ptr<LineReader> reader = open_reader(candidate);
      if (reader->resume(saved) != ResumeFrom::kSaved) return false;  // no longer what was read
      f.successor = std::move(f.reader);
      f.reader = std::move(reader);
      f.reader_path = candidate;
      f.drain = Drain::kSibling;
      sink.on_event(i, FollowEvent::kResumedRotated,
                    f.path + " was rotated to " + candidate + " while stopped: reading it after " +
                        after_line(*f.reader) + ", then " + f.path + " from its start");
      return true;
    } catch (const Error& e) {
      report_error(i, sink, e.what());
      return false;
    }
  }
  return false;
}

// copytruncate while stopped: the rest of what was saved is in the copy.
bool FileFollower::Impl::resume_copy(size_t i, const SourcePosition& saved, FollowSink& sink) {
  FollowedFile& f = files[i];
  std::string copy_path;
  std::unique_ptr<LineReader> copy = find_copy(f, saved, copy_path);
  if (!copy) return false;
  f.successor = std::move(f.reader);
  f.reader = std::move(copy);
  f.reader_path = copy_path;
  f.drain = Drain::kCopy;
  sink.on_event(i, FollowEvent::kResumedRotated,
                f.path + " was truncated (copytruncate) while stopped: reading " + copy_path +
                    " after " + after_line(*f.reader) + ", then " + f.path + " from its start");
  return true;
}

// After copytruncate: the copy is the rotated sibling that starts with the bytes
// this file started with and is long enough to hold what was read. The newest wins.
std::unique_ptr<LineReader> FileFollower::Impl::find_copy(const FollowedFile& f,
                                                          const SourcePosition& at,
                                                          std::string& copy_path) const {
  std::unique_ptr<LineReader> best;
  if (at.fingerprint_len == 0) return best;  // nothing read: nothing to tell a copy by
  for (const std::string& candidate : rotated_siblings(f.dir, f.name)) {
    struct stat st {};
    if (::stat(candidate.c_str(), &st) != 0 || (st.st_dev == at.dev && st.st_ino == at.ino) ||
        static_cast<uint64_t>(st.st_size) < at.offset) {
      continue;
    }
    SourcePosition there = at;
    there.dev = st.st_dev;
    there.ino = st.st_ino;
    try {
      std::unique_ptr<LineReader> reader = open_reader(candidate);
      if (reader->resume(there) != ResumeFrom::kSaved) continue;
      if (best && reader->mtime_us() <= best->mtime_us()) continue;
      best = std::move(reader);
      copy_path = candidate;
    } catch (const Error&) {
      continue;  // unreadable: not the copy we can use
    }
  }
  return best;
}

// Watches the directory, or while it does not exist its nearest existing parent
// (then every arrival there re-arms, until the directory itself can be watched).
void FileFollower::Impl::arm_dir(size_t i, FollowSink& sink) {
  namespace fs = std::filesystem;
  FollowedFile& f = files[i];
  release(f.dir_wd);
  const fs::path dir(f.dir);
  fs::path target = dir;
  int error = 0;
  for (int attempt = 0; attempt < kMaxArmAttempts; ++attempt) {
    const bool is_dir = target == dir;
    int wd = inotify.add(target.c_str(), is_dir ? kDirMask : kAncestorMask);
    if (wd < 0) {
      error = errno;
      if ((error != ENOENT && error != ENOTDIR) || !target.has_relative_path()) break;
      target = target.parent_path();
      continue;
    }
    f.need_identity = true;
    if (is_dir) {
      f.dir_wd = wd;
      f.dir_is_ancestor = false;
      f.watched_dir = f.dir;
      return;
    }
    // Created between the failed watch and this one? Then go down again.
    fs::path below = dir;
    while (below.parent_path() != target) below = below.parent_path();
    std::error_code ec;
    if (fs::exists(below, ec)) {
      release(wd);
      target = dir;
      continue;
    }
    f.dir_wd = wd;
    f.dir_is_ancestor = true;
    if (f.watched_dir != target.string()) {
      f.watched_dir = target.string();
      sink.on_event(i, FollowEvent::kDirectoryMissing,
                    f.dir + " does not exist: watching " + f.watched_dir + " until it is created");
    }
    return;
  }
  report_error(i, sink,
               "cannot watch " + target.string() + ": " + errno_message(error) +
                   "; a file appearing at " + f.path + " is not noticed");
}

// No file was open and one is at the name now.
void FileFollower::Impl::open_current(size_t i, FollowSink& sink) {
  FollowedFile& f = files[i];
  std::unique_ptr<LineReader> reader;
  try {
    reader = open_reader(f.path);
  } catch (const Error& e) {
    report_error(i, sink, e.what());
    return;
  }
  // The same file again (after a read error) goes on where it was.
  const bool had_file = f.last_position.ino != 0;
  const ResumeFrom why = reader->resume(had_file ? std::optional(f.last_position) : std::nullopt);
  f.reader = std::move(reader);
  f.reader_path = f.path;
  f.last_error.clear();
  rewatch(i, sink);
  f.need_read = true;
  if (why == ResumeFrom::kSaved) {
    sink.on_event(i, FollowEvent::kOpened, f.path + ": reading on after " + after_line(*f.reader));
  } else {
    sink.on_event(i, FollowEvent::kAppeared, f.path + " appeared: reading it from its start");
  }
}

// Does the name still name the file being read? If not, that file is finished
// first, and the file now at the name is opened at once so that a further rename
// cannot take it away before it is read.
void FileFollower::Impl::check_identity(size_t i, FollowSink& sink) {
  FollowedFile& f = files[i];
  struct stat st {};
  const bool exists = ::stat(f.path.c_str(), &st) == 0;
  if (!f.reader) {
    if (exists) open_current(i, sink);
    return;
  }
  if (exists && same_file(st, *f.reader)) {
    if (f.drain != Drain::kNone) {  // renamed back
      f.drain = Drain::kNone;
      f.successor.reset();
      rewatch(i, sink);
    }
    return;
  }
  if (f.drain == Drain::kNone) {
    f.drain = Drain::kRenamed;
    f.need_read = true;
  }
  if (exists && !f.successor) {
    try {
      f.successor = open_reader(f.path);
    } catch (const Error& e) {
      report_error(i, sink, e.what());
    }
    rewatch(i, sink);
    f.need_read = true;
  }
}

// The file being read shrank or its first bytes changed: copytruncate (or `> file`).
void FileFollower::Impl::check_integrity(size_t i, FollowSink& sink) {
  FollowedFile& f = files[i];
  if (!f.reader || f.reader->unchanged()) return;
  f.need_read = true;
  if (f.drain != Drain::kNone) {
    sink.on_event(i, FollowEvent::kTruncated,
                  f.reader_path + " shrank while being finished, after " + after_line(*f.reader));
    finish_drain(i, sink);
    return;
  }
  const SourcePosition at = f.reader->position();
  f.reader->resume(std::nullopt);
  std::string copy_path;
  std::unique_ptr<LineReader> copy = find_copy(f, at, copy_path);
  const std::string where = f.path + " was truncated after line " + std::to_string(at.line);
  if (!copy) {
    sink.on_event(i, FollowEvent::kTruncated,
                  where + ": reading it from its start (no copy holds its old content; " +
                      "lines written after that one and before the truncation are lost)");
    return;
  }
  f.successor = std::move(f.reader);
  f.reader = std::move(copy);
  f.reader_path = copy_path;
  f.drain = Drain::kCopy;
  rewatch(i, sink);
  sink.on_event(i, FollowEvent::kTruncated,
                where + " (copytruncate): reading the rest from " + copy_path + ", then " + f.path +
                    " from its start");
}

// The file being read is done: deliver its last line, then read the successor,
// or wait for a file to appear at the name.
void FileFollower::Impl::finish_drain(size_t i, FollowSink& sink) {
  FollowedFile& f = files[i];
  Line line;
  if (f.reader->flush_partial(line)) sink.on_line(i, line);
  const std::string finished = f.reader_path + ": finished after " + after_line(*f.reader);
  const Drain kind = std::exchange(f.drain, Drain::kNone);
  f.reader = std::move(f.successor);
  f.reader_path = f.path;
  rewatch(i, sink);
  f.need_identity = true;
  if (f.reader) {
    f.need_read = true;
    if (kind == Drain::kRenamed) {
      sink.on_event(i, FollowEvent::kRotated, finished + "; reading the new file from its start");
    }
    return;
  }
  f.last_position = SourcePosition{};  // what appears next is read from its start
  sink.on_event(i, kind == Drain::kRenamed ? FollowEvent::kDeleted : FollowEvent::kMissing,
                finished + "; waiting for a file at " + f.path);
}

}  // namespace vigil::ingest
