#pragma once
// A unit of work for the store: hits and the source positions they were read up
// to. The store commits a batch in one transaction, so positions never run ahead
// of (or behind) the hits they cover.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/position.h"

namespace vigil::store {

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
};

struct BatchSource {
  std::string key;      // identity in the store: an absolute path, or "journal:<dir>"
  std::string display;  // as the user named it, for output
  std::optional<SourcePosition> position;  // reached by this batch, if it advanced
  SourceStats stats;                       // added to the source's totals
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
    Span host, program, unit, rule, severity, message, captures;
  };
  Span keep(std::string_view text);  // the caller has checked the arena's limit
  std::string_view view(Span s) const { return {arena_.data() + s.begin, s.size}; }

  std::vector<BatchSource> sources_;
  std::vector<StoredHit> hits_;
  std::string arena_;
};

}  // namespace vigil::store
