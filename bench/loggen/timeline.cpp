#include "loggen/timeline.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "loggen/timefmt.h"

namespace loggen {
namespace {

struct CategoryInfo {
  std::string_view name;
  bool hit;
};

constexpr std::array<CategoryInfo, kCategoryCount> kCategories = {{
    {"ssh_failed_password", true},
    {"ssh_invalid_user", true},
    {"ssh_max_auth_tries", true},
    {"ssh_preauth_user", true},
    {"ssh_accepted", true},
    {"pam_auth_failure", true},
    {"sudo_command", true},
    {"sudo_auth_failure", true},
    {"sudo_incorrect_password", true},
    {"sudo_not_in_sudoers", true},
    {"unit_failure", true},
    {"kernel_oom", true},
    {"postgres_fatal", true},
    {"app_warn", true},
    {"app_error", true},
    {"ssh_probe", false},
    {"ssh_session", false},
    {"sudo_session", false},
    {"logind", false},
    {"cron", false},
    {"systemd", false},
    {"postfix", false},
    {"kernel", false},
    {"dhclient", false},
    {"postgres", false},
    {"rsyslog", false},
    {"app_info", false},
    {"app_debug", false},
}};

// Min-heap order: earliest time first, then scheduling order.
struct Later {
  bool operator()(const Line& a, const Line& b) const {
    return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
  }
};

constexpr size_t kFlushBytes = size_t{4} << 20;

void append_int(std::string& out, int64_t value) {
  std::array<char, 24> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), result.ptr);
}

}  // namespace

std::string_view category_name(Category c) {
  return kCategories[static_cast<size_t>(c)].name;
}
bool category_is_hit(Category c) {
  return kCategories[static_cast<size_t>(c)].hit;
}

void Timeline::add(int64_t time_us, Category category, Origin origin, std::string message) {
  heap_.push_back(Line{time_us, next_seq_++, category, origin, std::move(message)});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  ++scheduled_lines_;
  if (category_is_hit(category)) ++scheduled_hits_;
}

Line Timeline::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Line line = std::move(heap_.back());
  heap_.pop_back();
  return line;
}

uint64_t Stats::hit_lines() const {
  uint64_t hits = 0;
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if (category_is_hit(static_cast<Category>(i))) hits += per_category[i];
  }
  return hits;
}

