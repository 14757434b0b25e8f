// The report's layout: what each section says, in which order.

#include "reports/document.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <variant>

#include "reports/display_text.h"
#include "reports/folding.h"

namespace vigil::reports {
namespace {

Table make_table(std::vector<std::string> header, std::vector<bool> numeric) {
  return Table{std::move(header), std::move(numeric), {}, {}};
}

Chart make_chart(std::string title, const Report& report, const std::vector<int64_t>& values) {
  return Chart{std::move(title), report.hour_labels, values, false};
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string or_unknown(const std::string& text) {
  return text.empty() ? "(unknown)" : text;
}

Section summary_section(const Report& report) {
  Section section{"Summary", {}};
  Table table = make_table({"figure", "this period", "usual (7-day mean)", "change"},
                           {false, true, true, false});
  for (const Comparison& c : report.summary) {
    table.rows.push_back(
        {c.name, number(c.today), c.baseline ? decimal(*c.baseline) : "-", describe_change(c)});
  }
  section.items.emplace_back(std::move(table));
  section.items.emplace_back(alerts_summary(report));
  return section;
}

Section authentication_section(const Report& report) {
  const Authentication& auth = report.auth;
  Section section{"Authentication", {}};
  section.items.emplace_back("Failed logins: " + number(auth.failed) + " (invalid user names " +
                             "tried: " + number(auth.invalid_users) +
                             "). Accepted logins: " + number(auth.accepted) + ".");
  section.items.emplace_back(make_chart("Failed logins per hour", report, auth.failed_per_hour));
  Table ips = make_table({"source IP", "failures", "first seen", "last seen", "users tried"},
                         {false, true, false, false, true});
  for (const IpFailures& ip : auth.top_ips) {
    ips.rows.push_back({ip.ip, number(ip.count), local_time_text(ip.first_us),
                        local_time_text(ip.last_us), number(ip.distinct_users)});
  }
  if (!ips.rows.empty()) {
    Chart bars{"Top source IPs by failures", {}, {}, true};
    for (const IpFailures& ip : auth.top_ips) {
      bars.labels.push_back(ip.ip);
      bars.values.push_back(ip.count);
    }
    section.items.emplace_back(std::move(bars));
    section.items.emplace_back(std::move(ips));
  }
  Table users = make_table({"user name targeted", "failures"}, {false, true});
  for (const NameCount& user : auth.top_users)
    users.rows.push_back({user.name, number(user.count)});
  if (!users.rows.empty()) section.items.emplace_back(std::move(users));
  if (auth.accepted_after_failures.empty()) {
    section.items.emplace_back("No accepted login came from an IP that had failed before it.");
  } else {
    section.items.emplace_back("POSSIBLE COMPROMISE: accepted logins from IPs that failed first:");
    Table table =
        make_table({"time", "user", "IP", "failures before"}, {false, false, false, true});
    for (const SuspectLogin& s : auth.accepted_after_failures) {
      table.rows.push_back(
          {local_time_text(s.ts_us), or_unknown(s.user), s.ip, number(s.failures_before)});
    }
    section.items.emplace_back(std::move(table));
  }
  if (auth.new_ips.empty()) {
    section.items.emplace_back("No login was accepted from an IP never accepted before.");
  } else {
    section.items.emplace_back("Accepted logins from IPs never accepted before:");
    Table table = make_table({"time", "user", "IP", "rule"}, {false, false, false, false});
    for (const AcceptedLogin& a : auth.new_ips) {
      table.rows.push_back({local_time_text(a.ts_us), or_unknown(a.user), a.ip, a.method});
    }
    section.items.emplace_back(std::move(table));
  }
  return section;
}

Section privilege_section(const Report& report) {
  const Privilege& p = report.privilege;
  Section section{"Privilege use", {}};
  section.items.emplace_back(
      "sudo commands: " + number(p.sudo_commands) +
      ". sudo failures and denials: " + number(static_cast<int64_t>(p.sudo_failures.size())) +
      ". su: " + number(p.su_success) + " successful, " + number(p.su_failed) + " failed.");
  Table users =
      make_table({"sudo user", "commands", "distinct", "run once"}, {false, true, true, false});
  for (const SudoUser& u : p.sudo_by_user) {
    users.rows.push_back({or_unknown(u.user), number(u.commands), number(u.distinct_commands),
                          join(u.rare_commands, "; ")});
  }
  if (!users.rows.empty()) section.items.emplace_back(std::move(users));
  Table events =
      make_table({"time", "event", "user", "command / target"}, {false, false, false, false});
  for (const auto* list : {&p.sudo_failures, &p.su_events}) {
    for (const PrivilegeEvent& e : *list) {
      events.rows.push_back({local_time_text(e.ts_us), e.rule, or_unknown(e.user), e.detail});
    }
  }
  if (!events.rows.empty()) section.items.emplace_back(std::move(events));
  return section;
}

Section services_section(const Report& report) {
  const Services& s = report.services;
  Section section{"Services and errors", {}};
  section.items.emplace_back(
      "Errors: " + number(s.errors) + " lines (each counted once, " +
      "whatever number of rules matched it). Warnings: " + number(s.warnings) + ".");
  section.items.emplace_back(make_chart("Errors per hour", report, s.errors_per_hour));
  Table services = make_table({"unit / service", "errors", "warnings"}, {false, true, true});
  for (const ServiceErrors& row : s.by_service) {
    services.rows.push_back({row.service, number(row.errors), number(row.warnings)});
  }
  if (!services.rows.empty()) section.items.emplace_back(std::move(services));
  Table messages = make_table({"error message (variable parts folded)", "count"}, {false, true});
  for (const NameCount& m : s.top_messages) messages.rows.push_back({m.name, number(m.count)});
  if (!messages.rows.empty()) section.items.emplace_back(std::move(messages));
  if (s.slow.count == 0) {
    section.items.emplace_back("Slow operations: none.");
  } else {
    section.items.emplace_back(
        "Slow operations: " + number(s.slow.count) + "; p50 " + milliseconds(s.slow.p50_ms) +
        ", p95 " + milliseconds(s.slow.p95_ms) + ", max " + milliseconds(s.slow.max_ms) + ".");
  }
  return section;
}

// Log-derived text everywhere (user names, commands, keys, reasons) becomes
// display-safe in one place, for every renderer.
void make_safe(std::string& text) {
  text = display_safe(text);
}

void make_safe(Item& item) {
  if (auto* text = std::get_if<std::string>(&item)) make_safe(*text);
  if (auto* table = std::get_if<Table>(&item)) {
    for (auto& cell : table->header) make_safe(cell);
    for (auto& row : table->rows) {
      for (auto& cell : row) make_safe(cell);
    }
  }
  if (auto* chart = std::get_if<Chart>(&item)) {
    make_safe(chart->title);
    for (auto& label : chart->labels) make_safe(label);
  }
}

void make_safe(Document& doc) {
  make_safe(doc.title);
  make_safe(doc.subtitle);
  for (Section& section : doc.sections) {
    make_safe(section.title);
    for (Item& item : section.items) make_safe(item);
  }
}

}  // namespace

std::string number(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return value < 0 ? "-" + digits : digits;
}

// "4.3", "12", "3,333,332.9": grouped like number(), so a mean reads like the
// count beside it.
std::string decimal(double value) {
  std::array<char, 32> buffer{};
  std::string text;
  if (std::snprintf(buffer.data(), buffer.size(), "%.1f", value) > 0) text = buffer.data();
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  const size_t digits_begin = text.starts_with('-') ? 1 : 0;
  const size_t point = std::min(text.find('.'), text.size());
  for (size_t i = point; i > digits_begin + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::string milliseconds(double ms) {
  return ms >= 1000 ? decimal(ms / 1000) + " s" : decimal(ms) + " ms";
}

std::string describe_change(const Comparison& c) {
  if (!c.baseline) return "no baseline yet";
  const double usual = *c.baseline;
  if (usual == 0) return c.today == 0 ? "none, as usual" : "new (usually none)";
  if (c.today == 0) return "none (usually " + decimal(usual) + ")";
  const double ratio = static_cast<double>(c.today) / usual;
  if (ratio >= 0.75 && ratio <= 1.33) return "as usual";
  return decimal(ratio >= 10 ? std::round(ratio) : ratio) + "\xC3\x97 usual";
}

Document layout(const Report& report) {
  Document doc;
  doc.title = "vigil security report: " + report.range.label;
  doc.subtitle = local_time_text(report.range.start_us) + " to " +
                 local_time_text(report.range.end_us) + " (" +
                 (report.range.tz.empty() ? std::string("local time") : report.range.tz) +
                 "), generated " + local_time_text(report.generated_us);
  if (!report.has_data()) {
    Section none{"No data", {}};
    none.items.emplace_back("No data for this period: the database holds no hits between " +
                            local_time_text(report.range.start_us) + " and " +
                            local_time_text(report.range.end_us) + ".");
    doc.sections.push_back(std::move(none));
    // An unban due today for yesterday's ban is this period's, hits or not.
    if (report.alerts.total > 0 || report.alerts.actions_total > 0) {
      doc.sections.push_back(alerts_section(report));
    }
    doc.sections.push_back(ingest_section(report));
  } else {
    doc.sections = {summary_section(report),   authentication_section(report),
                    privilege_section(report), services_section(report),
                    alerts_section(report),    ingest_section(report)};
  }
  make_safe(doc);
  return doc;
}

}  // namespace vigil::reports
