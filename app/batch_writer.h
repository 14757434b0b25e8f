#pragma once
// The writer side of every pipeline: one thread owns the database connection
// (and the JSON output), committing batches the reading thread fills. Batches
// circulate through bounded queues, so memory stays flat whatever the input.

#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app/alert_stage.h"
#include "app/bounded_queue.h"
#include "core/event.h"
#include "rules/matcher.h"
#include "store/batch.h"
#include "store/store.h"

namespace vigil::app {

using BatchPtr = std::unique_ptr<store::Batch>;

// A batch closes at this many hits, lines or bytes of hit text, whichever comes
// first: large enough to amortise a transaction, small enough to keep memory flat
// (hits on 1 MiB lines would otherwise make a batch of gigabytes).
inline constexpr size_t kBatchHits = 4096;
inline constexpr uint64_t kBatchLines = uint64_t{1} << 18;
inline constexpr size_t kBatchTextBytes = size_t{8} << 20;

inline bool batch_is_full(const store::Batch& batch, uint64_t lines) {
  return batch.hit_count() >= kBatchHits || lines >= kBatchLines ||
         batch.text_bytes() >= kBatchTextBytes;
}

class BatchWriter {
 public:
  static constexpr size_t kBatchesInFlight = 3;

  // Called on the writer's thread once a batch is committed (the responder
  // takes its planned actions from there).
  using AfterCommit = std::function<void(const store::Batch&)>;

  // Any may be null: hits are then not stored, not printed, not correlated.
  // The stage is used on the writer's thread only, inside each commit.
  BatchWriter(std::unique_ptr<store::Store> db, std::FILE* json_out, AlertStage* stage = nullptr,
              AfterCommit after_commit = {});
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // An empty batch; waits while all are in flight. Null when the writer failed:
  // finish() then says why.
  BatchPtr take_empty() { return empty_.pop().value_or(nullptr); }
  bool submit(BatchPtr batch) { return full_.push(std::move(batch)); }
  // A batch abandoned unsent goes back to the pool.
  void give_back(BatchPtr batch);

  // Commits what was submitted and stops; rethrows the writer's failure, if any.
  void finish();

 private:
  void loop();
  void write(store::Batch& batch);
  void write_json(const store::Batch& batch);

  std::unique_ptr<store::Store> db_;
  std::FILE* json_out_;
  AlertStage* stage_;
  AfterCommit after_commit_;
  BoundedQueue<BatchPtr> full_{kBatchesInFlight};
  BoundedQueue<BatchPtr> empty_{kBatchesInFlight};
  std::exception_ptr error_;
  std::string json_;
  std::thread thread_;
};

// Where a hit was read, for its row.
struct HitOrigin {
  uint32_t source = 0;  // index in the batch (Batch::add_source)
  uint64_t line = 0;    // 1-based line, or entry number for the journal
  uint64_t offset = 0;  // byte offset of the line; 0 for the journal
};

// Turns matcher hits into batch rows: captures as a JSON object, and text that
// is not valid UTF-8 made so. Buffers are reused, so a hit allocates nothing in
// steady state.
class HitRecorder {
 public:
  void add(store::Batch& batch, const Event& event, const rules::Hit& hit, const HitOrigin& origin);

 private:
  std::string captures_json_, clean_message_, clean_host_, clean_program_, clean_unit_;
  std::vector<store::NamedValue> pairs_;
};

}  // namespace vigil::app
