#include "ingest/file_follower.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <utility>

#include "core/error.h"
#include "ingest/follower_impl.h"

namespace vigil::ingest {
namespace {

constexpr uint32_t kFileMask = IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF;

int64_t clock_us(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

}  // namespace

const char* to_string(FollowEvent event) {
  switch (event) {
    case FollowEvent::kOpened:
      return "opened";
    case FollowEvent::kMissing:
      return "missing";
    case FollowEvent::kDirectoryMissing:
      return "directory-missing";
    case FollowEvent::kAppeared:
      return "appeared";
    case FollowEvent::kRotated:
      return "rotated";
    case FollowEvent::kTruncated:
      return "truncated";
    case FollowEvent::kDeleted:
      return "deleted";
    case FollowEvent::kResumedRotated:
      return "resumed-rotated";
    case FollowEvent::kOverflow:
      return "overflow";
    case FollowEvent::kError:
      return "error";
  }
  return "unknown";
}

int64_t monotonic_us() {
  return clock_us(CLOCK_MONOTONIC);
}

std::unique_ptr<LineReader> FileFollower::Impl::open_reader(const std::string& path) const {
  auto reader = std::make_unique<LineReader>(path, options.max_line);
  reader->set_hold_partial(true);
  return reader;
}

bool FileFollower::Impl::wd_in_use(int wd) const {
  return std::ranges::any_of(files, [wd](const FollowedFile& f) {
    return f.reader_wd == wd || f.successor_wd == wd || f.dir_wd == wd;
  });
}

void FileFollower::Impl::release(int& wd) const {
  const int old = std::exchange(wd, -1);
  if (old >= 0 && !wd_in_use(old)) inotify.remove(old);
}

// Watches the open files themselves (not their names), so that writes to a file
// renamed or unlinked away still wake us. An inode already watched keeps its wd.
void FileFollower::Impl::rewatch(size_t i, FollowSink& sink) {
  FollowedFile& f = files[i];
  const int old_reader = f.reader_wd;
  const int old_successor = f.successor_wd;
  f.reader_wd = f.successor_wd = -1;
  for (auto [reader, wd] :
       {std::pair{f.reader.get(), &f.reader_wd}, std::pair{f.successor.get(), &f.successor_wd}}) {
    if (reader == nullptr) continue;
    *wd = inotify.add_open_file(reader->fd(), kFileMask);
    if (*wd < 0) report_error(i, sink, "cannot watch " + f.path + ": " + errno_message(errno));
  }
  for (int old : {old_reader, old_successor}) {
    if (old >= 0 && !wd_in_use(old)) inotify.remove(old);
  }
}

void FileFollower::Impl::report_error(size_t i, FollowSink& sink, const std::string& message) {
  FollowedFile& f = files[i];
  if (message == f.last_error) return;
  f.last_error = message;
  sink.on_event(i, FollowEvent::kError, message);
}

// Bytes read into the reader so far: a change means the file grew.
void FileFollower::Impl::note_growth(FollowedFile& f, int64_t now) {
  const uint64_t seen = f.reader->position().offset + f.reader->partial_size();
  if (seen == f.seen) return;
  f.seen = seen;
  f.last_growth_us = now;
}

// True when the reader reached the end of what is written; false when the budget ran out.
bool FileFollower::Impl::read_lines(size_t i, FollowSink& sink, size_t& budget, int64_t now) {
  FollowedFile& f = files[i];
  Line line;
  bool at_end = false;
  while (budget > 0) {
    if (!f.reader->next(line)) {
      at_end = true;
      break;
    }
    --budget;
    sink.on_line(i, line);
  }
  note_growth(f, now);
  return at_end;
}

bool FileFollower::Impl::drain_done(const FollowedFile& f, bool successor_has_data,
                                    int64_t now) const {
  switch (f.drain) {
    case Drain::kNone:
      return false;
    case Drain::kCopy:
      return true;  // a copy is complete before the original is truncated
    case Drain::kRenamed:
    case Drain::kSibling:
      return successor_has_data || now - f.last_growth_us >= options.rotate_grace_us;
  }
  return false;
}

void FileFollower::Impl::work(size_t i, FollowSink& sink, size_t& budget, int64_t now) {
  FollowedFile& f = files[i];
  if (!f.started) return;
  try {
    while (budget > 0) {
      if (std::exchange(f.need_rearm, false)) arm_dir(i, sink);
      if (std::exchange(f.need_identity, false)) check_identity(i, sink);
      if (std::exchange(f.need_integrity, false)) check_integrity(i, sink);
      if (!f.reader) f.need_read = false;
      if (!f.need_read) return;
      // Sampled before reading to the end: what a writer put in the old file before
      // it wrote to the new one is then read too.
      const bool successor_has_data = f.successor && f.successor->file_size() > 0;
      if (!read_lines(i, sink, budget, now)) return;
      f.need_read = false;
      if (!drain_done(f, successor_has_data, now)) return;
      finish_drain(i, sink);
    }
  } catch (const Error& e) {
    f.need_read = false;  // retried on the file's next change
    report_error(i, sink, e.what());
  }
}

void FileFollower::Impl::mark(FollowedFile& f, const inotify_event& event, std::string_view name) {
  if (event.wd == f.dir_wd) {
    if ((event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0 || f.dir_is_ancestor) {
      f.need_rearm = true;
    } else if (name == f.name) {
      f.need_identity = true;
    }
  }
  if (event.wd == f.reader_wd) {
    if ((event.mask & IN_MODIFY) != 0) f.need_integrity = f.need_read = true;
    if ((event.mask & (IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)) != 0) f.need_identity = true;
  }
  // The successor got data: the file being finished may be done.
  if (event.wd == f.successor_wd && (event.mask & IN_MODIFY) != 0) f.need_read = true;
}

void FileFollower::Impl::take_events(FollowSink& sink) {
  bool overflow = false;
  inotify.drain([&](const inotify_event& event, const char* name) {
    if ((event.mask & IN_Q_OVERFLOW) != 0) {
      overflow = true;
      return;
    }
    for (FollowedFile& f : files) mark(f, event, name);
  });
  if (!overflow) return;
  // Events were lost: check everything as if each had changed.
  for (size_t i = 0; i < files.size(); ++i) {
    FollowedFile& f = files[i];
    if (!f.started) continue;
    f.need_rearm = f.need_identity = f.need_integrity = f.need_read = true;
    sink.on_event(i, FollowEvent::kOverflow,
                  "inotify queue overflowed: checking " + f.path + " again");
  }
}

bool FileFollower::Impl::pending() const {
  return std::ranges::any_of(files, [](const FollowedFile& f) { return f.pending(); });
}

// A partial line whose file has not grown for idle_flush_us: its newline may have
// come since the last look (then it is a whole line), else it is delivered as is.
void FileFollower::Impl::flush_idle(size_t i, FollowSink& sink, int64_t now) {
  FollowedFile& f = files[i];
  Line line;
  if (f.reader->next(line)) {
    sink.on_line(i, line);
    f.need_read = true;
    note_growth(f, now);
    return;
  }
  const uint64_t before = f.seen;
  note_growth(f, now);
  if (f.seen != before) return;  // it grew: not idle after all
  if (f.reader->flush_partial(line)) sink.on_line(i, line);
}

FileFollower::FileFollower(const std::vector<std::string>& paths, const FollowOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->files.reserve(paths.size());
  for (const std::string& given : paths) {
    const std::filesystem::path full = std::filesystem::absolute(given).lexically_normal();
    if (!full.has_filename()) throw Error(given + ": not a file name");
    FollowedFile& f = impl_->files.emplace_back();
    f.path = full.string();
    f.dir = full.parent_path().string();
    f.name = full.filename().string();
  }
}

FileFollower::~FileFollower() = default;

size_t FileFollower::size() const {
  return impl_->files.size();
}

const std::string& FileFollower::path(size_t file) const {
  return impl_->files.at(file).path;
}

int FileFollower::fd() const {
  return impl_->inotify.fd();
}

bool FileFollower::process(FollowSink& sink, size_t max_lines) {
  Impl& impl = *impl_;
  impl.take_events(sink);
  const int64_t now = monotonic_us();
  size_t budget = max_lines;
  const size_t n = impl.files.size();
  // Round robin: a busy file cannot starve the others across calls.
  for (size_t k = 0; k < n; ++k) impl.work((impl.first + k) % n, sink, budget, now);
  if (n > 0) impl.first = (impl.first + 1) % n;
  return impl.pending();
}

int64_t FileFollower::next_deadline_us() const {
  const Impl& impl = *impl_;
  int64_t best = -1;
  const auto consider = [&best](int64_t at) {
    if (best < 0 || at < best) best = at;
  };
  for (const FollowedFile& f : impl.files) {
    if (!f.reader) continue;
    if (f.reader->partial_size() > 0) consider(f.last_growth_us + impl.options.idle_flush_us);
    if (f.drain == Drain::kRenamed || f.drain == Drain::kSibling) {
      consider(f.last_growth_us + impl.options.rotate_grace_us);
    }
  }
  return best;
}

bool FileFollower::on_timer(FollowSink& sink, int64_t now_us) {
  Impl& impl = *impl_;
  for (size_t i = 0; i < impl.files.size(); ++i) {
    FollowedFile& f = impl.files[i];
    if (!f.reader || f.need_read) continue;  // process() reads it first
    try {
      if (f.reader->partial_size() > 0 && now_us - f.last_growth_us >= impl.options.idle_flush_us) {
        impl.flush_idle(i, sink, now_us);
      }
      if ((f.drain == Drain::kRenamed || f.drain == Drain::kSibling) &&
          now_us - f.last_growth_us >= impl.options.rotate_grace_us) {
        f.need_read = true;  // process() reads it to its end and finishes it
      }
    } catch (const Error& e) {
      impl.report_error(i, sink, e.what());
    }
  }
  return impl.pending();
}

SourcePosition FileFollower::position(size_t file) const {
  const FollowedFile& f = impl_->files.at(file);
  return f.reader ? f.reader->position() : f.last_position;
}

int64_t FileFollower::reference_time_us(size_t file) const {
  const FollowedFile& f = impl_->files.at(file);
  return f.reader ? f.reader->mtime_us() : clock_us(CLOCK_REALTIME);
}

}  // namespace vigil::ingest
