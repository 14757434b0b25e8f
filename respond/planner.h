#pragma once
// Decides, for an alert, which actions to take and records every decision as an
// audit row: the argv a command will run with (every value validated), or why it
// will not run (dry run, refused value, allowlisted, cooldown, hourly limit,
// severity). Runs on the writer's thread, inside the alert's transaction.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "respond/responses.h"
#include "store/batch.h"

namespace vigil::respond {

struct AlertFacts {
  size_t batch_index = store::ActionRecord::kNoAlert;  // the alert in the batch
  int64_t alert_id = 0;                                // or a stored alert
  std::string threshold;
  std::string severity;
  std::vector<std::pair<std::string, std::string>> key;
  std::string key_json;
  int64_t ts_us = 0;  // the alert's last hit: cooldowns run on log time
};

class Planner {
 public:
  // `force_dry_run`: `vigil scan` never acts, whatever the config says.
  Planner(const RespondConfig& config, bool force_dry_run);

  // Cooldowns and hourly limits as the stored actions left them (a restart).
  void restore(const std::vector<store::ActionRecord>& recent);

  // Appends the audit rows for `alert` (none when no response is attached).
  void plan(const AlertFacts& alert, std::vector<store::ActionRecord>& out);

  bool dry_run() const { return dry_run_; }

 private:
  void plan_response(const Response& response, const AlertFacts& alert,
                     std::vector<store::ActionRecord>& out);
  store::ActionRecord row_for(const Response& response, const AlertFacts& alert) const;
  std::string protected_address(const AlertFacts& alert) const;
  std::string rate_limited(const Response& response, const AlertFacts& alert) const;
  std::string blocked(const Response& response, const AlertFacts& alert) const;
  void add_command(const Response& response, const AlertFacts& alert, const ArgvTemplate& argv,
                   const std::map<std::string, std::string>& values,
                   std::vector<store::ActionRecord>& out) const;
  void remember(const Response& response, const AlertFacts& alert);

  const RespondConfig& config_;
  bool dry_run_;
  std::map<std::pair<std::string, std::string>, int64_t> last_run_;  // (response, key) -> ts
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> recent_runs_;
};

}  // namespace vigil::respond
