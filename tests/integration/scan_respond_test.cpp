// `vigil scan --config`: the responses attached to the sample day's alerts are
// recorded as dry-run audit rows and never run; allowlists keep addresses and
// users out; attacker-written values never reach a command.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/integration/alert_cli.h"

namespace vigil::test {
namespace {

// The task's example config; `bin` holds the stand-ins that PATH resolves to.
const char* const kConfig = R"(allow:
  cidrs: [10.0.0.0/24]
  users: [alice]
thresholds:
  ssh.bruteforce: {respond: [ban, mail, evidence]}
  sudo.denied: {respond: [mail]}
  service.outage: {respond: [restart]}
  ssh.compromise_likely: {respond: [isolate, evidence]}
respond:
  dry_run: true
  management: [10.0.0.5]
  responses:
    ban: {kind: ban_ip, argv: [ufw, insert, "1", deny, from, "{ip}"], undo_argv: [ufw, delete, deny, from, "{ip}"], ban_time: 1h}
    mail: {kind: notify, to: [security@example.org], from: vigil@web1.example.org}
    evidence: {kind: evidence, paths: [/var/log], evidence_dir: /var/lib/vigil/evidence}
    restart: {kind: restart_unit}
    isolate: {kind: isolate}
)";

std::string json_argv(const std::vector<std::string>& words) {
  std::string out = "[";
  for (const std::string& w : words) out += (out.size() > 1 ? ",\"" : "\"") + w + "\"";
  return out + "]";
}

constexpr const char* kActionRows = R"sql(
SELECT a.threshold, a.key, c.response, c.kind, c.argv, c.dry_run, c.status, c.reason,
       c.started, c.finished, c.exit_status, c.output
FROM actions c JOIN alerts a ON a.id = c.alert_id ORDER BY a.threshold, a.key, c.id
)sql";

TEST(ScanRespond, SampleDayRecordsEveryResponseAsADryRunAndRunsNone) {
  TempDir dir;
  const StandIns bin(dir, {"ufw", "sendmail", "systemctl"});
  const std::string db = dir.file("vigil.db");
  std::vector<std::string> args = {"--db", db, "--config", dir.write("vigil.yml", kConfig)};
  for (const std::string& file : sample_day(dir)) args.push_back(file);
  const ProcessResult result = scan_packs(bin.bin(), args);
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_FALSE(bin.any_ran()) << "a scan ran a response command";

  const std::string ufw = bin.program("ufw");
  const auto row = [](const std::string& threshold, const std::string& key,
                      const std::string& response, const std::string& kind,
                      const std::string& argv) {
    return Row{threshold, key, response, kind,   argv,   "1",
               "dry_run", "",  "NULL",   "NULL", "NULL", "NULL"};
  };
  std::vector<Row> expected;
  const std::string mail = json_argv({bin.program("sendmail"), "-t", "-oi"});
  const auto restart = [&](const std::string& unit) {
    expected.push_back(row("service.outage", R"({"unit":")" + unit + "\"}", "restart",
                           "restart_unit", json_argv({bin.program("systemctl"), "restart", unit})));
  };
  restart("governance-app.service");
  restart("postgresql@15-main.service");
  for (const std::string ip : {"198.51.100.23", "2001:db8:dead:beef::42", "203.0.113.77"}) {
    const std::string key = R"({"ip":")" + ip + "\"}";
    expected.push_back(row("ssh.bruteforce", key, "ban", "ban_ip",
                           json_argv({ufw, "insert", "1", "deny", "from", ip})));
    expected.push_back(row("ssh.bruteforce", key, "ban", "unban_ip",
                           json_argv({ufw, "delete", "deny", "from", ip})));
    expected.push_back(row("ssh.bruteforce", key, "mail", "notify", mail));
    expected.push_back(row("ssh.bruteforce", key, "evidence", "evidence", "[]"));
  }
  // The critical alert isolates: the management address stays reachable first.
  const std::string key23 = R"({"ip":"198.51.100.23"})";
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{ufw, "insert", "1", "allow", "from", "10.0.0.5"},
                                             {ufw, "insert", "1", "allow", "out", "to", "10.0.0.5"},
                                             {ufw, "default", "deny", "incoming"},
                                             {ufw, "default", "deny", "outgoing"},
                                             {ufw, "--force", "enable"}}) {
    expected.push_back(row("ssh.compromise_likely", key23, "isolate", "isolate", json_argv(words)));
  }
  expected.push_back(row("ssh.compromise_likely", key23, "evidence", "evidence", "[]"));
  expected.push_back(row("sudo.denied", R"({"user":"mallory"})", "mail", "notify", mail));
  EXPECT_EQ(query_rows(db, kActionRows), expected);

  // An action is due at its alert's time (cooldowns run on log time).
  EXPECT_EQ(query_one(db,
                      "SELECT count(*) FROM actions c JOIN alerts a ON a.id = c.alert_id "
                      "WHERE c.kind != 'unban_ip' AND c.due != a.last_ts"),
            "0");
  EXPECT_EQ(query_one(db, "SELECT count(*) FROM actions WHERE alert_id IS NULL"), "0");
  EXPECT_NE(result.out.find("alerts: 10 (21 response actions recorded, none run"),
            std::string::npos)
      << result.out;
}

