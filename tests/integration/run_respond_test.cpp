// `vigil run` acting: thresholds over followed lines fire alerts, and the
// configured responses run through stand-in `ufw` and `sendmail` executables on
// PATH that record how they were called. Every wait has a deadline.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/vigil_cli.h"
#include "tests/support/child.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text << std::flush;
}

// A stand-in that appends "<name> <args>" to `log` and, for sendmail, keeps
// the message it was given on stdin.
void write_stand_in(const std::string& bin, const std::string& name, const std::string& log,
                    const std::string& stdin_copy = "") {
  const std::string path = bin + "/" + name;
  std::ofstream script(path);
  script << "#!/bin/sh\n"
         << "echo \"" << name << " $*\" >> '" << log << "'\n";
  if (!stdin_copy.empty()) script << "cat > '" << stdin_copy << "'\n";
  script.close();
  ::chmod(path.c_str(), 0755);
}

std::string failures(const std::string& ip, int n, int first_second) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "2026-11-28T03:12:" + std::to_string(10 + first_second + i) +
            ".000000+00:00 web1 sshd[812]: Failed password for root from " + ip +
            " port 4242 ssh2\n";
  }
  return text;
}

class RunRespond : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(bin_.c_str(), 0755);
    write_stand_in(bin_, "ufw", calls_);
    write_stand_in(bin_, "sendmail", calls_, mail_);
    std::ofstream(config_) << "database: " << db_ << "\n"
                           << "rules: [" << VIGIL_SOURCE_DIR << "/packs]\n"
                           << "files: [{path: " << log_ << "}]\n"
                           << "follow: {start_at: start}\n"
                           << "allow: {cidrs: [10.0.0.0/24]}\n"
                           << "thresholds:\n"
                           << "  ssh.bruteforce: {respond: [ban, mail]}\n"
                           << "respond:\n"
                           << "  dry_run: false\n"
                           << "  responses:\n"
                           << "    ban: {kind: ban_ip, ban_time: 2s}\n"
                           << "    mail: {kind: notify, to: [security@example.org]}\n";
    append(log_, "");
  }

  Child start() {
    const char* path = std::getenv("PATH");
    return Child({VIGIL_BINARY, "run", "--config", config_},
                 {"PATH=" + bin_ + ":" + (path != nullptr ? path : "/usr/bin:/bin")});
  }

  std::string action(const std::string& response, const std::string& column) {
    return query_one(db_, "SELECT " + column + " FROM actions WHERE response = '" + response +
                              "' ORDER BY id LIMIT 1");
  }

  TempDir dir_;
  std::string bin_ = dir_.file("bin");
  std::string calls_ = dir_.file("calls.txt");
  std::string mail_ = dir_.file("mail.txt");
  std::string db_ = dir_.file("v.db");
  std::string log_ = dir_.file("auth.log");
  std::string config_ = dir_.file("vigil.yml");
};

TEST_F(RunRespond, BansNotifiesAndUnbansWithExactArgv) {
  Child service = start();
  append(log_, failures("10.0.0.7", 6, 0) + failures("203.0.113.9", 6, 10));
  ASSERT_TRUE(wait_until([&] { return action("mail", "status") == "done"; }))
      << service.stderr_text() << query_one(db_, "SELECT group_concat(status) FROM actions");
  ASSERT_TRUE(wait_until([&] {
    return query_one(db_, "SELECT status FROM actions WHERE kind = 'unban_ip'") == "done";
  })) << service.stderr_text();

  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM alerts"), "1");  // 10.0.0.7 is allowlisted
  EXPECT_EQ(query_one(db_, "SELECT key FROM alerts"), R"({"ip":"203.0.113.9"})");
  EXPECT_EQ(action("ban", "argv"),
            R"([")" + bin_ + R"(/ufw","insert","1","deny","from","203.0.113.9"])");
  EXPECT_EQ(action("ban", "exit_status"), "0");
  EXPECT_EQ(action("ban", "dry_run"), "0");
  EXPECT_EQ(action("mail", "argv"), R"([")" + bin_ + R"(/sendmail","-t","-oi"])");
  const std::string calls = read_file(calls_);
  EXPECT_NE(calls.find("ufw insert 1 deny from 203.0.113.9\n"), std::string::npos) << calls;
  EXPECT_NE(calls.find("sendmail -t -oi\n"), std::string::npos) << calls;
  EXPECT_NE(calls.find("ufw delete deny from 203.0.113.9\n"), std::string::npos) << calls;
  EXPECT_EQ(calls.find("10.0.0.7"), std::string::npos) << calls;
  // The unban came after the ban, at least ban_time later.
  EXPECT_LT(calls.find("insert 1 deny"), calls.find("delete deny"));
  EXPECT_EQ(query_one(db_,
                      "SELECT due - (SELECT finished FROM actions WHERE kind = 'ban_ip') >= "
                      "2000000 FROM actions WHERE kind = 'unban_ip'"),
            "1");
  const std::string mail = read_file(mail_);
  EXPECT_NE(mail.find("To: security@example.org"), std::string::npos) << mail;
  EXPECT_NE(mail.find("203.0.113.9"), std::string::npos) << mail;

  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0) << service.stderr_text();
}

