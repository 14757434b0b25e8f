#pragma once
// vigil's SQLite database: schema, migrations, checkpoints and hits.
// One Store is one writing connection, used by one thread at a time. Inside, a
// thread of its own with a second connection copies the WAL into the file.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/position.h"
#include "store/batch.h"

struct sqlite3;

namespace vigil::store {

struct SourceTotals {
  SourcePosition position;
  SourceStats stats;
  // The latest log time stored for it (source_hour), for SourceActivity::resume_after.
  std::optional<int64_t> last_log_ts_us;
};

class Store {
 public:
  // A batch's hits are inserted this many per statement, the rest one by one:
  // each execution of an insert pays for a statement savepoint, opening and
  // closing cursors on hit_row and both its indexes, and fresh seeks in them.
  // Measured with callgrind: 32 rows take the writer from ~17.4k to ~13.5k
  // instructions per hit; 64 only to ~13.3k, while preparing that statement
  // costs 2.4M more per open. Ids are the ones single-row inserts would get.
  static constexpr int kHitsPerInsert = 32;

  // Opens or creates the database (file mode 0600, WAL, migrated to the current
  // schema). Throws vigil::Error naming the file on failure, or when the file's
  // schema is newer than this binary knows.
  static std::unique_ptr<Store> open(const std::string& path);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // The saved position and totals of a source, if it was ever committed.
  std::optional<SourceTotals> source(std::string_view key);

  // Called inside the commit's transaction once the batch's hits are inserted
  // (Batch::hit_id is valid): it may add alerts and actions to the batch, which
  // are then stored in the same transaction.
  using DuringCommit = std::function<void(Batch&)>;

  // Hits, source positions and stats of the batch, in one transaction; then the
  // alerts and actions `during` adds, whose ids are written back into the batch.
  // Should the transaction fail, nothing of the batch is stored.
  void commit(Batch& batch, const DuringCommit& during = {});

  int schema_version() const;
  sqlite3* handle();  // for read-only queries by reports and tests

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::store
