#pragma once
// A unit of work for the store: hits and the source positions they were read up
// to. The store commits a batch in one transaction, so positions never run ahead
// of (or behind) the hits they cover.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/position.h"

namespace vigil::store {

// One capture of a hit, by name.
struct NamedValue {
  std::string_view name;
  std::string_view value;
};

// A hit as the pipeline hands it over; strings are borrowed and copied by add_hit.
struct HitView {
  int64_t ts_us = 0;
  uint32_t source = 0;  // index returned by Batch::add_source
  uint64_t line = 0;    // 1-based within the source
  uint64_t offset = 0;  // byte offset of the line
  std::string_view host;
  std::string_view program;
  std::string_view unit;
  int32_t pid = -1;
  std::string_view rule;      // rule id
  std::string_view severity;  // info|low|medium|high|critical
  std::string_view message;
  std::string_view captures_json;  // {"ip":"203.0.113.7",...}
  // For the thresholds, which run on the writer's side: the captures as pairs
  // (not stored as such).
  std::span<const NamedValue> captures;
};

// An alert fired while the batch was committed (see Store::commit).
struct AlertRecord {
  int64_t id = 0;  // set when stored
  std::string threshold;
  std::string title;
  std::string severity;
  std::string key_json;  // {"ip":"203.0.113.77"}
  uint64_t count = 0;
  int64_t first_ts_us = 0;
  int64_t last_ts_us = 0;
  std::vector<int64_t> hit_ids;  // the hits that made it
};

// An audit row: a response considered for an alert, run or not.
struct ActionRecord {
  static constexpr size_t kNoAlert = std::numeric_limits<size_t>::max();
  int64_t id = 0;           // set when stored
  size_t alert = kNoAlert;  // index into the batch's alerts, or
  int64_t alert_id = 0;     // an alert stored before (0: none)
  std::string response;     // the configured response's name
  std::string kind;         // ban_ip, unban_ip, isolate, evidence, notify, restart_unit, command
  std::string key_json;     // the values it acts on: {"ip":"…"}
  std::string argv_json;    // ["ufw","insert","1",…]; [] for built-ins
  bool dry_run = true;
  std::string status;  // planned, dry_run, refused, skipped (then running, done, …)
  std::string reason;  // why refused or skipped
  int64_t due_us = 0;  // not before (µs since the epoch)
};

// Lines a source read in one hour of log time (see store/source_activity.h).
struct HourCount {
  int64_t hour_us = 0;  // start of the UTC hour
  uint64_t lines = 0;
  uint64_t parse_failures = 0;
  int64_t first_ts_us = 0;
  int64_t last_ts_us = 0;
};

// A silence of one source in log time: no line between start and end.
struct GapRecord {
  int64_t start_us = 0;  // the last line before it
  int64_t end_us = 0;    // the line that ended it
};

// Something that happened to a source's file: rotated, truncated, replaced,
// deleted, appeared, resumed-rotated. `ts_us` is wall-clock time.
struct SourceEventRecord {
  int64_t ts_us = 0;
  std::string kind;
  std::string detail;
};

struct BatchSource {
  std::string key;      // identity in the store: an absolute path, or "journal:<dir>"
  std::string display;  // as the user named it, for output
  std::optional<SourcePosition> position;  // reached by this batch, if it advanced
  SourceStats stats;                       // added to the source's totals
  // Committed with the position, so each is stored exactly once.
  std::vector<HourCount> hours;  // added to source_hour
  std::vector<GapRecord> gaps;
  std::vector<SourceEventRecord> events;
};

class Batch {
 public:
  // The largest text a batch holds (spans are 32-bit); commit well before it.
  static constexpr size_t kMaxTextBytes = UINT32_MAX;

  // Returns the index of the source with this key, adding it when it is new.
  uint32_t add_source(std::string key, std::string display);
  BatchSource& source(uint32_t index) { return sources_[index]; }
  const std::vector<BatchSource>& sources() const { return sources_; }

  // Copies every string into the batch's arena. Throws std::out_of_range for an
  // unknown source index, vigil::Error when the text would pass kMaxTextBytes;
  // the batch is unchanged then.
  void add_hit(const HitView& hit);
  size_t hit_count() const { return hits_.size(); }
  // Views into the batch; valid until the next add_hit or clear.
  HitView hit(size_t i) const;
  // Bytes of hit text held: flush on this too, since one hit may carry a 1 MiB line.
  size_t text_bytes() const { return arena_.size(); }

  // The captures of hit i as pairs, into `out` (cleared first).
  void hit_captures(size_t i, std::vector<NamedValue>& out) const;

  // The stored id of hit i, once Store::commit has inserted it (0 before).
  int64_t hit_id(size_t i) const { return i < hit_ids_.size() ? hit_ids_[i] : 0; }
  void set_hit_id(size_t i, int64_t id);

  // Alerts and their actions, added while the batch is committed; the store
  // fills in their ids.
  std::vector<AlertRecord>& alerts() { return alerts_; }
  const std::vector<AlertRecord>& alerts() const { return alerts_; }
  std::vector<ActionRecord>& actions() { return actions_; }
  const std::vector<ActionRecord>& actions() const { return actions_; }

  // Keeps sources (their positions and stats reset) and, up to a limit, capacity.
  void clear();

 private:
  struct Span {
    uint32_t begin = 0;
    uint32_t size = 0;
  };
  struct StoredHit {
    int64_t ts_us = 0;
    uint64_t line = 0;
    uint64_t offset = 0;
    uint32_t source = 0;
    int32_t pid = 0;
    uint32_t first_pair = 0;  // into pairs_
    uint32_t pair_count = 0;
    Span host, program, unit, rule, severity, message, captures;
  };
  Span keep(std::string_view text);  // the caller has checked the arena's limit
  std::string_view view(Span s) const { return {arena_.data() + s.begin, s.size}; }

  std::vector<BatchSource> sources_;
  std::vector<StoredHit> hits_;
  std::vector<std::pair<Span, Span>> pairs_;  // capture names and values
  std::vector<int64_t> hit_ids_;
  std::vector<AlertRecord> alerts_;
  std::vector<ActionRecord> actions_;
  std::string arena_;
};

}  // namespace vigil::store