TEST_F(RunRespond, ARestartNeitherRefiresNorActsTwice) {
  {
    Child service = start();
    append(log_, failures("203.0.113.9", 4, 0));
    ASSERT_TRUE(wait_until([&] { return query_one(db_, "SELECT count(*) FROM hits") == "4"; }))
        << service.stderr_text();
    service.signal(SIGKILL);
    service.wait();
  }
  {
    // The window holds 4 failures from before the restart: one more fires.
    Child service = start();
    append(log_, failures("203.0.113.9", 1, 20));
    ASSERT_TRUE(wait_until([&] { return action("ban", "status") == "done"; }))
        << service.stderr_text();
    EXPECT_EQ(query_one(db_, "SELECT count FROM alerts"), "5");
    service.signal(SIGKILL);
    service.wait();
  }
  Child service = start();
  append(log_, failures("203.0.113.9", 6, 30));
  ASSERT_TRUE(wait_until([&] { return query_one(db_, "SELECT count(*) FROM hits") == "11"; }))
      << service.stderr_text();
  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0) << service.stderr_text();
  // Suppressed for an hour of log time: no second alert, no second ban.
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM alerts"), "1");
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM actions WHERE kind = 'ban_ip'"), "1");
  const std::string calls = read_file(calls_);
  EXPECT_EQ(calls.find("insert 1 deny"), calls.rfind("insert 1 deny")) << calls;
}

// An unban is a planned row with its time: kill -9 before it is due, and the
// next start runs it when it is due.
TEST_F(RunRespond, AnUnbanSurvivesARestart) {
  {
    Child service = start();
    append(log_, failures("203.0.113.9", 5, 0));
    ASSERT_TRUE(wait_until([&] {
      return query_one(db_, "SELECT status FROM actions WHERE kind = 'unban_ip'") == "planned";
    })) << service.stderr_text();
    service.signal(SIGKILL);
    service.wait();
  }
  // Run by the second process (the first was killed before the unban was due,
  // unless the machine stalled for the whole ban time: then it ran already).
  const std::string ran_before =
      query_one(db_, "SELECT status FROM actions WHERE kind = 'unban_ip'");
  Child service = start();
  ASSERT_TRUE(wait_until([&] {
    return query_one(db_, "SELECT status FROM actions WHERE kind = 'unban_ip'") == "done";
  })) << service.stderr_text();
  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0) << service.stderr_text();
  const std::string calls = read_file(calls_);
  EXPECT_NE(calls.find("ufw delete deny from 203.0.113.9\n"), std::string::npos) << calls;
  EXPECT_EQ(calls.find("insert 1 deny"), calls.rfind("insert 1 deny")) << calls;  // banned once
  EXPECT_EQ(calls.find("delete deny"), calls.rfind("delete deny")) << calls;      // unbanned once
}

// The outage procedure: restart the unit (stand-in systemctl), capture evidence
// of a real log tree, mail nobody (not configured). Evidence verifies with
// sha256sum and is owner-only.
TEST_F(RunRespond, AnOutageRestartsTheUnitAndCapturesVerifiableEvidence) {
  write_stand_in(bin_, "systemctl", calls_);
  const std::string logs = dir_.file("logs");
  ::mkdir(logs.c_str(), 0755);
  ::mkdir((logs + "/app").c_str(), 0755);
  append(logs + "/syslog", "a line of the host's log\n");
  append(logs + "/app/application.log", "ERROR something\n");
  const std::string evidence = dir_.file("evidence");
  std::ofstream(config_) << "database: " << db_ << "\n"
                         << "rules: [" << VIGIL_SOURCE_DIR << "/packs]\n"
                         << "files: [{path: " << log_ << "}]\n"
                         << "follow: {start_at: start}\n"
                         << "thresholds:\n"
                         << "  service.outage: {respond: [restart, evidence]}\n"
                         << "respond:\n"
                         << "  dry_run: false\n"
                         << "  responses:\n"
                         << "    restart: {kind: restart_unit}\n"
                         << "    evidence: {kind: evidence, paths: [" << logs
                         << "], evidence_dir: " << evidence << "}\n";
  Child service = start();
  append(log_,
         "2026-11-28T14:06:30.000000+00:00 web1 systemd[1]: governance-app.service: Failed with "
         "result 'exit-code'.\n");
  ASSERT_TRUE(wait_until([&] {
    return query_one(db_, "SELECT group_concat(status) FROM actions") == "done,done";
  })) << service.stderr_text()
      << query_one(db_, "SELECT group_concat(reason) FROM actions");
  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0) << service.stderr_text();

  EXPECT_EQ(read_file(calls_), "systemctl restart governance-app.service\n");
  const std::string alert_id = query_one(db_, "SELECT id FROM alerts");
  std::string captured;
  for (const auto& entry : std::filesystem::directory_iterator(evidence)) {
    captured = entry.path().string();
  }
  ASSERT_EQ(std::filesystem::path(captured).filename().string().rfind(alert_id + "_", 0), 0u)
      << captured;
  struct stat st {};
  ASSERT_EQ(::stat(captured.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  const std::string copy = captured + "/files" + logs + "/app/application.log";
  ASSERT_EQ(::stat(copy.c_str(), &st), 0) << copy;
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(read_file(copy), "ERROR something\n");
  EXPECT_NE(read_file(captured + "/alert.json").find("governance-app.service"), std::string::npos);
  const ProcessResult check = run_process(
      {"/usr/bin/env", "-C", captured, "sha256sum", "-c", "--strict", "MANIFEST.sha256"});
  EXPECT_EQ(check.exit_status, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("application.log: OK"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace vigil::test
