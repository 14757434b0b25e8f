// Sections 2-4: authentication, privilege use, services and errors. Each reads
// the range's hits of its rules through hit_row_rule_ts (rule_id, ts): an index
// range per rule, never a scan of the table. INDEXED BY pins that: with ANALYZE
// statistics the planner took a full scan for "accepted from this IP before?"
// (LIMIT 1 and few accepted rows look cheap to find by scanning): 17 s instead
// of milliseconds on 1M hits.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "reports/folding.h"
#include "reports/query.h"
#include "reports/sections.h"

namespace vigil::reports {
namespace {

constexpr size_t kTopRows = 10;
constexpr size_t kMaxListed = 50;
constexpr size_t kRareCommands = 5;

std::string range_hits_sql(const char* rules, const char* columns) {
  return std::string("SELECT h.ts, r.name, ") + columns +
         " FROM hit_row AS h INDEXED BY hit_row_rule_ts JOIN rule AS r ON r.id = h.rule_id"
         " WHERE h.rule_id IN (SELECT id FROM rule WHERE name IN (" +
         rules + ")) AND h.ts >= ?1 AND h.ts < ?2 ORDER BY h.ts";
}

template <typename Map>
std::vector<NameCount> top_counts(const Map& counts, size_t limit) {
  std::vector<NameCount> rows;
  rows.reserve(counts.size());
  for (const auto& [name, count] : counts) rows.push_back(NameCount{name, count});
  std::sort(rows.begin(), rows.end(), [](const NameCount& a, const NameCount& b) {
    return a.count != b.count ? a.count > b.count : a.name < b.name;
  });
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

struct IpTally {
  IpFailures figures;
  std::set<std::string> users;
};

// Every IP a login was ever accepted from before `before_us`: one pass over
// the accepted logins' index range (a few per day), not one query per IP.
std::set<std::string> ips_accepted_before(sqlite3* db, int64_t before_us) {
  const std::string sql =
      std::string(
          "SELECT DISTINCT json_extract(captures, '$.ip') FROM hit_row INDEXED BY "
          "hit_row_rule_ts WHERE rule_id IN (SELECT id FROM rule WHERE name IN (") +
      kAcceptedRules + ")) AND ts < ?1";
  Query query(db, sql.c_str());
  query.bind(1, before_us);
  std::set<std::string> ips;
  while (query.step()) ips.insert(query.text(0));
  return ips;
}

void add_failure(Authentication& auth, std::map<std::string, IpTally>& ips,
                 std::map<std::string, int64_t>& users, const ReportRange& range, int64_t ts,
                 const std::string& ip, const std::string& user) {
  ++auth.failed;
  ++auth.failed_per_hour[static_cast<size_t>(hour_index(range, ts))];
  if (!user.empty()) ++users[user];
  if (ip.empty()) return;
  IpTally& tally = ips[ip];
  if (tally.figures.count == 0) tally.figures = IpFailures{ip, 0, ts, ts, 0};
  ++tally.figures.count;
  tally.figures.last_us = ts;
  if (!user.empty()) tally.users.insert(user);
}

}  // namespace

void read_authentication(sqlite3* db, Report& report) {
  Authentication& auth = report.auth;
  const ReportRange& range = report.range;
  auth.failed_per_hour.assign(static_cast<size_t>(hour_count(range)), 0);
  const std::string rules = std::string(kFailedLoginRules) + "," + kAcceptedRules;
  Query hits(db, range_hits_sql(rules.c_str(),
                                "json_extract(h.captures, '$.ip'),"
                                " json_extract(h.captures, '$.user')")
                     .c_str());
  hits.bind(1, range.start_us).bind(2, range.end_us);
  std::map<std::string, IpTally> ips;
  std::map<std::string, int64_t> users;
  std::set<std::string> accepted_ips = ips_accepted_before(db, range.start_us);
  while (hits.step()) {
    const int64_t ts = hits.integer(0);
    const std::string rule = hits.text(1);
    const std::string ip = hits.text(2);
    const std::string user = hits.text(3);
    if (rule.rfind("ssh.accepted_", 0) != 0) {
      add_failure(auth, ips, users, range, ts, ip, user);
      continue;
    }
    ++auth.accepted;
    const auto failed = ips.find(ip);
    if (failed != ips.end() && auth.accepted_after_failures.size() < kMaxListed) {
      auth.accepted_after_failures.push_back(
          SuspectLogin{ts, user, ip, failed->second.figures.count});
    }
    if (!ip.empty() && accepted_ips.insert(ip).second && auth.new_ips.size() < kMaxListed) {
      auth.new_ips.push_back(AcceptedLogin{ts, user, ip, rule});
    }
  }
  for (auto& [ip, tally] : ips) {
    tally.figures.distinct_users = static_cast<int64_t>(tally.users.size());
    auth.top_ips.push_back(tally.figures);
  }
  std::sort(auth.top_ips.begin(), auth.top_ips.end(), [](const IpFailures& a, const IpFailures& b) {
    return a.count != b.count ? a.count > b.count : a.ip < b.ip;
  });
  if (auth.top_ips.size() > kTopRows) auth.top_ips.resize(kTopRows);
  auth.top_users = top_counts(users, kTopRows);

  Query invalid(db, (std::string("SELECT count(*) FROM hit_row INDEXED BY hit_row_rule_ts WHERE "
                                 "rule_id IN (SELECT id FROM "
                                 "rule WHERE name IN (") +
                     kInvalidUserRules + ")) AND ts >= ?1 AND ts < ?2")
                        .c_str());
  invalid.bind(1, range.start_us).bind(2, range.end_us);
  auth.invalid_users = invalid.step() ? invalid.integer(0) : 0;
}

void read_privilege(sqlite3* db, Report& report) {
  Privilege& privilege = report.privilege;
  const std::string rules =
      std::string(kSudoCommandRules) + "," + kSudoFailureRules + "," + kSuRules;
  Query hits(db, range_hits_sql(rules.c_str(),
                                "json_extract(h.captures, '$.user'),"
                                " json_extract(h.captures, '$.command'),"
                                " json_extract(h.captures, '$.target')")
                     .c_str());
  hits.bind(1, report.range.start_us).bind(2, report.range.end_us);
  std::map<std::string, std::map<std::string, int64_t>> commands_by_user;
  while (hits.step()) {
    const std::string rule = hits.text(1);
    PrivilegeEvent event{hits.integer(0), rule, hits.text(2), hits.text(3)};
    if (rule == "sudo.command") {
      ++privilege.sudo_commands;
      ++commands_by_user[event.user][event.detail];
    } else if (rule.rfind("sudo.", 0) == 0) {
      if (privilege.sudo_failures.size() < kMaxListed) privilege.sudo_failures.push_back(event);
    } else {
      ++(rule == "su.success" ? privilege.su_success : privilege.su_failed);
      event.detail = hits.text(4);
      if (privilege.su_events.size() < kMaxListed) privilege.su_events.push_back(event);
    }
  }
  for (const auto& [user, commands] : commands_by_user) {
    SudoUser row{user, 0, static_cast<int64_t>(commands.size()), {}};
    for (const auto& [command, count] : commands) {
      row.commands += count;
      if (count == 1 && row.rare_commands.size() < kRareCommands) {
        row.rare_commands.push_back(command);
      }
    }
    privilege.sudo_by_user.push_back(std::move(row));
  }
  std::sort(privilege.sudo_by_user.begin(), privilege.sudo_by_user.end(),
            [](const SudoUser& a, const SudoUser& b) {
              return a.commands != b.commands ? a.commands > b.commands : a.user < b.user;
            });
}

namespace {

enum class Kind { kError, kWarning, kSlow };

Kind kind_of(const std::string& rule) {
  if (rule == "app.warn" || rule == "app.json_warn") return Kind::kWarning;
  if (rule == "app.slow" || rule == "app.json_slow") return Kind::kSlow;
  return Kind::kError;
}

}  // namespace

void read_services(sqlite3* db, Report& report) {
  Services& services = report.services;
  services.errors_per_hour.assign(static_cast<size_t>(hour_count(report.range)), 0);
  const std::string rules = std::string(kErrorRules) + "," + kWarnRules + "," + kSlowRules;
  // The service: a failed unit's name, else the journald unit, the program, or
  // for a file without a program its name.
  Query hits(db, range_hits_sql(rules.c_str(),
                                "h.source_id, h.line, coalesce(json_extract(h.captures, "
                                "'$.unit'), h.unit, h.program, (SELECT display FROM source "
                                "WHERE id = h.source_id)), h.message, "
                                "json_extract(h.captures, '$.duration')")
                     .c_str());
  hits.bind(1, report.range.start_us).bind(2, report.range.end_us);
  std::map<std::string, ServiceErrors> by_service;
  std::map<std::string, int64_t> messages;
  std::set<std::pair<Kind, std::pair<int64_t, int64_t>>> seen_lines;
  std::vector<double> durations;
  while (hits.step()) {
    const Kind kind = kind_of(hits.text(1));
    if (!seen_lines.insert({kind, {hits.integer(2), hits.integer(3)}}).second) continue;
    const std::string service = hits.text(4);
    ServiceErrors& row = by_service[service];
    row.service = service;
    if (kind == Kind::kError) {
      ++services.errors;
      ++row.errors;
      ++services.errors_per_hour[static_cast<size_t>(hour_index(report.range, hits.integer(0)))];
      ++messages[fold_message(hits.text(5))];
    } else if (kind == Kind::kWarning) {
      ++services.warnings;
      ++row.warnings;
    } else if (const auto ms = parse_duration_ms(hits.text(6))) {
      durations.push_back(*ms);
    }
  }
  for (auto& [name, row] : by_service) {
    if (row.errors > 0 || row.warnings > 0) services.by_service.push_back(row);
  }
  std::sort(services.by_service.begin(), services.by_service.end(),
            [](const ServiceErrors& a, const ServiceErrors& b) {
              if (a.errors != b.errors) return a.errors > b.errors;
              if (a.warnings != b.warnings) return a.warnings > b.warnings;
              return a.service < b.service;
            });
  services.top_messages = top_counts(messages, kTopRows);
  std::sort(durations.begin(), durations.end());
  services.slow =
      SlowOperations{static_cast<int64_t>(durations.size()), percentile(durations, 50),
                     percentile(durations, 95), durations.empty() ? 0 : durations.back()};
}

}  // namespace vigil::reports
