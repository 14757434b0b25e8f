#pragma once
// Copies committed WAL frames into the database file on a thread of its own, so
// that the writer seldom waits for a checkpoint's copy and fsyncs (measured:
// SQLite's automatic checkpoints cost about a fifth of commit throughput).
// Private to store/.
//
// A WAL starts again from its beginning only when, at the start of a write,
// every frame has been copied. Background passes never quite catch up with a
// busy writer, so once the WAL reaches kMaxPages the writer finishes the copy
// itself before its next transaction: the WAL stays near kMaxPages pages.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/statement.h"

namespace vigil::store {

class Checkpointer {
 public:
  // With 16 KiB pages: a background pass per 16 MiB, a WAL of about 64 MiB.
  static constexpr int kStartPages = 1000;
  static constexpr int kMaxPages = 4 * kStartPages;

  // Opens a second connection to `path`, whose schema is already migrated.
  explicit Checkpointer(const std::string& path);
  ~Checkpointer();  // waits for a running pass to end
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called by the writer after each commit with the WAL's size in pages.
  void wal_grew(int pages);
  // Called by the writer before each transaction; copies the rest of the WAL
  // when it is too large. Throws vigil::Error on failure, before any write.
  void before_transaction();

 private:
  void run();
  int checkpoint();  // one PASSIVE pass; returns SQLite's result code

  std::string path_;
  DbHandle db_;
  std::mutex checkpoint_mutex_;  // one pass at a time: a second would fail with SQLITE_BUSY
  std::mutex mutex_;             // guards the fields below
  std::condition_variable wake_;
  int wal_pages_ = 0;  // as of the last commit
  int copied_ = 0;     // WAL pages copied by the last pass (0 again once the WAL restarts)
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything it uses exists
};

}  // namespace vigil::store