// Alerts and ban rows for the brute-force addresses, and the sudo alerts.
struct Outcome {
  std::vector<Row> bruteforce;  // keys
  std::vector<Row> bans;        // argv of ban_ip rows
  std::string mentions_77;      // alerts and actions naming 203.0.113.77
  std::vector<Row> sudo;        // threshold of sudo alerts
  int64_t hits_77 = 0;
};

Outcome scan_with(const std::string& yaml) {
  TempDir dir;
  const StandIns bin(dir, {"ufw"});
  const std::string db = dir.file("vigil.db");
  const ProcessResult result = scan_packs(
      bin.bin(),
      {"--db", db, "--config", dir.write("vigil.yml", yaml), copy_sample(dir, "auth.log")});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_FALSE(bin.any_ran());
  Outcome out;
  out.bruteforce =
      query_rows(db, "SELECT key FROM alerts WHERE threshold = 'ssh.bruteforce' ORDER BY key");
  out.bans = query_rows(db, "SELECT argv FROM actions WHERE kind = 'ban_ip' ORDER BY argv");
  out.mentions_77 = query_one(db,
                              "SELECT (SELECT count(*) FROM alerts WHERE instr(key, "
                              "'203.0.113.77')) + (SELECT count(*) FROM actions c JOIN alerts a "
                              "ON a.id = c.alert_id WHERE instr(c.argv, '203.0.113.77') OR "
                              "instr(a.key, '203.0.113.77'))");
  out.sudo =
      query_rows(db, "SELECT threshold FROM alerts WHERE threshold LIKE 'sudo.%' ORDER BY 1");
  out.hits_77 = count_hits(db, "json_extract(captures, '$.ip') = '203.0.113.77'");
  for (const std::string ip : {"198.51.100.23", "2001:db8:dead:beef::42"}) {
    const std::string ban = json_argv({bin.program("ufw"), "insert", "1", "deny", "from", ip});
    EXPECT_EQ(query_one(db, "SELECT count(*) FROM actions WHERE argv = '" + ban + "'"), "1");
  }
  return out;
}

const char* const kBan =
    "respond:\n"
    "  responses:\n"
    "    ban: {kind: ban_ip}\n";

TEST(ScanRespond, GlobalAllowlistKeepsAnAddressOutOfAlertsAndBans) {
  const Outcome out = scan_with(std::string("allow:\n  cidrs: [203.0.113.0/24]\n") +
                                "thresholds:\n  ssh.bruteforce: {respond: [ban]}\n" + kBan);
  const std::vector<Row> keys = {{R"({"ip":"198.51.100.23"})"},
                                 {R"({"ip":"2001:db8:dead:beef::42"})"}};
  EXPECT_EQ(out.bruteforce, keys);
  EXPECT_EQ(out.bans.size(), 2u);
  EXPECT_EQ(out.mentions_77, "0");
  EXPECT_EQ(out.sudo, (std::vector<Row>{{"sudo.denied"}, {"sudo.failed_auth"}}));
  EXPECT_GE(out.hits_77, 60);  // the hits are still stored
}

TEST(ScanRespond, PerThresholdAllowlistKeepsAddressesAndUsersOutOfThatThreshold) {
  const Outcome out = scan_with(std::string("thresholds:\n") +
                                "  ssh.bruteforce: {allow: {cidrs: [203.0.113.0/24]}, "
                                "respond: [ban]}\n"
                                "  sudo.denied: {allow: {users: [mallory]}}\n" +
                                kBan);
  const std::vector<Row> keys = {{R"({"ip":"198.51.100.23"})"},
                                 {R"({"ip":"2001:db8:dead:beef::42"})"}};
  EXPECT_EQ(out.bruteforce, keys);
  EXPECT_EQ(out.bans.size(), 2u);
  EXPECT_EQ(out.mentions_77, "0");
  EXPECT_EQ(out.sudo, std::vector<Row>{{"sudo.failed_auth"}});  // only sudo.denied allows her
  EXPECT_GE(out.hits_77, 60);
}

