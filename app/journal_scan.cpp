#include "app/journal_scan.h"

#include <memory>
#include <optional>

#include "app/batch_writer.h"
#include "core/error.h"
#include "ingest/journal_source.h"
#include "store/source_activity.h"

namespace vigil::app {
namespace {

constexpr size_t kEntriesPerRead = 4096;

// Feeds the journal's entries to the matcher and its hits into batches; a batch
// carries the cursor of the last entry read when it closes.
class JournalScanner final : public ingest::JournalSink, public rules::HitSink {
 public:
  JournalScanner(const rules::Matcher& matcher, BatchWriter& writer, ScanSummary& summary,
                 JournalSummary& journal, std::optional<int64_t> last_log_ts_us)
      : matcher_(matcher),
        context_(matcher.make_context()),
        writer_(writer),
        summary_(summary),
        journal_(journal),
        entry_(journal.first_entry - 1) {
    activity_.resume_after(last_log_ts_us);
  }

  // Reads to the end of the journal (or until the writer fails: finish() says why).
  void run(ingest::JournalSource& source);

  void on_entry(const Event& event) override;
  void on_hit(const Event& event, const rules::Hit& hit) override;

 private:
  bool start_batch();
  void flush(bool reopen);

  const rules::Matcher& matcher_;
  std::unique_ptr<rules::Matcher::Context> context_;
  BatchWriter& writer_;
  ScanSummary& summary_;
  JournalSummary& journal_;
  HitRecorder recorder_;

  ingest::JournalSource* source_ = nullptr;
  BatchPtr batch_;
  uint32_t batch_source_ = 0;
  uint64_t entry_;  // number of the entry being matched, counted across scans
  uint64_t entries_since_flush_ = 0;
  ingest::JournalStats flushed_;    // the source's counters at the last flush
  store::SourceActivity activity_;  // entries per hour and gaps, since the last flush
};

bool JournalScanner::start_batch() {
  batch_ = writer_.take_empty();
  if (!batch_) return false;
  batch_source_ = batch_->add_source(journal_.display, journal_.display);
  entries_since_flush_ = 0;
  return true;
}

void JournalScanner::flush(bool reopen) {
  const ingest::JournalStats& now = source_->stats();
  store::BatchSource& source = batch_->source(batch_source_);
  if (entries_since_flush_ > 0) {
    SourcePosition position;
    position.cursor = source_->cursor();
    position.line = entry_;
    source.position = std::move(position);
  }
  source.stats.lines = entries_since_flush_;
  source.stats.bytes = now.message_bytes - flushed_.message_bytes;
  source.stats.parse_failures = now.missing_message - flushed_.missing_message;
  activity_.take(source);
  flushed_ = now;
  if (writer_.submit(std::move(batch_)) && reopen) start_batch();
}

void JournalScanner::run(ingest::JournalSource& source) {
  source_ = &source;
  flushed_ = source.stats();
  if (!start_batch()) return;
  while (source.read(kEntriesPerRead, *this) == kEntriesPerRead && batch_) {
  }
  if (batch_) flush(false);
}

void JournalScanner::on_entry(const Event& event) {
  if (!batch_) return;  // the writer failed: nothing more is stored
  ++entry_;
  ++entries_since_flush_;
  activity_.add(event.ts_us, event.parsed);
  matcher_.match(event, *context_, *this);
  if (batch_is_full(*batch_, entries_since_flush_)) flush(true);
}

void JournalScanner::on_hit(const Event& event, const rules::Hit& hit) {
  recorder_.add(*batch_, event, hit, HitOrigin{batch_source_, entry_, 0});
  ++summary_.hits_per_rule[hit.rule_index];
  ++summary_.hits;
  ++journal_.hits;
}

void copy_counts(const ingest::JournalStats& stats, JournalSummary& journal) {
  journal.entries = stats.entries;
  journal.message_bytes = stats.message_bytes;
  journal.missing_message = stats.missing_message;
  journal.binary_message = stats.binary_message;
  journal.truncated_message = stats.truncated_message;
  journal.unreadable_fields = stats.unreadable_fields;
}

}  // namespace

JournalSummary scan_journal(const ScanOptions& options, const rules::Matcher& matcher,
                            ScanSummary& summary) {
  JournalSummary journal;
  journal.display = ingest::journal_source_name(options.journal_dir);
  ingest::JournalOptions source_options;
  source_options.directory = options.journal_dir;
  source_options.start.from_head = true;

  std::unique_ptr<store::Store> db;
  std::optional<int64_t> last_log_ts_us;
  if (!options.db_path.empty()) {
    db = store::Store::open(options.db_path);
    if (options.alerts != nullptr) options.alerts->rebuild(*db, options.db_path);
    const auto totals = db->source(journal.display);
    if (totals && !totals->position.cursor.empty()) {
      source_options.start.after_cursor = totals->position.cursor;
      journal.resumed = true;
      journal.first_entry = totals->stats.lines + 1;
    }
    if (totals) last_log_ts_us = totals->last_log_ts_us;
  }

  BatchWriter writer(std::move(db), options.json_out, options.alerts);
  try {
    ingest::JournalSource source(source_options);
    JournalScanner scanner(matcher, writer, summary, journal, last_log_ts_us);
    try {
      scanner.run(source);
    } catch (const Error& e) {  // a read failed midway: what was read counts
      journal.error = e.what();
    }
    copy_counts(source.stats(), journal);
  } catch (const Error& e) {  // the journal could not be opened
    journal.error = e.what();
  }
  writer.finish();
  return journal;
}

}  // namespace vigil::app
