#include "store/checkpointer.h"

namespace vigil::store {

Checkpointer::Checkpointer(const std::string& path) : path_(path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail(db_.get(), path_, "open checkpoint connection");
  sqlite3_busy_timeout(db_.get(), 5000);
  // A connection attaches to the WAL at its first read; until then a checkpoint
  // through it does nothing.
  exec(db_.get(), path_, "SELECT count(*) FROM sqlite_schema", "open checkpoint connection");
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

// Each pass ends with two fsyncs, so it waits until there is enough to copy.
void Checkpointer::wal_grew(int pages) {
  {
    std::lock_guard lock(mutex_);
    wal_pages_ = pages;
    if (pages < copied_) copied_ = 0;  // the WAL restarted
    if (pending_ || pages - copied_ < kStartPages) return;
    pending_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::before_transaction() {
  {
    std::lock_guard lock(mutex_);
    if (wal_pages_ < kMaxPages) return;
  }
  const int rc = checkpoint();  // waits for a background pass to end first
  // BUSY: another process checkpoints right now; the next transaction retries.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) fail(db_.get(), path_, "checkpoint");
}

int Checkpointer::checkpoint() {
  std::lock_guard serial(checkpoint_mutex_);
  int wal_pages = 0;
  int copied = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
  std::lock_guard lock(mutex_);
  copied_ = copied;
  if (rc == SQLITE_OK && copied == wal_pages) wal_pages_ = 0;  // restarts at the next write
  return rc;
}

// PASSIVE never blocks the writer or readers. A failed pass is not reported
// here: the writer's own pass at kMaxPages meets the same error and reports it.
void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    checkpoint();
    lock.lock();
  }
}

}  // namespace vigil::store
