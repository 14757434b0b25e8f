// JSON with the same figures as the other formats, for other tools. Times are
// µs UTC (`*_us`) plus ISO 8601 UTC text; counts are integers.

#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>

#include "core/time.h"
#include "reports/json_writer.h"
#include "reports/report.h"

namespace vigil::reports {
namespace {

void write_counts(Json& j, const char* name, const std::vector<int64_t>& values) {
  j.key(name).open('[');
  for (int64_t v : values) j.value(v);
  j.close(']');
}

void write_names(Json& j, const char* name, const std::vector<NameCount>& rows) {
  j.key(name).open('[');
  for (const NameCount& row : rows) {
    j.open('{').key("name").value(row.name).key("count").value(row.count).close('}');
  }
  j.close(']');
}

void write_summary(Json& j, const Report& r) {
  j.key("summary").open('[');
  for (const Comparison& c : r.summary) {
    j.open('{').key("name").value(c.name).key("count").value(c.today).key("baseline");
    c.baseline ? j.value(*c.baseline) : j.null();
    j.key("change").value(describe_change(c)).close('}');
  }
  j.close(']');
}

void write_auth(Json& j, const Authentication& a) {
  j.key("authentication").open('{').key("failed").value(a.failed);
  j.key("invalid_users").value(a.invalid_users).key("accepted").value(a.accepted);
  write_counts(j, "failed_per_hour", a.failed_per_hour);
  j.key("top_ips").open('[');
  for (const IpFailures& ip : a.top_ips) {
    j.open('{').key("ip").value(ip.ip).key("count").value(ip.count);
    j.time("first_seen", ip.first_us).time("last_seen", ip.last_us);
    j.key("distinct_users").value(ip.distinct_users).close('}');
  }
  j.close(']');
  write_names(j, "top_users", a.top_users);
  j.key("accepted_after_failures").open('[');
  for (const SuspectLogin& s : a.accepted_after_failures) {
    j.open('{').time("time", s.ts_us).key("user").value(s.user).key("ip").value(s.ip);
    j.key("failures_before").value(s.failures_before).close('}');
  }
  j.close(']').key("new_ips").open('[');
  for (const AcceptedLogin& l : a.new_ips) {
    j.open('{').time("time", l.ts_us).key("user").value(l.user).key("ip").value(l.ip);
    j.key("rule").value(l.method).close('}');
  }
  j.close(']').close('}');
}

void write_events(Json& j, const char* name, const std::vector<PrivilegeEvent>& events) {
  j.key(name).open('[');
  for (const PrivilegeEvent& e : events) {
    j.open('{').time("time", e.ts_us).key("rule").value(e.rule).key("user").value(e.user);
    j.key("detail").value(e.detail).close('}');
  }
  j.close(']');
}

void write_privilege(Json& j, const Privilege& p) {
  j.key("privilege").open('{').key("sudo_commands").value(p.sudo_commands);
  j.key("sudo_by_user").open('[');
  for (const SudoUser& u : p.sudo_by_user) {
    j.open('{').key("user").value(u.user).key("commands").value(u.commands);
    j.key("distinct_commands").value(u.distinct_commands).key("rare_commands").open('[');
    for (const std::string& c : u.rare_commands) j.value(c);
    j.close(']').close('}');
  }
  j.close(']');
  write_events(j, "sudo_failures", p.sudo_failures);
  j.key("su_success").value(p.su_success).key("su_failed").value(p.su_failed);
  write_events(j, "su_events", p.su_events);
  j.close('}');
}

void write_services(Json& j, const Services& s) {
  j.key("services").open('{').key("errors").value(s.errors).key("warnings").value(s.warnings);
  write_counts(j, "errors_per_hour", s.errors_per_hour);
  j.key("by_service").open('[');
  for (const ServiceErrors& row : s.by_service) {
    j.open('{').key("service").value(row.service).key("errors").value(row.errors);
    j.key("warnings").value(row.warnings).close('}');
  }
  j.close(']');
  write_names(j, "top_messages", s.top_messages);
  j.key("slow").open('{').key("count").value(s.slow.count).key("p50_ms").value(s.slow.p50_ms);
  j.key("p95_ms").value(s.slow.p95_ms).key("max_ms").value(s.slow.max_ms).close('}');
  j.close('}');
}

void write_key(Json& j, const KeyValues& key) {
  j.key("key").open('{');
  for (const auto& [name, value] : key) j.key(name.c_str()).value(value);
  j.close('}');
}

void write_count_object(Json& j, const char* name, const std::vector<NameCount>& counts,
                        std::initializer_list<const char*> always) {
  j.key(name).open('{');
  for (const char* known : always) {
    int64_t n = 0;
    for (const NameCount& c : counts) n += c.name == known ? c.count : 0;
    j.key(known).value(n);
  }
  for (const NameCount& c : counts) {
    bool listed = false;
    for (const char* known : always) listed = listed || c.name == known;
    if (!listed) j.key(c.name.c_str()).value(c.count);
  }
  j.close('}');
}

void write_optional_time(Json& j, const char* name, const std::optional<int64_t>& us) {
  if (us) {
    j.time(name, *us);
  } else {
    j.key((std::string(name) + "_us").c_str()).null().key(name).null();
  }
}

// "alerts" and "actions": the counts of the range and the listed rows; `more`
// says how many the list leaves out. Absent schema v2, recorded is false.
void write_alerts(Json& j, const Alerts& a) {
  j.key("alerts").open('{').key("recorded").flag(a.recorded).key("total").value(a.total);
  write_count_object(j, "by_severity", a.by_severity,
                     {"critical", "high", "medium", "low", "info"});
  j.key("more").value(a.total - static_cast<int64_t>(a.rows.size())).key("list").open('[');
  for (const AlertRow& r : a.rows) {
    j.open('{').key("id").value(r.id).key("threshold").value(r.threshold);
    j.key("title").value(r.title).key("severity").value(r.severity);
    write_key(j, r.key);
    j.key("count").value(r.count).time("first", r.first_us).time("last", r.last_us).close('}');
  }
  j.close(']').close('}');
  j.key("actions").open('{').key("recorded").flag(a.recorded).key("total").value(a.actions_total);
  write_count_object(j, "by_status", a.actions_by_status,
                     {"planned", "waiting", "running", "done", "failed", "timed_out", "dry_run",
                      "refused", "skipped"});
  j.key("more").value(a.actions_total - static_cast<int64_t>(a.actions.size()));
  j.key("list").open('[');
  for (const ActionRow& r : a.actions) {
    j.open('{').key("id").value(r.id).key("alert_id");
    r.alert_id != 0 ? j.value(r.alert_id) : j.null();
    j.key("threshold").value(r.threshold);
    write_key(j, r.key);
    j.key("response").value(r.response).key("kind").value(r.kind);
    j.key("status").value(r.status).key("dry_run").flag(r.dry_run);
    j.key("reason").value(r.reason).key("argv").open('[');
    for (const std::string& word : r.argv) j.value(word);
    j.close(']').key("exit_status");
    r.exit_status ? j.value(*r.exit_status) : j.null();
    j.time("due", r.due_us);
    write_optional_time(j, "started", r.started_us);
    write_optional_time(j, "finished", r.finished_us);
    j.close('}');
  }
  j.close(']').close('}');
}

}  // namespace

std::string render_json(const Report& report) {
  Json j;
  j.open('{').key("range").open('{').time("start", report.range.start_us);
  j.time("end", report.range.end_us).key("label").value(report.range.label);
  j.key("tz").value(report.range.tz).close('}');
  j.time("generated", report.generated_us).key("hits").value(report.hits_in_range);
  j.key("has_data").flag(report.has_data());
  j.key("hour_labels").open('[');
  for (const std::string& label : report.hour_labels) j.value(label);
  j.close(']');
  write_summary(j, report);
  write_auth(j, report.auth);
  write_privilege(j, report.privilege);
  write_services(j, report.services);
  write_alerts(j, report.alerts);
  write_ingest(j, report);
  j.close('}');
  return j.take() + "\n";
}

}  // namespace vigil::reports
