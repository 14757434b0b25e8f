#pragma once
// Reads systemd's journal through libsystemd's sd-journal: this machine's journal,
// or a directory of journal files (what systemd-journal-remote writes on a
// collector; every event then names its sending host from _HOSTNAME). Resumes
// after a cursor and follows new entries through fd() and process().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"

namespace vigil::ingest {

// Which entries to read. Units and identifiers add up (an entry of any listed unit
// or identifier is read); the priority bound then applies to all. Nothing listed:
// every entry.
struct JournalFilter {
  // As `journalctl -u`: entries of the unit's processes (_SYSTEMD_UNIT=), and what
  // systemd itself says about the unit (UNIT= from PID 1: "Failed with result ...").
  std::vector<std::string> units;
  std::vector<std::string> identifiers;  // SYSLOG_IDENTIFIER=
  // 0-7: only entries with PRIORITY at or below it (as `journalctl -p`; entries
  // without a PRIORITY field are then not read). -1: any priority.
  int max_priority = -1;
};

// Where reading starts; the first of these that is set wins.
struct JournalStart {
  std::string after_cursor;         // the entry after this one (a saved position)
  std::optional<int64_t> since_us;  // the first entry at or after this time
  bool from_head = false;           // the oldest entry; false: only entries to come
};

struct JournalOptions {
  // Empty: this machine's journal, as `journalctl` shows it (SD_JOURNAL_LOCAL_ONLY:
  // journals of other machines that sit below /var/log/journal, such as
  // systemd-journal-remote's, are left to a source of their own).
  std::string directory;
  JournalFilter filter;
  JournalStart start;
  // Set up change notification at open, so that no entry or file that appears
  // before the first fd()/process() is missed.
  bool follow = false;
  // Longer MESSAGE values are cut to this (as the file reader cuts 1 MiB lines).
  size_t max_message = size_t{1} << 20;
  // Fields beyond the Event's own that rules read (Event::fields): gathered in the
  // same pass over the entry. Other names are answered too, by a lookup each.
  std::vector<std::string> fields;
};

// What read() has seen since open. An entry is always delivered; these count the
// ones that needed care.
struct JournalStats {
  uint64_t entries = 0;
  uint64_t message_bytes = 0;
  uint64_t missing_message = 0;    // no MESSAGE field: delivered with an empty message
  uint64_t binary_message = 0;     // MESSAGE not valid UTF-8, or holding NUL bytes
  uint64_t truncated_message = 0;  // longer than max_message: its first part delivered
  uint64_t unreadable_fields = 0;  // a field the journal could not return (corrupt data)
};

// Receives the entries read. The Event, its views and its field lookup are valid
// only during the call.
class JournalSink {
 public:
  virtual void on_entry(const Event& event) = 0;

 protected:
  ~JournalSink() = default;
};

enum class JournalChange {
  kNone,          // nothing new
  kAppended,      // entries were added
  kFilesChanged,  // files appeared or went away (rotation): read() picks them up
};

// "journal" for this machine's journal; "journal:DIR" for a directory, DIR made
// absolute and canonical, so that every spelling of a directory names one source
// (and one saved position).
std::string journal_source_name(const std::string& directory);

class JournalSource {
 public:
  // Opens and positions the journal. Throws vigil::Error naming the journal (or the
  // bad cursor or filter) on failure. A directory without journal files is not an
  // error: it reads as empty until files appear.
  explicit JournalSource(const JournalOptions& options);
  ~JournalSource();
  JournalSource(const JournalSource&) = delete;
  JournalSource& operator=(const JournalSource&) = delete;

  // journal_source_name(options.directory): the Event::source of every entry.
  const std::string& name() const;

  // Delivers up to `max_entries` entries that follow the last one read, in time
  // order across files. Returns how many; fewer than `max_entries` means the end of
  // the journal was reached (for now: entries written later are read later).
  // Throws vigil::Error when the journal cannot be read.
  size_t read(size_t max_entries, JournalSink& sink);

  // The cursor of the last entry read (or passed over at start), to resume after
  // it; empty before any. Fetched on each call (it allocates): ask per batch.
  std::string cursor() const;

  // For the caller's poll/epoll loop: readable when the journal changed. Call
  // process() then, and read() until it returns fewer entries than asked.
  int fd() const;
  JournalChange process();
  // The latest time (CLOCK_MONOTONIC, µs) by which process() must be called even
  // if fd() stays quiet (journals on file systems without inotify); nullopt: none.
  std::optional<uint64_t> wakeup_deadline_us() const;

  const JournalStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::ingest
