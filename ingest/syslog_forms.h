#pragma once
// The pieces of the three syslog line forms (private to ingest/). Each takes the
// line and the index where its piece starts, fills `out` with views into the line,
// and allocates nothing.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/event.h"
#include "core/time.h"

namespace vigil::ingest::detail {

// RFC 3164 lines carry no year. The year is the one that puts a line at or before
// the reference time plus a day; `YearLimit` is that bound, split so that a line
// needs one integer comparison. The bound is compared in UTC against local fields:
// the day of slack absorbs the zone offset.
struct YearLimit {
  int year = 1970;
  int64_t within_year = 0;  // month, day and time of day, packed by `pack_within_year`

  bool operator==(const YearLimit&) const = default;
};
YearLimit year_limit(int64_t reference_time_us);
int64_t pack_within_year(int month, int day, int hour, int minute, int second);

// "<34>": the priority (PRI & 7); `pos` moves past '>'.
bool parse_pri(std::string_view line, size_t& pos, int8_t& priority);

// The last RFC 3164 time parsed, as written and as civil fields. Consecutive
// lines mostly share their second, and comparing 15 bytes is far cheaper than
// parsing them again (measured: ~3% of a scan's instructions).
struct Rfc3164Memo {
  std::array<char, 16> text{};
  size_t length = 0;  // 0: nothing remembered
  YearLimit limit;
  CivilTime time;
};

// "Nov 28 06:25:14" or "Nov  3 06:25:14" in local time; `pos` moves past it.
bool parse_rfc3164_time(std::string_view line, size_t& pos, const YearLimit& limit,
                        LocalTimeConverter& local, Rfc3164Memo& memo, int64_t& ts_us);

// "web1 sshd[812]: message" (also "web1 kernel: ...", or a bare message after the
// host) starting at `pos`: host, program, pid and message. A first token that is
// itself a tag ("sshd[812]:") means the writer left the host out.
bool parse_origin(std::string_view line, size_t pos, Event& out);

// "1 2026-11-28T06:25:14.003Z web1 sshd 812 ID47 [sd] message" from the version on.
// A NILVALUE time takes `fallback_ts_us`; structured data is skipped (Event has no
// place for it), a BOM before the message is dropped.
bool parse_rfc5424(std::string_view line, size_t pos, LocalTimeConverter& local,
                   int64_t fallback_ts_us, Event& out);

}  // namespace vigil::ingest::detail
