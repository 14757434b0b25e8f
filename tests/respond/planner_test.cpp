// The planner's decisions, one audit row each: what runs, with which argv, and
// why something does not (dry run, refused value, allowlist, cooldown, limit,
// severity).

#include "respond/planner.h"

#include <gtest/gtest.h>

namespace vigil::respond {
namespace {

ArgvTemplate argv(std::vector<std::string> words) {
  std::string why;
  auto parsed = ArgvTemplate::parse(std::move(words), template_value_types(), why);
  EXPECT_TRUE(parsed) << why;
  return *parsed;
}

constexpr int64_t kMinute = 60'000'000;

class PlannerTest : public ::testing::Test {
 protected:
  PlannerTest() {
    Response ban;
    ban.name = "ban";
    ban.kind = ResponseKind::kBanIp;
    ban.commands = {argv({"/usr/sbin/ufw", "insert", "1", "deny", "from", "{ip}"})};
    ban.undo = argv({"/usr/sbin/ufw", "delete", "deny", "from", "{ip}"});
    ban.undo_after_us = 60 * kMinute;
    ban.cooldown_us = 60 * kMinute;
    Response lock;
    lock.name = "lock";
    lock.kind = ResponseKind::kCommand;
    lock.commands = {argv({"/usr/sbin/usermod", "--lock", "{user}"})};
    Response restart;
    restart.name = "restart";
    restart.kind = ResponseKind::kRestartUnit;
    restart.commands = {argv({"/usr/bin/systemctl", "restart", "{unit}"})};
    restart.max_per_hour = 2;
    Response isolate;
    isolate.name = "isolate";
    isolate.kind = ResponseKind::kIsolate;
    isolate.allow_in = argv({"/usr/sbin/ufw", "insert", "1", "allow", "from", "{address}"});
    isolate.commands = {argv({"/usr/sbin/ufw", "default", "deny", "incoming"})};
    for (Response* r : {&ban, &lock, &restart, &isolate}) config_.responses[r->name] = *r;
    config_.on_threshold = {{"ssh.bruteforce", {"ban"}},
                            {"sudo.denied", {"lock"}},
                            {"service.outage", {"restart"}},
                            {"ssh.compromise_likely", {"isolate"}}};
    config_.management = {"10.0.0.5"};
    config_.protected_cidrs = {*parse_cidr("192.0.2.0/24")};
    config_.dry_run = false;
  }

  static std::vector<store::ActionRecord> plan(Planner& planner, const std::string& threshold,
                                               const std::string& name, const std::string& value,
                                               int64_t ts_us,
                                               const std::string& severity = "high") {
    AlertFacts alert;
    alert.batch_index = 0;
    alert.threshold = threshold;
    alert.severity = severity;
    alert.key = {{name, value}};
    alert.key_json = "{\"" + name + "\":\"" + value + "\"}";
    alert.ts_us = ts_us;
    std::vector<store::ActionRecord> rows;
    planner.plan(alert, rows);
    return rows;
  }

  RespondConfig config_;
};

TEST_F(PlannerTest, ABanIsPlannedWithItsUnbanWaiting) {
  Planner planner(config_, false);
  const auto rows = plan(planner, "ssh.bruteforce", "ip", "::ffff:203.0.113.9", 0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].argv_json, R"(["/usr/sbin/ufw","insert","1","deny","from","203.0.113.9"])");
  EXPECT_EQ(rows[0].status, "planned");
  EXPECT_FALSE(rows[0].dry_run);
  EXPECT_EQ(rows[1].kind, "unban_ip");
  EXPECT_EQ(rows[1].status, "waiting");
  EXPECT_TRUE(plan(planner, "sudo.unknown", "ip", "203.0.113.9", 0).empty());
}

TEST_F(PlannerTest, ScanPlansEverythingAsADryRun) {
  Planner planner(config_, /*force_dry_run=*/true);
  const auto rows = plan(planner, "ssh.bruteforce", "ip", "203.0.113.9", 0);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, "dry_run");
    EXPECT_TRUE(row.dry_run);
  }
  EXPECT_EQ(rows[1].due_us, 60 * kMinute);  // the unban it would schedule
}

