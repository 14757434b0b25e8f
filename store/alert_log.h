#pragma once
// Alerts and actions as stored: what the responder reads and updates, and what a
// restart reads back to rebuild the thresholds' windows and the responses'
// cooldowns. Low volume, so plain queries on a connection of the caller's.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/batch.h"

struct sqlite3;

namespace vigil::store {

// A hit read back for a threshold's window or an alert's digest.
struct StoredHit {
  int64_t id = 0;
  int64_t ts_us = 0;
  std::string source;  // the source's key
  uint64_t line = 0;
  std::string rule;
  std::string captures_json;
  std::string message;
  std::string host;
};

// The newest hit's time, or nullopt when no hit is stored.
std::optional<int64_t> latest_hit_ts(sqlite3* db, const std::string& path);

// Where windows must be rebuilt from: the oldest of the sources' newest hits,
// since a source that is behind the others in log time (a file scanned in
// parts, a journal that lags) will add hits to windows older than the newest
// hit. Sources more than `max_lag_us` behind the newest are not waited for.
// nullopt when no hit is stored.
std::optional<int64_t> resume_point(sqlite3* db, const std::string& path, int64_t max_lag_us);

// Hits with ts >= since_us, oldest first (ties by id), without their messages.
void for_each_hit_since(sqlite3* db, const std::string& path, int64_t since_us,
                        const std::function<void(const StoredHit&)>& visit);

// Alerts whose last hit is at or after since_us, oldest first.
std::vector<AlertRecord> alerts_since(sqlite3* db, const std::string& path, int64_t since_us);

// Actions due at or after since_us, and every action still planned or running,
// oldest first.
std::vector<ActionRecord> actions_since(sqlite3* db, const std::string& path, int64_t since_us);

// How an action ended.
struct ActionOutcome {
  std::string status;  // done, failed, timed_out, refused, skipped
  std::string reason;
  std::optional<int> exit_status;
  std::string output;  // the first KiB of what it printed
  int64_t started_us = 0;
  int64_t finished_us = 0;
};

// The responder's own connection: it records actions while the writer thread
// goes on committing batches (SQLite serialises the two; both wait for the lock).
class ActionLog {
 public:
  // The database must exist and carry the current schema (Store::open first).
  static std::unique_ptr<ActionLog> open(const std::string& path);
  ActionLog(const ActionLog&) = delete;
  ActionLog& operator=(const ActionLog&) = delete;
  ~ActionLog();

  void started(int64_t action_id, int64_t started_us);
  // A waiting row (an unban) becomes planned for `due_us`.
  void schedule(int64_t action_id, int64_t due_us);
  void finished(int64_t action_id, const ActionOutcome& outcome);
  // A follow-up of a stored alert (an unban); returns its id.
  int64_t add(const ActionRecord& action);

  std::optional<AlertRecord> alert(int64_t id);
  // The hits that made the alert, oldest first, at most `limit`.
  std::vector<StoredHit> alert_hits(int64_t alert_id, size_t limit);

 private:
  struct Impl;
  explicit ActionLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::store
