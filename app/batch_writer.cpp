#include "app/batch_writer.h"

#include <cerrno>

#include "app/hit_json.h"
#include "core/error.h"
#include "core/text.h"

namespace vigil::app {
namespace {

// Text from a log line may be any bytes; what we store and print is UTF-8.
std::string_view clean(std::string_view text, std::string& scratch) {
  if (is_clean_utf8(text)) return text;
  scratch.clear();
  append_sanitized_utf8(scratch, text);
  return scratch;
}

}  // namespace

BatchWriter::BatchWriter(std::unique_ptr<store::Store> db, std::FILE* json_out, AlertStage* stage,
                         AfterCommit after_commit)
    : db_(std::move(db)),
      json_out_(json_out),
      stage_(stage),
      after_commit_(std::move(after_commit)) {
  for (size_t i = 0; i < kBatchesInFlight; ++i) empty_.push(std::make_unique<store::Batch>());
  thread_ = std::thread([this] { loop(); });
}

BatchWriter::~BatchWriter() {
  if (thread_.joinable()) {
    full_.close();
    thread_.join();
  }
}

void BatchWriter::give_back(BatchPtr batch) {
  batch->clear();
  empty_.push(std::move(batch));
}

void BatchWriter::finish() {
  full_.close();
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
}

void BatchWriter::loop() {
  while (auto batch = full_.pop()) {
    try {
      write(**batch);
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

void BatchWriter::write(store::Batch& batch) {
  if (db_) {
    store::Store::DuringCommit during;
    if (stage_ != nullptr) during = [this](store::Batch& b) { stage_->during_commit(b); };
    db_->commit(batch, during);
  } else if (stage_ != nullptr) {
    stage_->during_commit(batch);
  }
  if (json_out_ != nullptr) write_json(batch);
  if (after_commit_) after_commit_(batch);
}

void BatchWriter::write_json(const store::Batch& batch) {
  json_.clear();
  for (size_t i = 0; i < batch.hit_count(); ++i) {
    const store::HitView hit = batch.hit(i);
    append_hit_json(json_, hit, batch.sources()[hit.source].display);
  }
  AlertStage::append_json(batch, json_);
  // A failed write (disk full, closed pipe) must not lose hits silently.
  if (std::fwrite(json_.data(), 1, json_.size(), json_out_) != json_.size() ||
      std::fflush(json_out_) != 0) {
    throw Error("cannot write the JSON output: " + errno_message(errno));
  }
}

void HitRecorder::add(store::Batch& batch, const Event& event, const rules::Hit& hit,
                      const HitOrigin& origin) {
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
  view.source = origin.source;
  view.line = origin.line;
  view.offset = origin.offset;
  view.host = clean(event.host, clean_host_);
  view.program = clean(event.program, clean_program_);
  view.unit = clean(event.unit, clean_unit_);
  view.pid = event.pid;
  view.rule = rule.id;
  view.severity = rules::to_string(rule.severity);
  view.message = clean(event.message, clean_message_);
  view.captures_json = captures_json_;
  pairs_.clear();
  for (const rules::Capture& capture : hit.captures)
    pairs_.push_back({capture.name, capture.value});
  view.captures = pairs_;
  batch.add_hit(view);
}

}  // namespace vigil::app
