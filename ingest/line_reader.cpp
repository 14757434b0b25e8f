#include "ingest/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace vigil::ingest {
namespace {

constexpr size_t kBlockSize = size_t{256} * 1024;
constexpr uint32_t kFingerprintMax = 1024;
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t fnv1a(uint64_t hash, const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= kFnvPrime;
  }
  return hash;
}

[[noreturn]] void throw_errno(const std::string& path) {
  throw Error(path + ": " + errno_message(errno));
}

}  // namespace

const char* to_string(ResumeFrom why) {
  switch (why) {
    case ResumeFrom::kStart:
      return "start";
    case ResumeFrom::kSaved:
      return "saved";
    case ResumeFrom::kRotated:
      return "rotated";
    case ResumeFrom::kTruncated:
      return "truncated";
    case ResumeFrom::kReplaced:
      return "replaced";
  }
  return "unknown";
}

// The buffer holds [pos, end): file bytes that end at file offset `read_off`. It
// has room for a whole line of max_line (+2 for "\r\n") and a block after it, so
// a line is never split across two buffers and memory stays bounded.
struct LineReader::Impl {
  std::string path;
  int fd = -1;
  size_t max_line = 0;
  size_t capacity = 0;
  // Left uninitialised: a container would zero (and so touch) every page.
  std::unique_ptr<char[]> buf;  // NOLINT(modernize-avoid-c-arrays)
  size_t pos = 0;
  size_t end = 0;
  size_t scanned = 0;     // [pos, scanned) holds no '\n': memchr resumes there
  uint64_t read_off = 0;  // file offset of buf[end]
  uint64_t next_off = 0;  // file offset just after the last returned line
  uint64_t base_off = 0;  // where this read started (open or resume)
  uint64_t lines = 0;
  struct stat st {};
  uint32_t fp_len = 0;
  uint64_t fp = kFnvOffset;
  bool hold = false;      // keep a last line without newline (following)
  bool skipping = false;  // hold mode: a cut line's rest is still being skipped

  size_t read_at(char* dst, size_t size, uint64_t offset) const;
  void refresh_stat();
  uint64_t hash_prefix(uint32_t len, uint32_t& got) const;
  void update_fingerprint();
  void reset(uint64_t offset, uint64_t line);
  void compact();
  bool fill();
  void emit(size_t start, size_t stop, bool newline, Line& out);
  void emit_cut(Line& out);
  bool skip_rest();
};

size_t LineReader::Impl::read_at(char* dst, size_t size, uint64_t offset) const {
  for (;;) {
    const ssize_t n = ::pread(fd, dst, size, static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) throw_errno(path);
  }
}

void LineReader::Impl::refresh_stat() {
  if (::fstat(fd, &st) != 0) throw_errno(path);
}

// FNV-1a of the first `len` bytes; `got` says how many the file had.
uint64_t LineReader::Impl::hash_prefix(uint32_t len, uint32_t& got) const {
  uint64_t hash = kFnvOffset;
  std::array<char, 4096> chunk{};
  got = 0;
  while (got < len) {
    const size_t want = std::min<size_t>(chunk.size(), len - got);
    const size_t n = read_at(chunk.data(), want, got);
    if (n == 0) break;
    hash = fnv1a(hash, chunk.data(), n);
    got += static_cast<uint32_t>(n);
  }
  return hash;
}

// A file that was short at open grows: widen the fingerprint up to its maximum so
// that a replaced file is told by more than its first few bytes.
void LineReader::Impl::update_fingerprint() {
  const auto want = static_cast<uint32_t>(
      std::min<uint64_t>(kFingerprintMax, std::max<uint64_t>(read_off, st.st_size)));
  if (want <= fp_len) return;
  uint32_t got = 0;
  const uint64_t hash = hash_prefix(want, got);
  fp = hash;
  fp_len = got;
}

void LineReader::Impl::reset(uint64_t offset, uint64_t line) {
  pos = end = scanned = 0;
  read_off = next_off = base_off = offset;
  lines = line;
  skipping = false;
  fp_len = 0;
  fp = kFnvOffset;
  update_fingerprint();
}

// Moves the unreturned bytes (a partial line) to the front of the buffer.
void LineReader::Impl::compact() {
  if (pos == 0) return;
  std::memmove(buf.get(), buf.get() + pos, end - pos);
  end -= pos;
  scanned -= pos;
  pos = 0;
}

// Reads a block after the partial line; false at EOF.
bool LineReader::Impl::fill() {
  compact();
  const size_t n = read_at(buf.get() + end, capacity - end, read_off);
  if (n == 0) return false;
  end += n;
  read_off += n;
  if (fp_len < kFingerprintMax) update_fingerprint();
  return true;
}

// Returns [start, stop) as the next line; `newline` says a '\n' follows it.
void LineReader::Impl::emit(size_t start, size_t stop, bool newline, Line& out) {
  size_t len = stop - start;
  if (len > 0 && buf[start + len - 1] == '\r') --len;
  out.truncated = len > max_line;
  out.text = std::string_view(buf.get() + start, out.truncated ? max_line : len);
  out.offset = read_off - (end - start);
  out.number = ++lines;
  pos = scanned = stop + (newline ? 1 : 0);
  next_off = read_off - (end - pos);
}

