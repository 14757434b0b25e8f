#pragma once
// Lines are scheduled on a Timeline (a min-heap on time) by the scenes that produce
// them, in any order, and leave it strictly in time order through a LineWriter,
// which renders the timestamp and counts the lines of every category.

#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "loggen/rng.h"

namespace loggen {

// What a line is, for the statistics: `hit` categories are what a rule pack for
// the host is expected to match (failed or accepted logins, sudo, unit failures,
// application WARN/ERROR); the others are background.
enum class Category : uint8_t {
  kSshFailedPassword,
  kSshInvalidUser,
  kSshMaxAuthTries,
  kSshPreauthUser,  // "Connection closed by invalid user …", "Disconnecting authenticating user …"
  kSshAccepted,
  kPamAuthFailure,  // sshd's pam_unix auth failure, "check pass; user unknown", "PAM n more …"
  kSudoCommand,
  kSudoAuthFailure,
  kSudoIncorrectPassword,
  kSudoNotInSudoers,
  kUnitFailure,
  kKernelOom,
  kPostgresFatal,
  kAppWarn,
  kAppError,
  // Background.
  kSshProbe,
  kSshSession,
  kSudoSession,
  kLogind,
  kCron,
  kSystemd,
  kPostfix,
  kKernel,
  kDhclient,
  kPostgres,
  kRsyslog,
  kAppInfo,
  kAppDebug,
  kCount,
};
constexpr size_t kCategoryCount = static_cast<size_t>(Category::kCount);

std::string_view category_name(Category c);
bool category_is_hit(Category c);

// Who wrote a syslog line: "web1 sshd[812]: …". An empty program marks an
// application log line (timestamp, then the message). Views must outlive the run.
struct Origin {
  std::string_view host;
  std::string_view program;
  int pid = -1;  // -1: no "[pid]"
};

struct Line {
  int64_t time_us = 0;
  uint64_t seq = 0;  // keeps lines with equal times in scheduling order
  Category category = Category::kCount;
  Origin origin;
  std::string message;
};

class Timeline {
 public:
  void add(int64_t time_us, Category category, Origin origin, std::string message);

  bool empty() const { return heap_.empty(); }
  int64_t next_time() const { return heap_.front().time_us; }
  Line pop();

  uint64_t scheduled_lines() const { return scheduled_lines_; }
  uint64_t scheduled_hits() const { return scheduled_hits_; }

 private:
  std::vector<Line> heap_;
  uint64_t next_seq_ = 0;
  uint64_t scheduled_lines_ = 0;
  uint64_t scheduled_hits_ = 0;
};

enum class StampStyle { kRfc3164, kRfc3339, kMixed, kApp };

struct StampPolicy {
  StampStyle style = StampStyle::kRfc3164;
  // Syslog lines at or after this time use RFC 3339, as after rsyslog was switched
  // to its high-precision template.
  int64_t rfc3339_from_us = std::numeric_limits<int64_t>::max();
  // Lines scheduled on whole milliseconds get a stable pseudo-random microsecond
  // part within their millisecond (order kept), as real high-precision stamps have.
  bool fill_microseconds = false;
};

struct Stats {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  std::array<uint64_t, kCategoryCount> per_category{};

  uint64_t hit_lines() const;
};

// Formats timestamps, reusing the date and clock part while the second is the same.
class StampCache {
 public:
  void append_rfc3164(std::string& out, int64_t time_us);
  void append_rfc3339(std::string& out, int64_t time_us);
  void append_app(std::string& out, int64_t time_us);

 private:
  struct Entry {
    int64_t second = std::numeric_limits<int64_t>::min();
    std::string text;
  };
  Entry rfc3164_;
  Entry iso_;  // "2026-11-28T06:25:14"
};

class LineWriter {
 public:
  // `out` stays owned by the caller; `name` is used in error messages. `mix_seed`
  // drives the per-line choice of the mixed style, apart from the generator's own
  // randomness.
  LineWriter(std::FILE* out, std::string name, StampPolicy policy, uint64_t mix_seed);

  void write(const Line& line);
  // Writes what is buffered; throws std::runtime_error when the write fails.
  void flush();

  const Stats& stats() const { return stats_; }

 private:
  void append_stamp(int64_t time_us);

  std::FILE* out_;
  std::string name_;
  StampPolicy policy_;
  Rng mix_rng_;
  StampCache stamps_;
  std::string buffer_;
  Stats stats_;
};

// Writes every line still on the timeline.
void drain(Timeline& timeline, LineWriter& writer);

// "vigil-loggen: label lines=… bytes=… hit_lines=… hit_ratio=…" (and the speed when
// `seconds` > 0), then one line per non-empty category, on `out`.
void print_stats(std::FILE* out, std::string_view label, const Stats& stats, double seconds);

}  // namespace loggen
