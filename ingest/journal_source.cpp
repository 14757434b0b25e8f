#include "ingest/journal_source.h"

#include <systemd/sd-journal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "ingest/journal_entry.h"

namespace vigil::ingest {
namespace {

constexpr std::string_view kMessagePrefix = "MESSAGE=";

[[noreturn]] void fail(const std::string& source, const std::string& what, int negative_errno) {
  throw Error(source + ": " + what + ": " + errno_message(-negative_errno));
}

sd_journal* open_journal(const JournalOptions& options, const std::string& name) {
  sd_journal* journal = nullptr;
  const int r = options.directory.empty()
                    ? sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY)
                    : sd_journal_open_directory(&journal, options.directory.c_str(), 0);
  if (r < 0) fail(name, "cannot open the journal", r);
  return journal;
}

void add_match(sd_journal* journal, const std::string& name, std::string_view field,
               std::string_view value) {
  std::string match(field);
  match += '=';
  match += value;
  const int r = sd_journal_add_match(journal, match.data(), match.size());
  if (r < 0) fail(name, "cannot filter on " + match, r);
}

// (units ∨ identifiers) ∧ priority. Within one term sd-journal ORs the values of a
// field and ANDs different fields; add_disjunction starts another OR'ed term,
// add_conjunction another AND'ed group.
void add_filter(sd_journal* journal, const JournalFilter& filter, const std::string& name) {
  if (filter.max_priority < -1 || filter.max_priority > 7) {
    throw Error(name + ": a priority bound is 0 (emerg) to 7 (debug), not " +
                std::to_string(filter.max_priority));
  }
  bool term_open = false;
  auto start_term = [&] {
    const int r = term_open ? sd_journal_add_disjunction(journal) : 0;
    if (r < 0) fail(name, "cannot combine filters", r);
    term_open = true;
  };
  if (!filter.units.empty()) {
    start_term();
    for (const std::string& unit : filter.units) add_match(journal, name, "_SYSTEMD_UNIT", unit);
    start_term();  // what systemd (PID 1) says about the unit
    for (const std::string& unit : filter.units) add_match(journal, name, "UNIT", unit);
    add_match(journal, name, "_PID", "1");
  }
  if (!filter.identifiers.empty()) {
    start_term();
    for (const std::string& id : filter.identifiers) {
      add_match(journal, name, "SYSLOG_IDENTIFIER", id);
    }
  }
  if (filter.max_priority >= 0) {
    const int r = term_open ? sd_journal_add_conjunction(journal) : 0;
    if (r < 0) fail(name, "cannot combine filters", r);
    for (int p = 0; p <= filter.max_priority; ++p) {
      add_match(journal, name, "PRIORITY", std::to_string(p));
    }
  }
}

}  // namespace

std::string journal_source_name(const std::string& directory) {
  if (directory.empty()) return "journal";
  std::error_code ec;
  std::filesystem::path path = std::filesystem::weakly_canonical(directory, ec);
  if (ec) path = std::filesystem::absolute(directory, ec).lexically_normal();
  std::string text = ec ? directory : path.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return "journal:" + text;
}

