// `vigil scan` of the sample day with the shipped config (deploy/vigil.yml:
// responses recorded as dry runs, since a scan never acts), then `vigil report`:
// the alerts of samples/README.md's story and their would-be actions appear.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

#include "tests/reports/report_fixture.h"

namespace vigil::test {
namespace {

class ReportSamples : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->file("samples.db");
    const std::string root = VIGIL_SOURCE_DIR;
    const ProcessResult scan = run_vigil({"scan", "--config", root + "/deploy/vigil.yml", "--db",
                                          db_, root + "/samples/auth.log", root + "/samples/syslog",
                                          root + "/samples/application.log"});
    ASSERT_EQ(scan.exit_status, 0) << scan.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static ProcessResult report(const std::string& format) {
    return run_vigil(
        {"report", "--db", db_, "--day", "2026-11-28", "--tz", "UTC", "--format", format});
  }
  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
};

TEST_F(ReportSamples, JsonListsTheStorysAlertsAndDryRuns) {
  const ProcessResult r = report("json");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.out).get(doc), simdjson::SUCCESS) << r.out;
  std::set<std::string> alerts;
  for (simdjson::dom::element alert : doc["alerts"]["list"].get_array()) {
    std::string key;
    for (auto [name, value] : alert["key"].get_object()) {
      key += std::string(name) + "=" + std::string(value.get_string().value());
    }
    alerts.insert(std::string(alert["threshold"].get_string().value()) + " " + key);
  }
  for (const char* expected :
       {"ssh.bruteforce ip=203.0.113.77", "ssh.password_spray ip=198.51.100.23",
        "ssh.compromise_likely ip=198.51.100.23", "sudo.denied user=mallory",
        "service.outage unit=postgresql@15-main.service",
        "service.outage unit=governance-app.service"}) {
    EXPECT_EQ(alerts.count(expected), 1u) << expected << "\n" << r.out;
  }
  EXPECT_EQ(doc["alerts"]["list"].at(0)["severity"].get_string().value(), "critical");
  EXPECT_EQ(doc["alerts"]["total"].get_int64().value(),
            static_cast<int64_t>(doc["alerts"]["list"].get_array().size()));
  // A scan never acts: every action is a dry run, or skipped, or refused.
  const int64_t total = doc["actions"]["total"].get_int64().value();
  EXPECT_GT(total, 0);
  EXPECT_EQ(doc["actions"]["by_status"]["done"].get_int64().value(), 0);
  EXPECT_EQ(doc["actions"]["by_status"]["planned"].get_int64().value(), 0);
  EXPECT_GT(doc["actions"]["by_status"]["dry_run"].get_int64().value(), 0);
}

TEST_F(ReportSamples, TextShowsTheBanThatWouldHaveRun) {
  const ProcessResult r = report("text");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("Alerts and actions"), std::string::npos);
  EXPECT_NE(r.out.find("ip=203.0.113.77"), std::string::npos);
  EXPECT_NE(r.out.find("user=mallory"), std::string::npos);
  EXPECT_NE(r.out.find("unit=postgresql@15-main.service"), std::string::npos);
  EXPECT_NE(r.out.find("ufw insert 1 deny from 203.0.113.77"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dry run: would have run"), std::string::npos);
  EXPECT_NE(r.out.find("Dry run: "), std::string::npos);
}

TEST_F(ReportSamples, HtmlAndMarkdownCarryTheSection) {
  const ProcessResult html = report("html");
  ASSERT_EQ(html.exit_status, 0) << html.err;
  EXPECT_NE(html.out.find("<h2>Alerts and actions</h2>"), std::string::npos);
  EXPECT_NE(html.out.find("ip=203.0.113.77"), std::string::npos);
  const ProcessResult md = report("md");
  ASSERT_EQ(md.exit_status, 0) << md.err;
  EXPECT_NE(md.out.find("| ssh.bruteforce ip=203.0.113.77 |"), std::string::npos) << md.out;
}

}  // namespace
}  // namespace vigil::test
