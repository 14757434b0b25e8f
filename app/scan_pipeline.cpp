#include "app/scan_pipeline.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "app/batch_writer.h"
#include "app/journal_scan.h"
#include "core/error.h"
#include "store/source_activity.h"
#include "store/store.h"

namespace vigil::app {
namespace {

// What the store holds of a file: where to resume, and the latest log time
// read (so that a silence across two scans is still seen).
struct Saved {
  std::optional<SourcePosition> position;
  std::optional<int64_t> last_log_ts_us;
};

int64_t wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A checkpoint discarded because the file changed under it: a source event.
std::optional<store::SourceEventRecord> resume_event(ingest::ResumeFrom resumed,
                                                     const std::optional<SourcePosition>& saved) {
  if (resumed == ingest::ResumeFrom::kStart || resumed == ingest::ResumeFrom::kSaved || !saved) {
    return std::nullopt;
  }
  return store::SourceEventRecord{wall_clock_us(), ingest::to_string(resumed),
                                  "checkpoint at line " + std::to_string(saved->line) + " (byte " +
                                      std::to_string(saved->offset) +
                                      ") discarded; read again from the start"};
}

// Reads one file through parser and matcher into batches for the writer.
class FileScanner final : public rules::HitSink {
 public:
  FileScanner(const rules::Matcher& matcher, BatchWriter& writer, ScanSummary& summary)
      : matcher_(matcher), context_(matcher.make_context()), writer_(writer), summary_(summary) {}

  FileSummary scan(const std::string& display, const std::string& key, const Saved& saved,
                   ingest::Format format);

  void on_hit(const Event& event, const rules::Hit& hit) override;

 private:
  void read_into(FileSummary& summary, const std::string& key, const Saved& saved,
                 ingest::Format format);
  bool start_batch(const std::string& display, const std::string& key);
  // Sends the batch with the position reached; `reopen` takes the next one.
  bool flush(const ingest::LineReader& reader, const ingest::LineParser& parser, bool reopen);

  const rules::Matcher& matcher_;
  std::unique_ptr<rules::Matcher::Context> context_;
  BatchWriter& writer_;
  ScanSummary& summary_;

