#pragma once
// Private to ingest/: turns sd-journal's current entry into an Event.
//
// One pass of sd_journal_enumerate_available_data over the entry's fields picks
// out the ones an Event carries. sd_journal_get_data per field would be simpler,
// but each call searches the entry's fields from the start (MESSAGE, a fresh data
// object, usually comes last): six of them cost about twice one pass (measured on
// bench/journal_bench.sh's journal: 4.3 s against 2.3 s per million entries).
// A pointer from sd-journal is valid only until its next data call, so the values
// kept are copied into buffers reused from entry to entry.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

struct sd_journal;

namespace vigil::ingest {

struct JournalStats;

// Never deleted through FieldLookup (its destructor is protected).
// NOLINTNEXTLINE(cppcoreguidelines-virtual-class-destructor)
class JournalEntryReader final : public FieldLookup {
 public:
  // `extra_fields`: names a rule may ask for, gathered in the same pass.
  JournalEntryReader(std::string_view source, size_t max_message,
                     std::vector<std::string> extra_fields);

  // Fills `out` from the current entry of `journal`; views are valid until the
  // next call. Counts what needed care in `stats`.
  void read(sd_journal* journal, Event& out, JournalStats& stats);

  // Any field of the current entry, by name ("_TRANSPORT", "MESSAGE_ID", ...).
  std::optional<std::string_view> field(std::string_view name) const override;

 private:
  enum Slot : uint8_t {
    kMessage,
    kPriority,
    kUnit,           // _SYSTEMD_UNIT
    kSubjectUnit,    // UNIT: the unit PID 1 talks about
    kIdentifier,     // SYSLOG_IDENTIFIER
    kComm,           // _COMM
    kPid,            // _PID
    kSyslogPid,      // SYSLOG_PID
    kHostname,       // _HOSTNAME
    kStandardSlots,  // extra fields follow
  };
  struct Span {
    uint32_t begin = 0;
    uint32_t size = 0;
    bool found = false;
  };

  bool enumerate(sd_journal* journal, JournalStats& stats);
  void keep(size_t slot, std::string_view value);
  void fetch_missing(sd_journal* journal, JournalStats& stats);
  int slot_of(std::string_view name) const;
  int slot_of_item(std::string_view item) const;
  std::string_view value(size_t slot) const;
  std::optional<std::string_view> value_if_found(size_t slot) const;
  void fill(Event& out, JournalStats& stats);

  std::string_view source_;
  size_t max_message_;
  // Fields gathered in the pass: the standard ones, then up to 23 extras (others
  // are answered by a lookup of their own).
  static constexpr size_t kGatheredSlots = 32;
  std::vector<std::string> names_;             // per slot
  std::array<uint32_t, 256> by_first_byte_{};  // slots whose name starts with the byte
  std::vector<Span> spans_;
  std::string values_;     // the kept values, back to back
  bool complete_ = false;  // the pass saw every field of the entry
  bool message_truncated_ = false;

  // field(): answers not kept by the pass; a deque never moves what it holds.
  sd_journal* journal_ = nullptr;
  mutable std::deque<std::string> answers_;
  mutable size_t answers_used_ = 0;
  mutable std::string name_z_;  // the asked name, NUL-terminated for sd-journal
};

}  // namespace vigil::ingest