TEST_F(PlannerTest, AValueThatFailsValidationRefusesTheResponse) {
  Planner planner(config_, false);
  for (const std::string& user : std::vector<std::string>{"$(touch /tmp/pwned)", ";reboot", "`id`",
                                                          "-rf", "a\nb", std::string(10240, 'a')}) {
    const auto rows = plan(planner, "sudo.denied", "user", user, 0);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, "refused");
    EXPECT_EQ(rows[0].reason.rfind("{user}", 0), 0u) << rows[0].reason;
    EXPECT_EQ(rows[0].argv_json, R"(["/usr/sbin/usermod","--lock","{user}"])");
  }
  EXPECT_EQ(plan(planner, "ssh.bruteforce", "ip", "1.2.3.4; reboot", 0)[0].status, "refused");
  EXPECT_EQ(plan(planner, "sudo.denied", "user", "eve", 0)[0].argv_json,
            R"(["/usr/sbin/usermod","--lock","eve"])");
}

TEST_F(PlannerTest, AllowlistedAndManagementAddressesAreNeverBanned) {
  Planner planner(config_, false);
  auto rows = plan(planner, "ssh.bruteforce", "ip", "192.0.2.77", 0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, "skipped");
  EXPECT_NE(rows[0].reason.find("allowlisted"), std::string::npos);
  rows = plan(planner, "ssh.bruteforce", "ip", "10.0.0.5", 0);
  EXPECT_EQ(rows[0].status, "skipped");
  EXPECT_NE(rows[0].reason.find("management"), std::string::npos);
}

TEST_F(PlannerTest, CooldownAndHourlyLimitRunOnAlertTime) {
  Planner planner(config_, false);
  EXPECT_EQ(plan(planner, "ssh.bruteforce", "ip", "203.0.113.9", 0)[0].status, "planned");
  EXPECT_EQ(plan(planner, "ssh.bruteforce", "ip", "203.0.113.9", 59 * kMinute)[0].status,
            "skipped");
  EXPECT_EQ(plan(planner, "ssh.bruteforce", "ip", "203.0.113.10", 1)[0].status, "planned");
  EXPECT_EQ(plan(planner, "ssh.bruteforce", "ip", "203.0.113.9", 60 * kMinute)[0].status,
            "planned");

  const std::string unit = "governance-app.service";
  EXPECT_EQ(plan(planner, "service.outage", "unit", unit, 0)[0].status, "planned");
  EXPECT_EQ(plan(planner, "service.outage", "unit", unit, 10 * kMinute)[0].status, "planned");
  const auto third = plan(planner, "service.outage", "unit", unit, 20 * kMinute);
  EXPECT_EQ(third[0].status, "skipped");
  EXPECT_NE(third[0].reason.find("2 per hour"), std::string::npos);
  EXPECT_EQ(plan(planner, "service.outage", "unit", unit, 61 * kMinute)[0].status, "planned");
}

TEST_F(PlannerTest, ARestartRestoresCooldowns) {
  Planner before(config_, false);
  const auto rows = plan(before, "ssh.bruteforce", "ip", "203.0.113.9", 0);
  Planner after(config_, false);
  after.restore(rows);
  EXPECT_EQ(plan(after, "ssh.bruteforce", "ip", "203.0.113.9", kMinute)[0].status, "skipped");
}

TEST_F(PlannerTest, IsolationNeedsACriticalAlertAndAllowsManagementFirst) {
  Planner planner(config_, false);
  auto rows = plan(planner, "ssh.compromise_likely", "ip", "198.51.100.23", 0, "high");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, "refused");
  rows = plan(planner, "ssh.compromise_likely", "ip", "198.51.100.23", 0, "critical");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].argv_json, R"(["/usr/sbin/ufw","insert","1","allow","from","10.0.0.5"])");
  EXPECT_EQ(rows[1].argv_json, R"(["/usr/sbin/ufw","default","deny","incoming"])");
}

}  // namespace
}  // namespace vigil::respond