  BatchPtr batch_;
  uint32_t source_ = 0;
  const ingest::Line* line_ = nullptr;
  FileSummary* file_ = nullptr;
  SourcePosition flushed_;         // position at the last flush
  uint64_t flushed_failures_ = 0;  // parser failures at the last flush
  uint64_t lines_since_flush_ = 0;
  store::SourceActivity activity_;  // this file's lines per hour and gaps
  HitRecorder recorder_;
};

bool FileScanner::start_batch(const std::string& display, const std::string& key) {
  batch_ = writer_.take_empty();
  if (!batch_) return false;
  source_ = batch_->add_source(key, display);
  lines_since_flush_ = 0;
  return true;
}

bool FileScanner::flush(const ingest::LineReader& reader, const ingest::LineParser& parser,
                        bool reopen) {
  const SourcePosition position = reader.position();
  store::BatchSource& source = batch_->source(source_);
  source.position = position;
  source.stats.lines = position.line - flushed_.line;
  source.stats.bytes = position.offset - flushed_.offset;
  source.stats.parse_failures = parser.failures() - flushed_failures_;
  activity_.take(source);
  flushed_ = position;
  flushed_failures_ = parser.failures();
  const std::string display = source.display;
  const std::string key = source.key;
  if (!writer_.submit(std::move(batch_))) return false;
  return !reopen || start_batch(display, key);
}

FileSummary FileScanner::scan(const std::string& display, const std::string& key,
                              const Saved& saved, ingest::Format format) {
  FileSummary summary;
  summary.display = display;
  file_ = &summary;
  read_into(summary, key, saved, format);
  // on_hit reads these; they must not outlive this file's scan.
  file_ = nullptr;
  line_ = nullptr;
  return summary;
}

void FileScanner::read_into(FileSummary& summary, const std::string& key, const Saved& saved,
                            ingest::Format format) {
  const std::string& display = summary.display;
  activity_ = store::SourceActivity();
  activity_.resume_after(saved.last_log_ts_us);
  try {
    ingest::LineReader reader(display);
    summary.resumed = reader.resume(saved.position);
    flushed_ = reader.position();
    flushed_failures_ = 0;
    summary.first_line = flushed_.line + 1;
    ingest::LineParser parser(format, display, reader.mtime_us());
    if (!start_batch(display, key)) return;
    if (auto event = resume_event(summary.resumed, saved.position)) {
      batch_->source(source_).events.push_back(std::move(*event));
    }

    ingest::Line line;
    Event event;
    while (reader.next(line)) {
      line_ = &line;
      const bool parsed = parser.parse(line.text, event);
      if (!parsed && summary.first_failure_line == 0) summary.first_failure_line = line.number;
      activity_.add(event.ts_us, parsed);
      if (line.truncated) ++summary.truncated_lines;
      matcher_.match(event, *context_, *this);
      if (batch_is_full(*batch_, ++lines_since_flush_)) {
        if (!flush(reader, parser, true)) return;
      }
    }
    flush(reader, parser, false);
    summary.lines = reader.position().line - (summary.first_line - 1);
    summary.bytes = reader.bytes_read();
    summary.parse_failures = parser.failures();
  } catch (const Error& e) {
    summary.error = e.what();
    if (batch_) writer_.give_back(std::move(batch_));
  }
}

void FileScanner::on_hit(const Event& event, const rules::Hit& hit) {
  recorder_.add(*batch_, event, hit, HitOrigin{source_, line_->number, line_->offset});
  ++summary_.hits_per_rule[hit.rule_index];
  ++summary_.hits;
  ++file_->hits;
}

// The store's identity of a file: its absolute path, so that a re-scan from
// another directory still finds the checkpoint.
std::string source_key(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::weakly_canonical(path, ec);
  if (ec) absolute = std::filesystem::absolute(path).lexically_normal();
  return absolute.string();
}

}  // namespace

bool ScanSummary::ok() const {
  for (const FileSummary& f : files) {
    if (!f.error.empty()) return false;
  }
  return !journal || journal->error.empty();
}

namespace {

void scan_files(const ScanOptions& options, const rules::Matcher& matcher, ScanSummary& summary) {
  // Checkpoints are read before the writer thread takes the connection over.
  std::unique_ptr<store::Store> db;
  std::map<std::string, Saved> saved;
  std::vector<std::pair<std::string, std::string>> files;  // (display, key), duplicates dropped
  if (!options.db_path.empty()) db = store::Store::open(options.db_path);
  if (db && options.alerts != nullptr) options.alerts->rebuild(*db, options.db_path);
  for (const std::string& file : options.files) {
    std::string key = source_key(file);
    const auto [it, added] = saved.try_emplace(key);
    if (!added) continue;  // the same file named twice
    if (db) {
      if (auto totals = db->source(key)) {
        it->second = Saved{totals->position, totals->last_log_ts_us};
      }
    }
    files.emplace_back(file, std::move(key));
  }

  BatchWriter writer(std::move(db), options.json_out, options.alerts);
  FileScanner scanner(matcher, writer, summary);
  for (const auto& [display, key] : files) {
    summary.files.push_back(scanner.scan(display, key, saved[key], options.format));
  }
  writer.finish();
}

}  // namespace

ScanSummary run_scan(const ScanOptions& options, const rules::Matcher& matcher) {
  const auto started = std::chrono::steady_clock::now();
  ScanSummary summary;
  summary.hits_per_rule.assign(matcher.rules().rules.size(), 0);
  if (!options.files.empty()) scan_files(options, matcher, summary);
  // After the files, with a writer (and database connection) of its own.
  if (!options.journal_dir.empty()) summary.journal = scan_journal(options, matcher, summary);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace vigil::app
