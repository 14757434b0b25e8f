#include "app/alert_stage.h"

#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "respond/executor.h"
#include "store/alert_log.h"

namespace vigil::app {
namespace {

// How far back stored actions still matter for cooldowns and hourly limits.
constexpr int64_t kActionHorizonUs = int64_t{48} * 3600 * 1'000'000;

// A source this far behind the newest hit in log time no longer holds windows
// open for the others (an old file scanned into the same database).
constexpr int64_t kSourceLagUs = int64_t{24} * 3600 * 1'000'000;

rules::Allowlist allowlist(const AllowConfig& allow) {
  return rules::Allowlist{allow.cidrs, allow.users};
}

std::string key_json(const rules::AlertKey& key) {
  std::string out = "{";
  for (const auto& [name, value] : key) {
    if (out.size() > 1) out += ',';
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
  }
  out += '}';
  return out;
}

void add_field(std::string& out, std::string_view name) {
  out += ",\"";
  out += name;
  out += "\":";
}

}  // namespace

rules::CorrelatorOptions correlator_options(const AlertingConfig& config) {
  rules::CorrelatorOptions options;
  options.global = allowlist(config.allow);
  for (const auto& [id, settings] : config.thresholds) {
    if (!settings.allow.cidrs.empty() || !settings.allow.users.empty()) {
      options.per_threshold[id] = allowlist(settings.allow);
    }
    if (settings.suppress_us) options.suppress_us[id] = *settings.suppress_us;
  }
  return options;
}

AlertStage::AlertStage(rules::RuleSet rules, const AlertingConfig& config, bool force_dry_run)
    : rules_(std::move(rules)),
      correlator_(rules_, correlator_options(config)),
      planner_(config.respond, force_dry_run) {
  for (size_t i = 0; i < rules_.rules.size(); ++i) rule_index_.emplace(rules_.rules[i].id, i);
}

std::optional<size_t> AlertStage::rule_index(std::string_view id) const {
  const auto it = rule_index_.find(id);
  if (it == rule_index_.end()) return std::nullopt;
  return it->second;
}

void AlertStage::rebuild(store::Store& db, const std::string& path) {
  if (rebuilt_) return;
  rebuilt_ = true;
  const std::optional<int64_t> latest = store::resume_point(db.handle(), path, kSourceLagUs);
  if (!latest) return;
  for (const store::AlertRecord& a :
       store::alerts_since(db.handle(), path, *latest - correlator_.alert_horizon_us())) {
    correlator_.restore_suppression(a.threshold, respond::parse_string_object(a.key_json),
                                    a.last_ts_us);
  }
  std::vector<rules::Capture> captures;
  store::for_each_hit_since(
      db.handle(), path, *latest - correlator_.horizon_us(), [&](const store::StoredHit& hit) {
        const std::optional<size_t> index = rule_index(hit.rule);
        if (!index || !correlator_.wants(*index)) return;
        const rules::AlertKey pairs = respond::parse_string_object(hit.captures_json);
        captures.clear();
        for (const auto& [name, value] : pairs) captures.push_back({name, value});
        fired_.clear();
        correlator_.observe({hit.ts_us, *index, hit.id, captures}, fired_);
        ++stats_.replayed_hits;  // what fires now was stored before the restart
      });
  fired_.clear();
  planner_.restore(store::actions_since(db.handle(), path, *latest - kActionHorizonUs));
}

void AlertStage::during_commit(store::Batch& batch) {
  for (size_t i = 0; i < batch.hit_count(); ++i) {
    const store::HitView hit = batch.hit(i);
    const std::optional<size_t> index = rule_index(hit.rule);
    if (!index || !correlator_.wants(*index)) continue;
    batch.hit_captures(i, pairs_);
    captures_.clear();
    for (const store::NamedValue& pair : pairs_) captures_.push_back({pair.name, pair.value});
    fired_.clear();
    correlator_.observe({hit.ts_us, *index, batch.hit_id(i), captures_}, fired_);
    for (const rules::Alert& alert : fired_) record(alert, batch);
  }
}

void AlertStage::record(const rules::Alert& alert, store::Batch& batch) {
  store::AlertRecord row;
  row.threshold = alert.threshold->id;
  row.title = alert.threshold->title;
  row.severity = rules::to_string(alert.threshold->severity);
  row.key_json = key_json(alert.key);
  row.count = alert.count;
  row.first_ts_us = alert.first_ts_us;
  row.last_ts_us = alert.last_ts_us;
  row.hit_ids = alert.hit_ids;

  respond::AlertFacts facts;
  facts.batch_index = batch.alerts().size();
  facts.threshold = row.threshold;
  facts.severity = row.severity;
  facts.key = alert.key;
  facts.key_json = row.key_json;
  facts.ts_us = alert.last_ts_us;
  if (first_alerts_.size() < kFirstAlerts) {
    first_alerts_.push_back(row);
    first_alerts_.back().hit_ids.clear();
  }
  batch.alerts().push_back(std::move(row));
  const size_t before = batch.actions().size();
  planner_.plan(facts, batch.actions());
  ++stats_.alerts;
  stats_.actions += batch.actions().size() - before;
}

void AlertStage::append_json(const store::Batch& batch, std::string& out) {
  for (const store::AlertRecord& a : batch.alerts()) {
    out += R"({"type":"alert")";
    add_field(out, "id");
    out += a.id > 0 ? std::to_string(a.id) : "null";  // null: no database
    add_field(out, "threshold");
    append_json_string(out, a.threshold);
    add_field(out, "title");
    append_json_string(out, a.title);
    add_field(out, "severity");
    append_json_string(out, a.severity);
    add_field(out, "key");
    out += a.key_json;
    add_field(out, "count");
    out += std::to_string(a.count);
    add_field(out, "first_ts");
    append_json_string(out, format_iso8601_utc(a.first_ts_us));
    add_field(out, "last_ts");
    append_json_string(out, format_iso8601_utc(a.last_ts_us));
    out += "}\n";
  }
  for (const store::ActionRecord& a : batch.actions()) {
    out += R"({"type":"action")";
    add_field(out, "id");
    out += a.id > 0 ? std::to_string(a.id) : "null";
    add_field(out, "alert_id");
    out += a.alert_id > 0 ? std::to_string(a.alert_id) : "null";
    if (a.alert < batch.alerts().size()) {  // without a database, the alert is told by these
      add_field(out, "threshold");
      append_json_string(out, batch.alerts()[a.alert].threshold);
      add_field(out, "key");
      out += batch.alerts()[a.alert].key_json;
    }
    add_field(out, "response");
    append_json_string(out, a.response);
    add_field(out, "kind");
    append_json_string(out, a.kind);
    add_field(out, "argv");
    out += a.argv_json.empty() ? "[]" : a.argv_json;
    add_field(out, "dry_run");
    out += a.dry_run ? "true" : "false";
    add_field(out, "status");
    append_json_string(out, a.status);
    if (!a.reason.empty()) {
      add_field(out, "reason");
      append_json_string(out, a.reason);
    }
    out += "}\n";
  }
}

}  // namespace vigil::app
