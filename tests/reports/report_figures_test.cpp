// Each section's figures against fixtures/auth.log, app.log and rfc5424.log,
// counted by hand (the day is 2026-11-28 in UTC).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "reports/document.h"
#include "reports/report.h"
#include "tests/reports/report_fixture.h"
#include "tests/support/time_zone.h"

namespace vigil::reports {
namespace {

using test::utc_us;

class ReportFigures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    db_ = dir_->file("fixture.db");
    ASSERT_TRUE(test::scan_into(db_, {"auth.log", "app.log", "rfc5424.log"}));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static Report day(const char* date) {
    const test::ScopedTz utc("UTC");
    return build_report(db_, *local_day(date));
  }
  static const Comparison& figure(const Report& report, const std::string& name) {
    for (const Comparison& c : report.summary) {
      if (c.name == name) return c;
    }
    throw std::runtime_error("no figure " + name);
  }

  static inline test::TempDir* dir_ = nullptr;
  static inline std::string db_;
};

TEST_F(ReportFigures, SummaryComparesWithTheDaysSinceDataBegan) {
  const Report report = day("2026-11-28");
  // 6 failures today; 3 on the 25th, 0 on the 26th, 3 on the 27th (the days
  // before the 25th hold no data and do not count): mean 2.
  const Comparison& failed = figure(report, "failed logins");
  EXPECT_EQ(failed.today, 6);
  ASSERT_TRUE(failed.baseline.has_value());
  EXPECT_DOUBLE_EQ(*failed.baseline, 2.0);
  EXPECT_EQ(describe_change(failed), "3\xC3\x97 usual");
  EXPECT_EQ(figure(report, "accepted logins").today, 2);
  EXPECT_EQ(figure(report, "sudo commands").today, 4);
  EXPECT_EQ(describe_change(figure(report, "sudo commands")), "new (usually none)");
  EXPECT_EQ(figure(report, "sudo failures").today, 2);
  EXPECT_EQ(figure(report, "warnings").today, 2);
  EXPECT_EQ(figure(report, "slow operations").today, 4);
}

TEST_F(ReportFigures, Authentication) {
  const Authentication auth = day("2026-11-28").auth;
  EXPECT_EQ(auth.failed, 6);  // 23:59:59.999 counts; the 29th's 00:00:00 does not
  EXPECT_EQ(auth.invalid_users, 1);
  EXPECT_EQ(auth.accepted, 2);
  ASSERT_EQ(auth.failed_per_hour.size(), 24u);
  EXPECT_EQ(auth.failed_per_hour[1], 3);
  EXPECT_EQ(auth.failed_per_hour[9], 1);
  EXPECT_EQ(auth.failed_per_hour[13], 1);
  EXPECT_EQ(auth.failed_per_hour[23], 1);
  ASSERT_EQ(auth.top_ips.size(), 3u);
  EXPECT_EQ(auth.top_ips[0].ip, "203.0.113.5");
  EXPECT_EQ(auth.top_ips[0].count, 4);
  EXPECT_EQ(auth.top_ips[0].distinct_users, 3);  // root, admin, oracle
  EXPECT_EQ(auth.top_ips[0].first_us, utc_us(2026, 11, 28, 1, 10, 0));
  EXPECT_EQ(auth.top_ips[0].last_us, utc_us(2026, 11, 28, 13, 0, 0));
  ASSERT_FALSE(auth.top_users.empty());
  EXPECT_EQ(auth.top_users[0].name, "root");
  EXPECT_EQ(auth.top_users[0].count, 3);
  // alice failed from 198.51.100.7 at 09:00 and got in from it at 09:05.
  ASSERT_EQ(auth.accepted_after_failures.size(), 1u);
  EXPECT_EQ(auth.accepted_after_failures[0].user, "alice");
  EXPECT_EQ(auth.accepted_after_failures[0].ip, "198.51.100.7");
  EXPECT_EQ(auth.accepted_after_failures[0].failures_before, 1);
  // bob's 192.0.2.10 was accepted on the 27th already: only alice's IP is new.
  ASSERT_EQ(auth.new_ips.size(), 1u);
  EXPECT_EQ(auth.new_ips[0].ip, "198.51.100.7");
}

TEST_F(ReportFigures, PrivilegeUse) {
  const Privilege p = day("2026-11-28").privilege;
  EXPECT_EQ(p.sudo_commands, 4);
  ASSERT_EQ(p.sudo_by_user.size(), 2u);
  EXPECT_EQ(p.sudo_by_user[0].user, "alice");
  EXPECT_EQ(p.sudo_by_user[0].commands, 3);
  EXPECT_EQ(p.sudo_by_user[0].distinct_commands, 2);
  EXPECT_EQ(p.sudo_by_user[0].rare_commands, std::vector<std::string>{"/usr/bin/cat /etc/shadow"});
  EXPECT_EQ(p.sudo_by_user[1].user, "deploy");
  ASSERT_EQ(p.sudo_failures.size(), 2u);
  EXPECT_EQ(p.sudo_failures[0].rule, "sudo.auth_failure");
  EXPECT_EQ(p.sudo_failures[1].rule, "sudo.not_in_sudoers");
  EXPECT_EQ(p.sudo_failures[1].user, "mallory");
  EXPECT_EQ(p.su_success, 1);
  EXPECT_EQ(p.su_failed, 1);
  ASSERT_EQ(p.su_events.size(), 2u);
  EXPECT_EQ(p.su_events[1].user, "bob");
  EXPECT_EQ(p.su_events[1].detail, "root");
}

TEST_F(ReportFigures, ServicesCountEachErrorLineOnce) {
  const Services s = day("2026-11-28").services;
  // app.log: 3 ERROR lines (each also fires systemd.priority_err); rfc5424.log:
  // governance-app (app.error + priority_err) and postgres; backup.service failed.
  EXPECT_EQ(s.errors, 6);
  EXPECT_EQ(s.warnings, 2);
  ASSERT_EQ(s.errors_per_hour.size(), 24u);
  EXPECT_EQ(s.errors_per_hour[2], 2);
  EXPECT_EQ(s.errors_per_hour[3], 1);
  EXPECT_EQ(s.errors_per_hour[14], 2);
  EXPECT_EQ(s.errors_per_hour[15], 1);
  ASSERT_EQ(s.by_service.size(), 4u);
  EXPECT_EQ(s.by_service[0].service, test::report_fixture("app.log"));
  EXPECT_EQ(s.by_service[0].errors, 3);
  EXPECT_EQ(s.by_service[0].warnings, 2);
  int64_t sum = 0;
  for (const ServiceErrors& row : s.by_service) sum += row.errors;
  EXPECT_EQ(sum, 6);
  ASSERT_FALSE(s.top_messages.empty());
  EXPECT_EQ(s.top_messages[0].name, "[governance_app::db] query <n> failed from <ip>");
  EXPECT_EQ(s.top_messages[0].count, 3);
  EXPECT_EQ(s.slow.count, 4);  // 200 ms, 800 ms, 1500 ms, 2.5 s
  EXPECT_DOUBLE_EQ(s.slow.p50_ms, 800);
  EXPECT_DOUBLE_EQ(s.slow.p95_ms, 2500);
  EXPECT_DOUBLE_EQ(s.slow.max_ms, 2500);
}

TEST_F(ReportFigures, AlertsAndIngestHealth) {
  const Report report = day("2026-11-28");
  // The fixture's thresholds (no responses configured: no actions).
  ASSERT_TRUE(report.alerts.recorded);
  EXPECT_EQ(report.alerts.total, 3);
  ASSERT_EQ(report.alerts.by_severity.size(), 2u);
  EXPECT_EQ(report.alerts.by_severity[0].name, "high");  // sudo.denied, backup.service
  EXPECT_EQ(report.alerts.by_severity[0].count, 2);
  EXPECT_EQ(report.alerts.rows.at(2).threshold, "sudo.failed_auth");
  EXPECT_EQ(report.alerts.actions_total, 0);
  ASSERT_EQ(report.ingest.sources.size(), 3u);
  int64_t lines = 0;
  int64_t hits = 0;
  for (const SourceHealth& s : report.ingest.sources) {
    lines += s.lines;
    hits += s.hits_in_range;
    EXPECT_EQ(s.parse_failures, 0);
  }
  EXPECT_EQ(lines, 26 + 8 + 2);
  EXPECT_EQ(hits, report.hits_in_range);
  EXPECT_EQ(report.hits_in_range, 18 + 16 + 3);
  EXPECT_GT(report.ingest.database_bytes, 0);
}

TEST_F(ReportFigures, ADatabaseBeforeSchemaV2SaysAlertsAreNotRecorded) {
  // A file written before alerting: schema v1, which the read-only report does
  // not migrate.
  const std::string copy = dir_->file("v1.db");
  ASSERT_TRUE(test::older_schema_copy(
      db_, copy,
      "DROP VIEW alerts; DROP VIEW actions; DROP TABLE action_row; "
      "DROP TABLE alert_hit; DROP TABLE alert_row; PRAGMA user_version = 1"));
  const test::ScopedTz utc("UTC");
  const Report report = build_report(copy, *local_day("2026-11-28"));
  EXPECT_FALSE(report.alerts.recorded);
  EXPECT_EQ(report.auth.failed, 6);  // the rest of the report is unchanged
  const std::string text = render_text(report);
  EXPECT_NE(text.find("Alerts and actions are not recorded in this database"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Alerts: not recorded in this database"), std::string::npos);
  EXPECT_NE(render_json(report).find(R"("alerts":{"recorded":false,"total":0)"), std::string::npos);
}

TEST_F(ReportFigures, NextDayHoldsOnlyItsMidnightFailure) {
  const Report report = day("2026-11-29");
  EXPECT_EQ(report.auth.failed, 1);
  EXPECT_EQ(report.auth.failed_per_hour[0], 1);
  EXPECT_TRUE(report.has_data());
  EXPECT_FALSE(day("2026-12-05").has_data());
}

TEST(ReportNumbers, MeansAreGroupedLikeCounts) {
  EXPECT_EQ(decimal(4.25), "4.2");
  EXPECT_EQ(decimal(12.0), "12");
  EXPECT_EQ(decimal(999.96), "1,000");
  EXPECT_EQ(decimal(3333332.9), "3,333,332.9");
  EXPECT_EQ(decimal(-1234.5), "-1,234.5");
  EXPECT_EQ(number(3333330), "3,333,330");
}

}  // namespace
}  // namespace vigil::reports