// The line at `pos` is longer than max_line and its newline is not in the buffer:
// returns its first max_line bytes and reads on, without keeping them, to the byte
// after its newline. The bytes after max_line in the buffer serve as scratch.
void LineReader::Impl::emit_cut(Line& out) {
  compact();
  out.truncated = true;
  out.text = std::string_view(buf.get(), max_line);
  out.offset = read_off - end;
  out.number = ++lines;
  char* const scratch = buf.get() + max_line;
  const char* newline = nullptr;  // next() found none in what the buffer holds
  while (newline == nullptr) {
    end = max_line;
    const size_t n = read_at(scratch, capacity - max_line, read_off);
    if (n == 0) break;  // the line ends at EOF
    end += n;
    read_off += n;
    newline = static_cast<const char*>(std::memchr(scratch, '\n', n));
  }
  // Held: the newline may still come; skip the rest when it is written.
  skipping = hold && newline == nullptr;
  pos = scanned = newline == nullptr ? end : static_cast<size_t>(newline - buf.get()) + 1;
  next_off = read_off - (end - pos);
}

// Hold mode: goes on skipping a cut line's rest; true once its newline was read.
bool LineReader::Impl::skip_rest() {
  pos = end = scanned = 0;
  for (;;) {
    const size_t n = read_at(buf.get(), capacity, read_off);
    if (n == 0) return false;
    read_off += n;
    if (fp_len < kFingerprintMax) update_fingerprint();
    const void* newline = std::memchr(buf.get(), '\n', n);
    next_off = read_off;
    if (newline != nullptr) {
      end = n;
      pos = scanned = static_cast<size_t>(static_cast<const char*>(newline) - buf.get()) + 1;
      next_off = read_off - (end - pos);
      skipping = false;
      return true;
    }
  }
}

LineReader::LineReader(const std::string& path, size_t max_line) : impl_(std::make_unique<Impl>()) {
  Impl& r = *impl_;
  r.path = path;
  r.max_line = std::max<size_t>(max_line, 1);
  r.capacity = r.max_line + 2 + kBlockSize;
  r.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r.fd < 0) throw_errno(path);
  try {
    r.refresh_stat();
    if (S_ISDIR(r.st.st_mode)) throw Error(path + ": " + errno_message(EISDIR));
    ::posix_fadvise(r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    r.buf = std::make_unique_for_overwrite<char[]>(r.capacity);  // NOLINT(modernize-avoid-c-arrays)
    r.reset(0, 0);
  } catch (...) {
    ::close(r.fd);
    throw;
  }
}

LineReader::~LineReader() {
  ::close(impl_->fd);
}

ResumeFrom LineReader::resume(const std::optional<SourcePosition>& saved) {
  Impl& r = *impl_;
  r.refresh_stat();
  ResumeFrom why = ResumeFrom::kSaved;
  if (!saved) {
    why = ResumeFrom::kStart;
  } else if (saved->dev != r.st.st_dev || saved->ino != r.st.st_ino) {
    why = ResumeFrom::kRotated;
  } else if (static_cast<uint64_t>(r.st.st_size) < saved->offset) {
    why = ResumeFrom::kTruncated;
  } else if (saved->fingerprint_len > 0) {
    // A hash of no bytes says nothing: an empty file's position always fits.
    uint32_t got = 0;
    const uint64_t hash = r.hash_prefix(saved->fingerprint_len, got);
    if (got < saved->fingerprint_len || hash != saved->fingerprint) why = ResumeFrom::kReplaced;
  }
  if (why == ResumeFrom::kSaved) {
    r.reset(saved->offset, saved->line);
  } else {
    r.reset(0, 0);
  }
  return why;
}

bool LineReader::next(Line& out) {
  Impl& r = *impl_;
  if (r.skipping && !r.skip_rest()) return false;
  for (;;) {
    const size_t from = std::max(r.pos, r.scanned);
    const void* newline =
        from < r.end ? std::memchr(r.buf.get() + from, '\n', r.end - from) : nullptr;
    if (newline != nullptr) {
      r.emit(r.pos, static_cast<size_t>(static_cast<const char*>(newline) - r.buf.get()), true,
             out);
      return true;
    }
    r.scanned = r.end;
    // max_line + 2: a line of exactly max_line bytes may still end in "\r\n".
    if (r.end - r.pos >= r.max_line + 2) {
      r.emit_cut(out);
      return true;
    }
    if (!r.fill()) break;
  }
  if (r.pos == r.end || r.hold) return false;
  r.emit(r.pos, r.end, false, out);  // a last line without a newline
  return true;
}

void LineReader::set_hold_partial(bool hold) {
  impl_->hold = hold;
}

bool LineReader::flush_partial(Line& out) {
  Impl& r = *impl_;
  if (r.skipping || r.pos == r.end) return false;
  r.emit(r.pos, r.end, false, out);
  return true;
}

size_t LineReader::partial_size() const {
  return impl_->skipping ? 0 : impl_->end - impl_->pos;
}

bool LineReader::unchanged() {
  Impl& r = *impl_;
  r.refresh_stat();
  if (static_cast<uint64_t>(r.st.st_size) < r.read_off) return false;
  if (r.fp_len == 0) return true;
  uint32_t got = 0;
  const uint64_t hash = r.hash_prefix(r.fp_len, got);
  return got == r.fp_len && hash == r.fp;
}

uint64_t LineReader::file_size() {
  impl_->refresh_stat();
  return static_cast<uint64_t>(impl_->st.st_size);
}

int LineReader::fd() const {
  return impl_->fd;
}

SourcePosition LineReader::position() const {
  SourcePosition p;
  p.dev = impl_->st.st_dev;
  p.ino = impl_->st.st_ino;
  p.offset = impl_->next_off;
  p.line = impl_->lines;
  p.fingerprint_len = impl_->fp_len;
  p.fingerprint = impl_->fp;
  return p;
}

int64_t LineReader::mtime_us() const {
  const struct timespec& m = impl_->st.st_mtim;
  return static_cast<int64_t>(m.tv_sec) * 1'000'000 + m.tv_nsec / 1000;
}

uint64_t LineReader::bytes_read() const {
  return impl_->next_off - impl_->base_off;
}

}  // namespace vigil::ingest