namespace {

int64_t second_of(int64_t time_us) {
  return time_us >= 0 ? time_us / kUsPerSec : (time_us - kUsPerSec + 1) / kUsPerSec;
}

void append_fraction(std::string& out, int64_t time_us, int digits) {
  int64_t value = time_us - second_of(time_us) * kUsPerSec;
  for (int i = digits; i < 6; ++i) value /= 10;
  std::array<char, 6> buf{};
  for (int i = digits - 1; i >= 0; --i) {
    buf[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf.data(), static_cast<size_t>(digits));
}

}  // namespace

void StampCache::append_rfc3164(std::string& out, int64_t time_us) {
  const int64_t second = second_of(time_us);
  if (second != rfc3164_.second) {
    rfc3164_.second = second;
    rfc3164_.text.clear();
    loggen::append_rfc3164(rfc3164_.text, second * kUsPerSec);
  }
  out.append(rfc3164_.text);
}

void StampCache::append_rfc3339(std::string& out, int64_t time_us) {
  const int64_t second = second_of(time_us);
  if (second != iso_.second) {
    iso_.second = second;
    iso_.text.clear();
    loggen::append_app_time(iso_.text, second * kUsPerSec);
    iso_.text.resize(iso_.text.size() - 5);  // drop ".000Z"
  }
  out.append(iso_.text);
  out.push_back('.');
  append_fraction(out, time_us, 6);
  out.append("+00:00");
}

void StampCache::append_app(std::string& out, int64_t time_us) {
  const int64_t second = second_of(time_us);
  if (second != iso_.second) {
    iso_.second = second;
    iso_.text.clear();
    loggen::append_app_time(iso_.text, second * kUsPerSec);
    iso_.text.resize(iso_.text.size() - 5);
  }
  out.append(iso_.text);
  out.push_back('.');
  append_fraction(out, time_us, 3);
  out.push_back('Z');
}

LineWriter::LineWriter(std::FILE* out, std::string name, StampPolicy policy, uint64_t mix_seed)
    : out_(out), name_(std::move(name)), policy_(policy), mix_rng_(mix_seed) {
  buffer_.reserve(kFlushBytes + 4096);
}

void LineWriter::append_stamp(int64_t time_us) {
  bool rfc3339 = false;
  switch (policy_.style) {
    case StampStyle::kApp:
      stamps_.append_app(buffer_, time_us);
      return;
    case StampStyle::kRfc3339:
      rfc3339 = true;
      break;
    case StampStyle::kMixed:
      rfc3339 = (mix_rng_.next() >> 63) != 0;
      break;
    case StampStyle::kRfc3164:
      rfc3339 = time_us >= policy_.rfc3339_from_us;
      break;
  }
  if (rfc3339) {
    stamps_.append_rfc3339(buffer_, time_us);
  } else {
    stamps_.append_rfc3164(buffer_, time_us);
  }
}

// Maps a time to one in the same millisecond, keeping the order of times.
int64_t with_filled_microseconds(int64_t time_us) {
  const int64_t milli = time_us >= 0 ? time_us / kUsPerMs : (time_us - kUsPerMs + 1) / kUsPerMs;
  const int64_t within = time_us - milli * kUsPerMs;
  uint64_t z = static_cast<uint64_t>(milli) + 0x9e3779b97f4a7c15ULL;  // splitmix64
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  const auto floor = static_cast<int64_t>((z ^ (z >> 31)) % kUsPerMs);
  return milli * kUsPerMs + floor + within * (kUsPerMs - floor) / kUsPerMs;
}

void LineWriter::write(const Line& line) {
  const size_t start = buffer_.size();
  append_stamp(policy_.fill_microseconds ? with_filled_microseconds(line.time_us) : line.time_us);
  buffer_.push_back(' ');
  if (!line.origin.program.empty()) {
    buffer_.append(line.origin.host);
    buffer_.push_back(' ');
    buffer_.append(line.origin.program);
    if (line.origin.pid >= 0) {
      buffer_.push_back('[');
      append_int(buffer_, line.origin.pid);
      buffer_.push_back(']');
    }
    buffer_.append(": ");
  }
  buffer_.append(line.message);
  buffer_.push_back('\n');
  ++stats_.lines;
  stats_.bytes += buffer_.size() - start;
  ++stats_.per_category[static_cast<size_t>(line.category)];
  if (buffer_.size() >= kFlushBytes) flush();
}

void LineWriter::flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
    throw std::runtime_error(name_ + ": write failed: " + std::generic_category().message(errno));
  }
  buffer_.clear();
  if (std::fflush(out_) != 0) {
    throw std::runtime_error(name_ + ": write failed: " + std::generic_category().message(errno));
  }
}

void drain(Timeline& timeline, LineWriter& writer) {
  while (!timeline.empty()) writer.write(timeline.pop());
}

void print_stats(std::FILE* out, std::string_view label, const Stats& stats, double seconds) {
  const uint64_t hits = stats.hit_lines();
  const double ratio =
      stats.lines == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(stats.lines);
  std::fprintf(
      out, "vigil-loggen: %.*s lines=%llu bytes=%llu hit_lines=%llu hit_ratio=%.6f",
      static_cast<int>(label.size()), label.data(), static_cast<unsigned long long>(stats.lines),
      static_cast<unsigned long long>(stats.bytes), static_cast<unsigned long long>(hits), ratio);
  if (seconds > 0) {
    std::fprintf(out, " seconds=%.3f lines_per_s=%.0f", seconds,
                 static_cast<double>(stats.lines) / seconds);
  }
  std::fputc('\n', out);
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if (stats.per_category[i] == 0) continue;
    const auto c = static_cast<Category>(i);
    const std::string_view name = category_name(c);
    std::fprintf(out, "vigil-loggen:   %-5s %-24.*s %llu\n", category_is_hit(c) ? "hit" : "noise",
                 static_cast<int>(name.size()), name.data(),
                 static_cast<unsigned long long>(stats.per_category[i]));
  }
}

}  // namespace loggen
