// The "Alerts and actions" section on a database written through the store's
// API (tests/reports/alert_fixture.h). In range on 2026-11-28 (UTC):
// - alerts whose last hit is that day: ssh.compromise_likely (critical),
//   ssh.bruteforce 203.0.113.77 (high), sudo.failed_auth mallory (medium),
//   sudo.denied with a hostile user name (low). Yesterday's ssh.bruteforce
//   192.0.2.1 is not.
// - their actions (the 203.0.113.77 unban too, although it is due tomorrow),
//   and the actions due that day: the unban of yesterday's ban (timed out).
//   Yesterday's ban itself and the unban due on the 29th are not.

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <string>

#include "reports/report.h"
#include "tests/reports/alert_fixture.h"
#include "tests/support/temp_dir.h"

namespace vigil::reports {
namespace {

class ReportAlerts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    db_ = dir_->file("alerts.db");
    test::build_alert_db(db_);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static Report day() {
    const test::ScopedTz utc("UTC");
    return build_report(db_, *local_day("2026-11-28"));
  }
  static inline test::TempDir* dir_ = nullptr;
  static inline std::string db_;
};

TEST_F(ReportAlerts, AlertsOfTheDayMostSevereFirst) {
  const Alerts a = day().alerts;
  ASSERT_TRUE(a.recorded);
  EXPECT_EQ(a.total, 4);
  ASSERT_EQ(a.by_severity.size(), 4u);
  EXPECT_EQ(a.by_severity[0].name, "critical");
  EXPECT_EQ(a.by_severity[3].name, "low");
  ASSERT_EQ(a.rows.size(), 4u);
  EXPECT_EQ(a.rows[0].threshold, "ssh.compromise_likely");
  EXPECT_EQ(a.rows[1].threshold, "ssh.bruteforce");
  EXPECT_EQ(a.rows[1].key, (KeyValues{{"ip", "203.0.113.77"}}));
  EXPECT_EQ(a.rows[1].count, 5);
  EXPECT_EQ(a.rows[1].first_us, test::utc_us(2026, 11, 28, 3, 0, 0));
  EXPECT_EQ(a.rows[1].last_us, test::utc_us(2026, 11, 28, 3, 0, 4));
  EXPECT_EQ(a.rows[2].severity, "medium");
  EXPECT_EQ(a.rows[3].key, (KeyValues{{"user", "<b>eve</b>\x1b[2J\nx"}}));
}

TEST_F(ReportAlerts, ActionsOfThoseAlertsAndOfTheDayProblemsFirst) {
  const Alerts a = day().alerts;
  EXPECT_EQ(a.actions_total, 7);
  std::vector<std::string> statuses;
  for (const NameCount& c : a.actions_by_status) statuses.push_back(c.name);
  EXPECT_EQ(statuses, (std::vector<std::string>{"waiting", "done", "failed", "timed_out", "dry_run",
                                                "refused", "skipped"}));
  ASSERT_EQ(a.actions.size(), 7u);
  // Problems first (by time), then the rest by time.
  EXPECT_EQ(a.actions[0].status, "timed_out");
  EXPECT_EQ(a.actions[0].threshold, "ssh.bruteforce");  // yesterday's alert, joined in
  EXPECT_EQ(a.actions[0].key, (KeyValues{{"ip", "192.0.2.1"}}));
  EXPECT_FALSE(a.actions[0].exit_status.has_value());
  EXPECT_EQ(a.actions[1].status, "refused");
  EXPECT_EQ(a.actions[1].reason, test::kHostileReason);
  EXPECT_EQ(a.actions[1].argv, test::hostile_argv());
  EXPECT_EQ(a.actions[2].status, "failed");
  EXPECT_EQ(a.actions[2].exit_status, 1);
  EXPECT_EQ(a.actions[3].status, "done");
  EXPECT_EQ(a.actions[3].exit_status, 0);
  EXPECT_EQ(a.actions[3].argv.back(), "203.0.113.77");
  EXPECT_EQ(a.actions[4].status, "dry_run");
  EXPECT_TRUE(a.actions[4].dry_run);
  EXPECT_EQ(a.actions[5].status, "skipped");
  EXPECT_TRUE(a.actions[5].argv.empty());
  EXPECT_EQ(a.actions[6].status, "waiting");
  EXPECT_EQ(a.actions[6].due_us, test::utc_us(2026, 11, 29, 3, 0, 0));
}

TEST_F(ReportAlerts, TextShowsRowsAndNoControlCharacters) {
  const std::string text = render_text(day());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_EQ(text.find("\nFAKE LINE"), std::string::npos);  // the reason's newline is shown
  EXPECT_NE(text.find("\\nFAKE LINE <script>"), std::string::npos) << text;
  EXPECT_NE(text.find("Alerts: 4 (1 critical, 1 high, 1 medium, 1 low)."), std::string::npos)
      << text;
  EXPECT_NE(text.find("ssh.bruteforce ip=203.0.113.77"), std::string::npos);
  EXPECT_NE(text.find("2026-11-28 03:00:00\xE2\x80\x93"
                      "03:00:04"),
            std::string::npos);
  EXPECT_NE(text.find("user=$'<b>eve</b>\\e[2J\\nx'"), std::string::npos)
      << "a key value with controls is ANSI-C quoted";
  // argv as a command line: quoted where a shell would need it, controls visible.
  EXPECT_NE(text.find("/usr/sbin/ufw deny from '<script>x</script>' 'a b' $'\\e]0;pwned\\x07' "
                      "'it'\\''s'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ufw insert 1 deny from 203.0.113.77"), std::string::npos);
  EXPECT_NE(text.find("dry run: would have run"), std::string::npos);
  EXPECT_NE(text.find("REFUSED"), std::string::npos);
  EXPECT_NE(text.find("TIMED OUT"), std::string::npos);
  EXPECT_NE(text.find("allowlisted: user mallory"), std::string::npos);
  EXPECT_NE(text.find("Dry run: 1 action would have run"), std::string::npos);
  EXPECT_NE(text.find("FAILED: 1 action failed and 1 timed out"), std::string::npos);
  EXPECT_NE(text.find("(built-in)"), std::string::npos);
  EXPECT_NE(text.find("Actions: 7 ("), std::string::npos);
  // Yesterday's alert is not listed: only the unban due today names its address.
  size_t mentions = 0;
  for (size_t at = text.find("192.0.2.1"); at != std::string::npos;
       at = text.find("192.0.2.1", at + 1)) {
    ++mentions;
  }
  EXPECT_EQ(mentions, 2u);  // its alert column and its command
  // Rows that need attention are flagged at the start of the line.
  const size_t refused = text.find("REFUSED ");  // the row, not "REFUSED:"
  EXPECT_EQ(text[text.rfind('\n', refused) + 1], '!');
}

TEST_F(ReportAlerts, MarkdownAndHtmlEscapeLogText) {
  const Report report = day();
  const std::string md = render_markdown(report);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_EQ(md.find("\nFAKE LINE"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
  EXPECT_NE(md.find("| **REFUSED** |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Alerts and actions"), std::string::npos);

  const std::string html = render_html(report);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>eve"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&#39;it&#39;\\&#39;&#39;s&#39;"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"mark\">"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
}

TEST_F(ReportAlerts, JsonCarriesTheRowsAndParses) {
  const std::string json = render_json(day());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_TRUE(doc["alerts"]["recorded"].get_bool().value());
  EXPECT_EQ(doc["alerts"]["total"].get_int64().value(), 4);
  EXPECT_EQ(doc["alerts"]["by_severity"]["critical"].get_int64().value(), 1);
  EXPECT_EQ(doc["alerts"]["by_severity"]["info"].get_int64().value(), 0);
  EXPECT_EQ(doc["alerts"]["more"].get_int64().value(), 0);
  EXPECT_EQ(doc["alerts"]["list"].at(1)["key"]["ip"].get_string().value(), "203.0.113.77");
  EXPECT_EQ(doc["alerts"]["list"].at(1)["first"].get_string().value(), "2026-11-28T03:00:00Z");
  EXPECT_EQ(doc["actions"]["total"].get_int64().value(), 7);
  EXPECT_EQ(doc["actions"]["by_status"]["dry_run"].get_int64().value(), 1);
  EXPECT_EQ(doc["actions"]["by_status"]["planned"].get_int64().value(), 0);
  simdjson::dom::element refused = doc["actions"]["list"].at(1);
  EXPECT_EQ(refused["status"].get_string().value(), "refused");
  // Log text goes through unchanged: JSON escapes it, the reader decides.
  EXPECT_EQ(refused["reason"].get_string().value(), test::kHostileReason);
  EXPECT_EQ(std::string(refused["argv"].at(5).get_string().value()), test::hostile_argv()[5]);
  EXPECT_TRUE(refused["exit_status"].is_null());
  EXPECT_TRUE(refused["started_us"].is_null());
  EXPECT_EQ(doc["actions"]["list"].at(2)["exit_status"].get_int64().value(), 1);
}

TEST_F(ReportAlerts, TablesAreCappedWithTheRestCounted) {
  const std::string path = dir_->file("many.db");
  const int64_t noon = test::utc_us(2026, 11, 28, 12, 0, 0);
  {
    auto store = store::Store::open(path);
    test::commit_with(*store, noon, 1, [&](store::Batch& b) {
      for (int i = 0; i < 60; ++i) {
        b.alerts().push_back(
            test::make_alert(i == 59 ? "late.critical" : "many", i == 59 ? "critical" : "low",
                             test::json_object("n", std::to_string(i)), noon + i, noon + i));
        b.actions().push_back(test::make_action(static_cast<size_t>(i), "mail", "notify",
                                                i == 59 ? "refused" : "dry_run", noon + i));
      }
    });
  }
  const test::ScopedTz utc("UTC");
  const Report report = build_report(path, *local_day("2026-11-28"));
  EXPECT_EQ(report.alerts.total, 60);
  ASSERT_EQ(report.alerts.rows.size(), Alerts::kListed);
  EXPECT_EQ(report.alerts.rows[0].threshold, "late.critical");
  ASSERT_EQ(report.alerts.actions.size(), Alerts::kListed);
  EXPECT_EQ(report.alerts.actions[0].status, "refused");  // the last, but a problem
  const std::string text = render_text(report);
  EXPECT_NE(text.find("\xE2\x80\xA6 and 10 more alerts"), std::string::npos) << text;
  EXPECT_NE(text.find("\xE2\x80\xA6 and 10 more actions"), std::string::npos);
}

TEST_F(ReportAlerts, ADayWithoutHitsStillShowsItsActions) {
  const test::ScopedTz utc("UTC");
  const Report report = build_report(db_, *local_day("2026-11-29"));
  EXPECT_FALSE(report.has_data());
  EXPECT_EQ(report.alerts.total, 0);
  EXPECT_EQ(report.alerts.actions_total, 2);  // the two unbans due on the 29th
  const std::string text = render_text(report);
  EXPECT_NE(text.find("No data for this period"), std::string::npos);
  EXPECT_NE(text.find("No alert fired in this period."), std::string::npos);
  EXPECT_NE(text.find("unban_ip"), std::string::npos);
}

}  // namespace
}  // namespace vigil::reports