struct JournalSource::Impl {
  explicit Impl(const JournalOptions& options)
      : name(journal_source_name(options.directory)),
        journal(open_journal(options, name)),
        entry(name, options.max_message, options.fields) {}
  ~Impl() { sd_journal_close(journal); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void start(const JournalStart& at);
  bool next();
  void remember_cursor() const;

  const std::string name;  // Events view it: never changes
  sd_journal* const journal;
  JournalEntryReader entry;
  JournalStats stats;
  std::string start_cursor;
  bool check_start_cursor = false;  // the next entry may be start_cursor's own
  bool positioned = false;          // the current entry was read or passed over
  mutable std::string cursor;       // of the current entry, when cursor_fresh
  mutable bool cursor_fresh = false;
};

void JournalSource::Impl::start(const JournalStart& at) {
  int r = 0;
  if (!at.after_cursor.empty()) {
    r = sd_journal_seek_cursor(journal, at.after_cursor.c_str());
    if (r < 0) fail(name, "cannot resume after cursor '" + at.after_cursor + "'", r);
    start_cursor = at.after_cursor;
    check_start_cursor = true;
  } else if (at.since_us) {
    r = sd_journal_seek_realtime_usec(journal,
                                      static_cast<uint64_t>(std::max<int64_t>(0, *at.since_us)));
  } else if (at.from_head) {
    r = sd_journal_seek_head(journal);
  } else {
    // sd_journal_next right after seek_tail does not reliably mean "what comes
    // next" (systemd issue #9934): stand on the last entry instead. With none
    // (or none that passes the filter), everything that arrives is new: the head.
    r = sd_journal_seek_tail(journal);
    if (r >= 0) r = sd_journal_previous(journal);
    if (r > 0) positioned = true;
    if (r == 0) r = sd_journal_seek_head(journal);
  }
  if (r < 0) fail(name, "cannot seek in the journal", r);
}

bool JournalSource::Impl::next() {
  for (;;) {
    const int r = sd_journal_next(journal);
    if (r < 0) fail(name, "cannot read the journal", r);
    if (r == 0) return false;
    positioned = true;
    cursor_fresh = false;
    if (check_start_cursor) {
      check_start_cursor = false;
      // The saved entry itself, when it still exists: read already.
      if (sd_journal_test_cursor(journal, start_cursor.c_str()) > 0) continue;
    }
    return true;
  }
}

// Files may go away in sd_journal_process (rotation, vacuum), and the current
// entry's cursor with them: fetch it before.
void JournalSource::Impl::remember_cursor() const {
  if (!positioned || cursor_fresh) return;
  char* text = nullptr;
  if (sd_journal_get_cursor(journal, &text) >= 0) {
    cursor = text;
    cursor_fresh = true;
  }
  std::free(text);
}

JournalSource::JournalSource(const JournalOptions& options)
    : impl_(std::make_unique<Impl>(options)) {
  Impl& d = *impl_;
  if (options.max_message == 0 || options.max_message > (size_t{1} << 30)) {
    throw Error(d.name + ": the message limit must be 1 byte to 1 GiB");
  }
  // sd-journal cuts compressed fields at its threshold (64 KiB by default): ask for
  // one byte more than we keep, so that a longer message is known to be cut.
  int r = sd_journal_set_data_threshold(d.journal, kMessagePrefix.size() + options.max_message + 1);
  if (r < 0) fail(d.name, "cannot set the field size limit", r);
  add_filter(d.journal, options.filter, d.name);
  if (options.follow && (r = sd_journal_get_fd(d.journal)) < 0) {
    fail(d.name, "cannot watch the journal for changes", r);
  }
  d.start(options.start);
}

JournalSource::~JournalSource() = default;

const std::string& JournalSource::name() const {
  return impl_->name;
}

size_t JournalSource::read(size_t max_entries, JournalSink& sink) {
  Impl& d = *impl_;
  size_t count = 0;
  Event event;
  while (count < max_entries && d.next()) {
    d.entry.read(d.journal, event, d.stats);
    ++d.stats.entries;
    ++count;
    sink.on_entry(event);
  }
  return count;
}

std::string JournalSource::cursor() const {
  const Impl& d = *impl_;
  if (!d.positioned) return d.start_cursor;
  d.remember_cursor();
  return d.cursor;
}

int JournalSource::fd() const {
  const int r = sd_journal_get_fd(impl_->journal);
  if (r < 0) fail(impl_->name, "cannot watch the journal for changes", r);
  return r;
}

JournalChange JournalSource::process() {
  impl_->remember_cursor();
  const int r = sd_journal_process(impl_->journal);
  if (r < 0) fail(impl_->name, "cannot process journal changes", r);
  if (r == SD_JOURNAL_APPEND) return JournalChange::kAppended;
  if (r == SD_JOURNAL_INVALIDATE) return JournalChange::kFilesChanged;
  return JournalChange::kNone;
}

std::optional<uint64_t> JournalSource::wakeup_deadline_us() const {
  uint64_t deadline = 0;
  const int r = sd_journal_get_timeout(impl_->journal, &deadline);
  if (r < 0) fail(impl_->name, "cannot get the journal's timeout", r);
  if (deadline == std::numeric_limits<uint64_t>::max()) return std::nullopt;
  return deadline;
}

const JournalStats& JournalSource::stats() const {
  return impl_->stats;
}

}  // namespace vigil::ingest
