#pragma once
// Runs the planned actions once their alert is committed: a pool of at most
// max_concurrent workers, each with its own connection to record outcomes. The
// actions of one alert run in order (isolation's allow rules before the deny,
// a ban before its unban is scheduled); a failed step skips the rest of its
// response. Unbans wait for their time, also across restarts (they stay planned
// rows in the store).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "respond/responses.h"
#include "store/alert_log.h"
#include "store/batch.h"

namespace vigil::respond {

// A flat JSON object of strings, as the store keeps keys and captures
// ({"ip":"203.0.113.7"}); members that are not strings, and invalid JSON, are
// left out.
std::vector<std::pair<std::string, std::string>> parse_string_object(const std::string& json);

class Executor {
 public:
  // `config` must outlive the executor. The database must exist (Store::open).
  Executor(const RespondConfig& config, std::string db_path);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // The rows a commit stored; those planned or waiting are taken up.
  void submit(const std::vector<store::ActionRecord>& actions);
  // At start: rows a previous run left planned, waiting or running.
  void resume(const std::vector<store::ActionRecord>& stored);

  // Lets running commands end (each within its timeout), keeps the rest planned
  // in the store, and joins the workers.
  void stop();

  // Actions finished since start (for tests and the status line).
  uint64_t finished() const;

 private:
  struct Job {
    int64_t due_us = 0;
    std::vector<store::ActionRecord> steps;  // one alert's, in id order
  };
  void enqueue(Job job);
  void work();
  void run_job(store::ActionLog& log, Job& job);
  void run_step(store::ActionLog& log, store::ActionRecord& step, const Response* response);

  const RespondConfig& config_;
  std::string db_path_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<int64_t, Job> jobs_;  // by due time
  bool stopping_ = false;
  uint64_t finished_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace vigil::respond
