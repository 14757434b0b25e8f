#pragma once
// Thresholds and response planning on the writer's side of the pipeline: inside
// each batch's transaction the hits just stored are correlated, and the alerts
// they fire and the audit rows of their responses are stored with them. Used by
// `vigil scan` (log time, always a dry run) and `vigil run`.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/alerting_config.h"
#include "core/string_map.h"
#include "respond/planner.h"
#include "rules/correlator.h"
#include "store/batch.h"
#include "store/store.h"

namespace vigil::app {

struct AlertStats {
  uint64_t alerts = 0;
  uint64_t actions = 0;
  uint64_t replayed_hits = 0;  // read back from the store to rebuild windows
};

class AlertStage {
 public:
  // Keeps a copy of the rules: `vigil run` may reload its packs while the
  // stage goes on (threshold changes take effect at the next start). `config`
  // must outlive the stage.
  AlertStage(rules::RuleSet rules, const AlertingConfig& config, bool force_dry_run);

  // After a restart: suppression from stored alerts, windows from stored hits,
  // cooldowns from stored actions, so nothing fires or acts twice. Only the
  // first call reads the store (a scan opens it once per kind of source).
  void rebuild(store::Store& db, const std::string& path);

  // Correlates the batch's stored hits; adds alerts and audit rows to the batch.
  void during_commit(store::Batch& batch);

  // JSON lines for the batch's alerts and actions ({"type":"alert",…}).
  static void append_json(const store::Batch& batch, std::string& out);

  const AlertStats& stats() const { return stats_; }
  // The first alerts fired (without their ids and hits), for summaries.
  const std::vector<store::AlertRecord>& first_alerts() const { return first_alerts_; }
  static constexpr size_t kFirstAlerts = 100;
  const rules::Correlator& correlator() const { return correlator_; }

 private:
  void record(const rules::Alert& alert, store::Batch& batch);

  // Hits name their rule by id, which stays true across a reload of the packs.
  std::optional<size_t> rule_index(std::string_view id) const;

  const rules::RuleSet rules_;
  StringMap<size_t> rule_index_;
  rules::Correlator correlator_;
  respond::Planner planner_;
  AlertStats stats_;
  bool rebuilt_ = false;
  std::vector<store::AlertRecord> first_alerts_;
  std::vector<store::NamedValue> pairs_;
  std::vector<rules::Capture> captures_;
  std::vector<rules::Alert> fired_;
};

rules::CorrelatorOptions correlator_options(const AlertingConfig& config);

}  // namespace vigil::app
