#pragma once
// A database with alerts and actions written through the real store API
// (Store::commit's `during` hook, then ActionLog for outcomes), for the report's
// "Alerts and actions" section. The day is 2026-11-28 UTC.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/text.h"
#include "store/alert_log.h"
#include "store/store.h"
#include "tests/support/time_zone.h"

namespace vigil::test {

// Log-written text at its worst: markup, terminal escapes, a line break.
inline constexpr const char* kHostileReason =
    "user name \"\x1b[31mroot\x1b[0m\nFAKE LINE <script>alert(1)</script>\" fails validation";
inline std::vector<std::string> hostile_argv() {
  return {"/usr/sbin/ufw", "deny", "from", "<script>x</script>", "a b", "\x1b]0;pwned\x07", "it's"};
}

inline std::string json_object(const char* name, const std::string& value) {
  std::string out = "{";
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
  return out + "}";
}

inline std::string json_array(const std::vector<std::string>& words) {
  std::string out = "[";
  for (const std::string& word : words) {
    if (out.size() > 1) out += ',';
    append_json_string(out, word);
  }
  return out + "]";
}

inline store::AlertRecord make_alert(const char* threshold, const char* severity,
                                     const std::string& key_json, int64_t first_us, int64_t last_us,
                                     uint64_t count = 1) {
  store::AlertRecord a;
  a.threshold = threshold;
  a.title = std::string("title of ") + threshold;
  a.severity = severity;
  a.key_json = key_json;
  a.count = count;
  a.first_ts_us = first_us;
  a.last_ts_us = last_us;
  return a;
}

inline store::ActionRecord make_action(size_t alert, const char* response, const char* kind,
                                       const char* status, int64_t due_us,
                                       const std::vector<std::string>& argv = {}) {
  store::ActionRecord a;
  a.alert = alert;
  a.response = response;
  a.kind = kind;
  a.key_json = "{}";
  a.argv_json = json_array(argv);
  a.dry_run = std::string(status) == "dry_run";
  a.status = status;
  a.due_us = due_us;
  return a;
}

// Commits `hits` sshd hits at `ts_us` (+1 s each), and whatever `during` adds.
inline void commit_with(store::Store& store, int64_t ts_us, int hits,
                        const store::Store::DuringCommit& during) {
  store::Batch batch;
  const uint32_t source = batch.add_source("/var/log/auth.log", "auth.log");
  for (int i = 0; i < hits; ++i) {
    store::HitView h;
    h.ts_us = ts_us + i * 1'000'000LL;
    h.source = source;
    h.line = static_cast<uint64_t>(i) + 1;
    h.offset = static_cast<uint64_t>(i) * 80;
    h.program = "sshd";
    h.rule = "ssh.failed_password";
    h.severity = "medium";
    h.message = "Failed password for root from 203.0.113.77 port 22 ssh2";
    h.captures_json = R"({"ip":"203.0.113.77","user":"root"})";
    batch.add_hit(h);
  }
  store.commit(batch, during);
}

// The database of report_alerts_test.cpp (what is in range is explained there).
inline void build_alert_db(const std::string& path) {
  const int64_t day = utc_us(2026, 11, 28, 0, 0, 0);
  const int64_t hour = 3'600'000'000LL;
  auto store = store::Store::open(path);
  commit_with(*store, day - 2 * hour, 1, [&](store::Batch& b) {
    b.alerts().push_back(make_alert("ssh.bruteforce", "high", json_object("ip", "192.0.2.1"),
                                    day - 2 * hour, day - hour));
    b.actions().push_back(make_action(0, "ban", "ban_ip", "done", day - hour, {"ufw", "deny"}));
  });
  const int64_t yesterday_alert = store::alerts_since(store->handle(), path, day - hour).at(0).id;
  commit_with(*store, day + 3 * hour, 5, [&](store::Batch& b) {
    b.alerts().push_back(make_alert("ssh.bruteforce", "high", json_object("ip", "203.0.113.77"),
                                    day + 3 * hour, day + 3 * hour + 4'000'000, 5));
    b.alerts().push_back(make_alert("ssh.compromise_likely", "critical",
                                    json_object("ip", "198.51.100.23"), day + 5 * hour,
                                    day + 6 * hour, 3));
    b.alerts().push_back(make_alert("sudo.failed_auth", "medium", json_object("user", "mallory"),
                                    day + 16 * hour, day + 16 * hour, 3));
    b.alerts().push_back(make_alert("sudo.denied", "low",
                                    json_object("user", "<b>eve</b>\x1b[2J\nx"), day + 17 * hour,
                                    day + 17 * hour));
    auto& acts = b.actions();
    acts.push_back(make_action(0, "ban", "ban_ip", "planned", day + 3 * hour,
                               {"ufw", "insert", "1", "deny", "from", "203.0.113.77"}));
    acts.push_back(make_action(0, "ban", "unban_ip", "waiting", day + 27 * hour,
                               {"ufw", "delete", "deny", "from", "203.0.113.77"}));
    acts.push_back(make_action(1, "isolate", "isolate", "refused", day + 6 * hour, hostile_argv()));
    acts.back().reason = kHostileReason;
    acts.push_back(
        make_action(2, "mail", "notify", "dry_run", day + 16 * hour, {"sendmail", "-t", "-oi"}));
    acts.push_back(make_action(2, "ban", "ban_ip", "skipped", day + 16 * hour));
    acts.back().reason = "allowlisted: user mallory";
    acts.push_back(make_action(1, "restart", "restart_unit", "planned", day + 6 * hour,
                               {"/usr/bin/systemctl", "restart", "x.service"}));
    acts.push_back(make_action(store::ActionRecord::kNoAlert, "ban", "unban_ip", "planned",
                               day + 1 * hour, {"ufw", "delete", "deny", "from", "192.0.2.1"}));
    acts.back().alert_id = yesterday_alert;
    acts.push_back(make_action(store::ActionRecord::kNoAlert, "ban", "unban_ip", "planned",
                               day + 30 * hour, {"ufw"}));  // tomorrow's, of yesterday's alert
    acts.back().alert_id = yesterday_alert;
  });
  // Outcomes, as the executor records them on its own connection.
  auto log = store::ActionLog::open(path);
  const auto finish = [&](int64_t id, const char* status, std::optional<int> exit_status,
                          const char* reason, int64_t at) {
    log->started(id, at);
    store::ActionOutcome o;
    o.status = status;
    o.exit_status = exit_status;
    o.reason = reason;
    o.started_us = at;
    o.finished_us = at + 1'000'000;
    log->finished(id, o);
  };
  for (const store::ActionRecord& a : store::actions_since(store->handle(), path, INT64_MIN)) {
    if (a.status != "planned") continue;
    if (a.kind == "ban_ip") finish(a.id, "done", 0, "", day + 3 * hour + 5'000'000);
    if (a.kind == "restart_unit") finish(a.id, "failed", 1, "exit status 1", day + 6 * hour);
    if (a.kind == "unban_ip" && a.due_us == day + hour) {
      finish(a.id, "timed_out", std::nullopt, "killed after 30 s", day + hour);
    }
  }
}

}  // namespace vigil::test
