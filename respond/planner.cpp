#include "respond/planner.h"

#include <algorithm>

#include "core/ip.h"

namespace vigil::respond {
namespace {

constexpr int64_t kHourUs = int64_t{3600} * 1'000'000;

// Rows that stand for a run (or a would-be run) count for cooldowns and limits.
bool counts_as_run(const store::ActionRecord& a) {
  return a.kind != "unban_ip" && a.status != "refused" && a.status != "skipped";
}

std::string key_value(const AlertFacts& alert, std::string_view name) {
  for (const auto& [n, v] : alert.key) {
    if (n == name) return v;
  }
  return {};
}

std::string argv_text(const ArgvTemplate& argv) {
  return argv_to_json(argv.raw());
}

}  // namespace

Planner::Planner(const RespondConfig& config, bool force_dry_run)
    : config_(config), dry_run_(config.dry_run || force_dry_run) {}

void Planner::restore(const std::vector<store::ActionRecord>& recent) {
  for (const store::ActionRecord& a : recent) {
    if (!counts_as_run(a)) continue;
    const auto slot = std::make_pair(a.response, a.key_json);
    int64_t& last = last_run_[slot];
    last = std::max(last, a.due_us);
    recent_runs_[slot].push_back(a.due_us);
  }
}

void Planner::plan(const AlertFacts& alert, std::vector<store::ActionRecord>& out) {
  const auto it = config_.on_threshold.find(alert.threshold);
  if (it == config_.on_threshold.end()) return;
  for (const std::string& name : it->second) {
    const auto response = config_.responses.find(name);
    if (response != config_.responses.end()) plan_response(response->second, alert, out);
  }
}

store::ActionRecord Planner::row_for(const Response& response, const AlertFacts& alert) const {
  store::ActionRecord row;
  row.alert = alert.batch_index;
  row.alert_id = alert.alert_id;
  row.response = response.name;
  row.kind = to_string(response.kind);
  row.key_json = alert.key_json;
  row.dry_run = dry_run_;
  row.due_us = alert.ts_us;
  return row;
}

void Planner::plan_response(const Response& response, const AlertFacts& alert,
                            std::vector<store::ActionRecord>& out) {
  store::ActionRecord row = row_for(response, alert);
  if (!response.commands.empty()) row.argv_json = argv_text(response.commands.front());

  if (std::string why = blocked(response, alert); !why.empty()) {
    row.status = response.kind == ResponseKind::kIsolate ? "refused" : "skipped";
    row.reason = std::move(why);
    out.push_back(std::move(row));
    return;
  }

  std::map<std::string, std::string> values(alert.key.begin(), alert.key.end());
  values["threshold"] = alert.threshold;
  values["severity"] = alert.severity;

  // Expanded up front: one refused value refuses the whole response, so that
  // an isolation never runs half its steps.
  const size_t first = out.size();
  if (response.kind == ResponseKind::kIsolate) {
    for (const std::string& address : config_.management) {
      std::map<std::string, std::string> with_address = values;
      with_address["address"] = address;
      if (response.allow_in) add_command(response, alert, *response.allow_in, with_address, out);
      if (response.allow_out) add_command(response, alert, *response.allow_out, with_address, out);
    }
  }
  for (const ArgvTemplate& argv : response.commands)
    add_command(response, alert, argv, values, out);
  if (response.kind == ResponseKind::kEvidence) {
    row.status = dry_run_ ? "dry_run" : "planned";
    out.push_back(row);
  }
  if (response.undo) {
    add_command(response, alert, *response.undo, values, out);
    out.back().kind = "unban_ip";
    // Waits for its ban; the executor sets the time once the ban succeeded.
    if (!dry_run_ && out.back().status == "planned") out.back().status = "waiting";
    if (dry_run_) out.back().due_us = alert.ts_us + response.undo_after_us;
  }

  const auto refused =
      std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const store::ActionRecord& a) { return a.status == "refused"; });
  if (refused != out.end()) {
    row.status = "refused";
    row.reason = refused->reason;
    row.argv_json = refused->argv_json;
    out.resize(first);
    out.push_back(std::move(row));
    return;
  }
  remember(response, alert);
}

// Why a ban must not hit this address: allowlisted, or a management address.
std::string Planner::protected_address(const AlertFacts& alert) const {
  const auto ip = parse_ip(key_value(alert, "ip"));
  if (!ip) return {};
  for (const Cidr& cidr : config_.protected_cidrs) {
    if (cidr.contains(*ip)) return "allowlisted address (" + to_string(cidr) + ")";
  }
  for (const std::string& management : config_.management) {
    const auto block = parse_cidr(management);
    if (block && block->contains(*ip)) return "a management address is never banned";
  }
  return {};
}

// Why the response already ran too recently or too often for this key.
std::string Planner::rate_limited(const Response& response, const AlertFacts& alert) const {
  const auto slot = std::make_pair(response.name, alert.key_json);
  const auto last = last_run_.find(slot);
  if (response.cooldown_us > 0 && last != last_run_.end() &&
      alert.ts_us - last->second < response.cooldown_us) {
    return "cooldown: ran for this key " +
           std::to_string((alert.ts_us - last->second) / 1'000'000) + " s earlier";
  }
  const auto runs = recent_runs_.find(slot);
  if (response.max_per_hour <= 0 || runs == recent_runs_.end()) return {};
  const auto in_hour = std::count_if(runs->second.begin(), runs->second.end(), [&](int64_t t) {
    return t > alert.ts_us - kHourUs && t <= alert.ts_us;
  });
  if (in_hour < response.max_per_hour) return {};
  return "limit of " + std::to_string(response.max_per_hour) + " per hour reached";
}

// Why the response must not act on this alert; empty when it may.
std::string Planner::blocked(const Response& response, const AlertFacts& alert) const {
  if (response.kind == ResponseKind::kIsolate && alert.severity != "critical") {
    return "isolation runs only for critical alerts; this one is " + alert.severity;
  }
  if (response.kind == ResponseKind::kBanIp) {
    if (std::string why = protected_address(alert); !why.empty()) return why;
  }
  const std::string user = key_value(alert, "user");
  const auto& users = config_.protected_users;
  if (!user.empty() && std::find(users.begin(), users.end(), user) != users.end()) {
    return "allowlisted user";
  }
  return rate_limited(response, alert);
}

void Planner::add_command(const Response& response, const AlertFacts& alert,
                          const ArgvTemplate& argv,
                          const std::map<std::string, std::string>& values,
                          std::vector<store::ActionRecord>& out) const {
  store::ActionRecord row = row_for(response, alert);
  std::string why;
  if (const auto expanded = argv.expand(values, why)) {
    row.argv_json = argv_to_json(*expanded);
    row.status = dry_run_ ? "dry_run" : "planned";
  } else {
    row.argv_json = argv_text(argv);
    row.status = "refused";
    row.reason = why;
  }
  out.push_back(std::move(row));
}

void Planner::remember(const Response& response, const AlertFacts& alert) {
  const auto slot = std::make_pair(response.name, alert.key_json);
  last_run_[slot] = alert.ts_us;
  std::vector<int64_t>& runs = recent_runs_[slot];
  std::erase_if(runs, [&](int64_t t) { return t <= alert.ts_us - kHourUs; });
  runs.push_back(alert.ts_us);
}

}  // namespace vigil::respond
