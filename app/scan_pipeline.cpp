#include "app/scan_pipeline.h"

#include <cerrno>
#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "app/bounded_queue.h"
#include "app/hit_json.h"
#include "app/journal_scan.h"
#include "core/error.h"
#include "core/text.h"
#include "store/store.h"

namespace vigil::app {
namespace {

using BatchPtr = std::unique_ptr<store::Batch>;

// A batch closes at this many hits, lines or bytes of hit text, whichever comes
// first: large enough to amortise a transaction, small enough to keep memory flat
// (hits on 1 MiB lines would otherwise make a batch of gigabytes).
constexpr size_t kBatchHits = 4096;
constexpr uint64_t kBatchLines = uint64_t{1} << 18;
constexpr size_t kBatchTextBytes = size_t{8} << 20;
constexpr size_t kBatchesInFlight = 3;

// Owns the database connection and the JSON output, on a thread of its own.
// Batches circulate: the reader fills an empty one, the writer drains and returns it.
class Writer {
 public:
  Writer(std::unique_ptr<store::Store> db, std::FILE* json_out)
      : db_(std::move(db)), json_out_(json_out) {
    for (size_t i = 0; i < kBatchesInFlight; ++i) empty_.push(std::make_unique<store::Batch>());
    thread_ = std::thread([this] { loop(); });
  }
  ~Writer() {
    if (thread_.joinable()) finish_quietly();
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Null when the writer has failed; finish() then reports why.
  BatchPtr take_empty() { return empty_.pop().value_or(nullptr); }
  bool submit(BatchPtr batch) { return full_.push(std::move(batch)); }
  // A batch abandoned unsent (its file failed mid-read) goes back to the pool.
  void give_back(BatchPtr batch) {
    batch->clear();
    empty_.push(std::move(batch));
  }

  // Drains what was submitted; rethrows the writer's failure, if any.
  void finish() {
    finish_quietly();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void finish_quietly() {
    full_.close();
    thread_.join();
  }

  void loop() {
    while (auto batch = full_.pop()) {
      try {
        if (db_) db_->commit(**batch);
        if (json_out_ != nullptr) write_json(**batch);
      } catch (...) {
        error_ = std::current_exception();
        full_.close();
        empty_.close();
        return;
      }
      (*batch)->clear();
      empty_.push(std::move(*batch));
    }
  }

  void write_json(const store::Batch& batch) {
    json_.clear();
    for (size_t i = 0; i < batch.hit_count(); ++i) {
      const store::HitView hit = batch.hit(i);
      append_hit_json(json_, hit, batch.sources()[hit.source].display);
    }
    // A failed write (disk full, closed pipe) must not lose hits silently.
    if (std::fwrite(json_.data(), 1, json_.size(), json_out_) != json_.size()) {
      throw Error("cannot write the JSON output: " + errno_message(errno));
    }
  }

  std::unique_ptr<store::Store> db_;
  std::FILE* json_out_;
  BoundedQueue<BatchPtr> full_{kBatchesInFlight};
  BoundedQueue<BatchPtr> empty_{kBatchesInFlight};
  std::exception_ptr error_;
  std::string json_;
  std::thread thread_;
};

// Text from a log line may be any bytes; what we store and print is UTF-8.
std::string_view clean(std::string_view text, std::string& scratch) {
  if (is_clean_utf8(text)) return text;
  scratch.clear();
  append_sanitized_utf8(scratch, text);
  return scratch;
}

// Reads one file through parser and matcher into batches for the writer.
class FileScanner final : public rules::HitSink {
 public:
  FileScanner(const rules::Matcher& matcher, Writer& writer, ScanSummary& summary)
      : matcher_(matcher), context_(matcher.make_context()), writer_(writer), summary_(summary) {}

  FileSummary scan(const std::string& display, const std::string& key,
                   const std::optional<SourcePosition>& saved, ingest::Format format);

  void on_hit(const Event& event, const rules::Hit& hit) override;

 private:
  void read_into(FileSummary& summary, const std::string& key,
                 const std::optional<SourcePosition>& saved, ingest::Format format);
  bool start_batch(const std::string& display, const std::string& key);
  // Sends the batch with the position reached; `reopen` takes the next one.
  bool flush(const ingest::LineReader& reader, const ingest::LineParser& parser, bool reopen);

  const rules::Matcher& matcher_;
  std::unique_ptr<rules::Matcher::Context> context_;
  Writer& writer_;
  ScanSummary& summary_;

  BatchPtr batch_;
  uint32_t source_ = 0;
  const ingest::Line* line_ = nullptr;
  FileSummary* file_ = nullptr;
  SourcePosition flushed_;         // position at the last flush
  uint64_t flushed_failures_ = 0;  // parser failures at the last flush
  uint64_t lines_since_flush_ = 0;
  std::string captures_json_, clean_message_, clean_host_, clean_program_, clean_unit_;
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
  flushed_ = position;
  flushed_failures_ = parser.failures();
  const std::string display = source.display;
  const std::string key = source.key;
  if (!writer_.submit(std::move(batch_))) return false;
  return !reopen || start_batch(display, key);
}

FileSummary FileScanner::scan(const std::string& display, const std::string& key,
                              const std::optional<SourcePosition>& saved, ingest::Format format) {
  FileSummary summary;
  summary.display = display;
  file_ = &summary;
  read_into(summary, key, saved, format);
  // on_hit reads these; they must not outlive this file's scan.
  file_ = nullptr;
  line_ = nullptr;
  return summary;
}

void FileScanner::read_into(FileSummary& summary, const std::string& key,
                            const std::optional<SourcePosition>& saved, ingest::Format format) {
  const std::string& display = summary.display;
  try {
    ingest::LineReader reader(display);
    summary.resumed = reader.resume(saved);
    flushed_ = reader.position();
    flushed_failures_ = 0;
    summary.first_line = flushed_.line + 1;
    ingest::LineParser parser(format, display, reader.mtime_us());
    if (!start_batch(display, key)) return;

    ingest::Line line;
    Event event;
    while (reader.next(line)) {
      line_ = &line;
      if (!parser.parse(line.text, event) && summary.first_failure_line == 0) {
        summary.first_failure_line = line.number;
      }
      if (line.truncated) ++summary.truncated_lines;
      matcher_.match(event, *context_, *this);
      if (batch_->hit_count() >= kBatchHits || ++lines_since_flush_ >= kBatchLines ||
          batch_->text_bytes() >= kBatchTextBytes) {
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
  captures_json_.clear();
  captures_json_ += '{';
  for (const rules::Capture& capture : hit.captures) {
    if (captures_json_.size() > 1) captures_json_ += ',';
    append_json_string(captures_json_, capture.name);
    captures_json_ += ':';
    append_json_string(captures_json_, capture.value);
  }
  captures_json_ += '}';

  const rules::Rule& rule = *hit.rule;
  store::HitView view;
  view.ts_us = event.ts_us;
  view.source = source_;
  view.line = line_->number;
  view.offset = line_->offset;
  view.host = clean(event.host, clean_host_);
  view.program = clean(event.program, clean_program_);
  view.unit = clean(event.unit, clean_unit_);
  view.pid = event.pid;
  view.rule = rule.id;
  view.severity = rules::to_string(rule.severity);
  view.message = clean(event.message, clean_message_);
  view.captures_json = captures_json_;
  batch_->add_hit(view);

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
  std::map<std::string, std::optional<SourcePosition>> saved;
  std::vector<std::pair<std::string, std::string>> files;  // (display, key), duplicates dropped
  if (!options.db_path.empty()) db = store::Store::open(options.db_path);
  for (const std::string& file : options.files) {
    std::string key = source_key(file);
    if (saved.contains(key)) continue;
    std::optional<SourcePosition>& position = saved[key];
    if (db) {
      if (auto totals = db->source(key)) position = totals->position;
    }
    files.emplace_back(file, std::move(key));
  }

  Writer writer(std::move(db), options.json_out);
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