// Disabled: fails today. A scan never acts, yet a config written for acting
// (dry_run: false) is refused when its programs are missing on the scanning
// host: AlertingReader::dry_run_ok_without_program() looks at the config only.
TEST(ScanRespond, ConfigThatActsIsReadAsADryRunByAScan) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  const std::string config = dir.write("vigil.yml",
                                       "thresholds:\n  ssh.bruteforce: {respond: [ban]}\n"
                                       "respond:\n  dry_run: false\n  responses:\n"
                                       "    ban: {kind: ban_ip}\n");
  const ProcessResult result =
      scan_packs("", {"--db", db, "--config", config, copy_sample(dir, "auth.log")});
  ASSERT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(query_one(db, "SELECT group_concat(DISTINCT status) FROM actions"), "dry_run");
  EXPECT_EQ(query_one(db, "SELECT count(*) FROM actions WHERE argv LIKE '[\"ufw\",%'"), "6");
}

// sudo.not_in_sudoers captures the user as \S+: values without spaces.
TEST(ScanRespond, AttackerWrittenUserNamesAreRefusedAndNothingRuns) {
  TempDir dir;
  const StandIns bin(dir, {"lock-user"});
  const std::string pwned = dir.file("pwned");
  const std::string long_name(size_t{10} * 1024, 'a');
  struct Case {
    std::string user;
    std::vector<std::string> why;  // one of them is in the refusal's reason
  };
  const std::vector<Case> cases = {
      // Its length depends on the temporary directory's: either problem will do.
      {"$(touch${IFS}" + pwned + ")", {"must start with a lowercase letter", "longer than 32"}},
      {";reboot", {"must start with a lowercase letter"}},
      {"`id`", {"must start with a lowercase letter"}},
      {"-rf", {"starts with '-'"}},
      {long_name, {"longer than 32 bytes"}},
      {"root;id", {"contains ';'"}},
      {"eve", {}},
  };
  std::string log;
  for (const Case& c : cases) {
    log += "Nov 28 06:25:14 web1 sudo: " + c.user +
           " : user NOT in sudoers ; TTY=pts/0 ; PWD=/home/x ; USER=root ; COMMAND=/bin/bash\n";
  }
  const std::string file = dir.write("auth.log", log);
  set_sample_mtime(file);
  const std::string config = dir.write("vigil.yml",
                                       "thresholds:\n"
                                       "  sudo.denied: {respond: [lock]}\n"
                                       "respond:\n"
                                       "  responses:\n"
                                       "    lock: {kind: command, argv: [" +
                                           bin.program("lock-user") + ", '{user}']}\n");
  const std::string db = dir.file("vigil.db");
  const ProcessResult result = scan_packs(bin.bin(), {"--db", db, "--config", config, file});
  ASSERT_EQ(result.exit_status, 0) << result.err;

  const std::vector<Row> rows = query_rows(
      db,
      "SELECT json_extract(a.key, '$.user'), c.argv, c.status, c.reason, c.dry_run FROM actions c"
      " JOIN alerts a ON a.id = c.alert_id WHERE a.threshold = 'sudo.denied' ORDER BY c.id");
  ASSERT_EQ(rows.size(), cases.size()) << "one alert, one row per user";
  for (size_t i = 0; i < cases.size(); ++i) {
    const Row& row = rows[i];
    EXPECT_EQ(row[0], cases[i].user);
    EXPECT_EQ(row[4], "1");
    if (cases[i].why.empty()) {
      EXPECT_EQ(row[1], json_argv({bin.program("lock-user"), "eve"}));
      EXPECT_EQ(row[2], "dry_run");
      EXPECT_EQ(row[3], "");
      continue;
    }
    // The row shows the template, not the value; the reason names the problem
    // and never quotes the attacker's text.
    EXPECT_EQ(row[1], json_argv({bin.program("lock-user"), "{user}"})) << cases[i].user;
    EXPECT_EQ(row[2], "refused") << cases[i].user;
    EXPECT_TRUE(row[3].starts_with("{user}")) << row[3];
    EXPECT_TRUE(std::ranges::any_of(cases[i].why, [&](const std::string& why) {
      return row[3].find(why) != std::string::npos;
    })) << row[3];
    EXPECT_LT(row[3].size(), 200u) << row[3];
  }
  EXPECT_FALSE(bin.any_ran());
  EXPECT_FALSE(std::filesystem::exists(pwned));
}

}  // namespace
}  // namespace vigil::test
