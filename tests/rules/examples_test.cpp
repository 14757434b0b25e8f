// run_examples: each example line goes through the real parser and matcher.

#include "rules/examples.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "rules/loader.h"
#include "tests/rules/rules_test_util.h"
#include "tests/support/temp_dir.h"

namespace vigil::rules::test {
namespace {

using vigil::test::TempDir;

// Loads and compiles `yaml` (which must be valid) and runs its examples.
ExampleReport run(const std::string& yaml, std::string* file = nullptr) {
  TempDir dir;
  const std::string path = dir.write("pack.yml", yaml);
  if (file != nullptr) *file = path;
  LoadResult loaded = load_packs({path});
  EXPECT_TRUE(loaded.ok()) << messages(loaded.errors);
  std::vector<Diagnostic> errors;
  const auto matcher = Matcher::compile(std::move(loaded.rules), errors);
  EXPECT_NE(matcher, nullptr) << messages(errors);
  if (matcher == nullptr) return {};
  return run_examples(*matcher);
}

constexpr std::string_view kSshPack = R"(pack: sshd
rules:
  - id: ssh.failed_password
    title: Failed password
    severity: medium
    select: {program: [sshd]}
    patterns:
      - '^Failed password for (?:invalid user )?(?P<user>.*) from (?P<ip>\S+) port \d+(?: ssh2)?$'
    captures: {user: user, ip: ip}
    examples:
      match:
)";

// kSshPack with `examples` appended under `match:` (and any `no_match:` after).
std::string ssh_pack(const std::string& examples) {
  return std::string(kSshPack) + examples;
}

constexpr std::string_view kGoodMatch =
    "        - line: 'Nov 28 06:25:14 web1 sshd[812]: Failed password for root from "
    "::ffff:203.0.113.7 port 52144 ssh2'\n"
    "          captures: {user: root, ip: 203.0.113.7}\n";

TEST(Examples, PassingExamplesGiveNoFailures) {
  const ExampleReport report = run(ssh_pack(
      std::string(kGoodMatch) +
      "        - '2026-11-28T06:25:14.123456+00:00 web1 sshd[9]: Failed password for x from "
      "2001:db8::1 port 1 ssh2'\n"
      "        - '<38>1 2026-11-28T06:25:14Z web1 sshd 812 - - Failed password for root from "
      "192.0.2.1 port 2 ssh2'\n"
      "      no_match:\n"
      "        - 'Nov 28 06:25:14 web1 sshd[812]: Accepted password for root from 1.2.3.4 port 5'\n"
      "        - 'Nov 28 06:25:14 web1 ftpd[812]: Failed password for root from 1.2.3.4 port "
      "5'\n"));
  EXPECT_EQ(report.examples_run, 5u);
  EXPECT_TRUE(report.failures.empty()) << messages(report.failures);
}

TEST(Examples, MatchExampleThatDoesNotMatch) {
  std::string file;
  const ExampleReport report =
      run(ssh_pack(std::string(kGoodMatch) +
                   "        - 'Nov 28 06:25:14 web1 sshd[812]: Failed password for root from "
                   "nowhere port 1 ssh2'\n"),
          &file);
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_EQ(report.failures[0].str(),
            file +
                ":14:11: example does not match rule ssh.failed_password (parsed program "
                "\"sshd\", message \"Failed password for root from nowhere port 1 ssh2\")");
}

TEST(Examples, MatchExampleTheSelectorRefusesSaysWhy) {
  const ExampleReport report =
      run(ssh_pack("        - 'Nov 28 06:25:14 web1 sudo[812]: Failed password for root from "
                   "1.2.3.4 port 1'\n"));
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].message.find(
                "example does not match rule ssh.failed_password: its select refuses the event: "
                "program \"sudo\" is not in select.program [sshd]"),
            std::string::npos)
      << report.failures[0].str();
}

TEST(Examples, CaptureWithAnotherValue) {
  std::string file;
  const ExampleReport report =
      run(ssh_pack("        - line: 'Nov 28 06:25:14 web1 sshd[812]: Failed password for root from "
                   "5.6.7.8 port 1'\n"
                   "          captures: {ip: 1.2.3.4, user: root}\n"),
          &file);
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_EQ(report.failures[0].str(), file +
                                          ":12:11: capture ip: expected \"1.2.3.4\", got "
                                          "\"5.6.7.8\" (rule ssh.failed_password)");
}

TEST(Examples, CaptureExpectedFromAGroupThatDidNotTakePart) {
  const ExampleReport report = run(R"(pack: p
rules:
  - id: session
    title: Session
    severity: info
    patterns: ['session (?P<state>opened|closed)(?: for (?P<user>\S+))?']
    examples:
      match:
        - line: 'Nov 28 06:25:14 web1 cron[1]: session closed'
          captures: {state: closed, user: root}
      no_match: ['Nov 28 06:25:14 web1 cron[1]: session']
)");
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_EQ(report.failures[0].message,
            "capture user: expected \"root\", but rule session matched without it (an optional "
            "group that did not take part)");
}

TEST(Examples, NoMatchExampleThatHits) {
  std::string file;
  const ExampleReport report =
      run(ssh_pack(std::string(kGoodMatch) +
                   "      no_match:\n"
                   "        - 'Nov 28 06:25:14 web1 sshd[812]: Failed password for a from 1.2.3.4 "
                   "port 5'\n"),
          &file);
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_EQ(report.failures[0].str(),
            file +
                ":15:11: no_match example matches rule ssh.failed_password (parsed program "
                "\"sshd\", message \"Failed password for a from 1.2.3.4 port 5\")");
}

TEST(Examples, LineThatDoesNotParse) {
  const ExampleReport report =
      run(ssh_pack("        - 'Failed password for root from 1.2.3.4 port 1 ssh2'\n"));
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].message.find("example line does not parse as a log line"),
            std::string::npos)
      << report.failures[0].str();
}

TEST(Examples, OnlyTheExamplesOwnRuleCounts) {
  // The line hits another rule; that neither passes this match example nor
  // fails that rule's no_match example.
  const ExampleReport report = run(R"(pack: p
rules:
  - id: a
    title: A
    severity: info
    patterns: ['alpha']
    examples:
      match: ['Nov 28 06:25:14 web1 app[1]: alpha beta']
      no_match: ['Nov 28 06:25:14 web1 app[1]: beta']
  - id: b
    title: B
    severity: info
    patterns: ['beta']
    examples:
      match: ['Nov 28 06:25:14 web1 app[1]: alpha']
      no_match: ['Nov 28 06:25:14 web1 app[1]: alpha']
)");
  EXPECT_EQ(report.examples_run, 4u);
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_NE(report.failures[0].message.find("does not match rule b"), std::string::npos);
}

TEST(Examples, SourceAndUnitSelectorsUseTheExamplesContext) {
  const ExampleReport report = run(R"(pack: p
rules:
  - id: auth
    title: Auth log only
    severity: info
    select: {source: ['auth.log*'], unit: [ssh.service]}
    patterns: ['hello']
    examples:
      match:
        - {line: 'Nov 28 06:25:14 web1 sshd[1]: hello', source: auth.log.1, unit: ssh.service}
        - {line: 'Nov 28 06:25:14 web1 sshd[1]: hello', unit: ssh.service}
        - {line: 'Nov 28 06:25:14 web1 sshd[1]: hello', source: auth.log}
      no_match:
        - {line: 'Nov 28 06:25:14 web1 sshd[1]: hello', source: syslog, unit: ssh.service}
)");
  EXPECT_EQ(report.examples_run, 4u);
  ASSERT_EQ(report.failures.size(), 2u) << messages(report.failures);
  EXPECT_NE(report.failures[0].message.find(
                "source \"example\" matches nothing in select.source [auth.log*]; give the "
                "example its file"),
            std::string::npos)
      << report.failures[0].str();
  EXPECT_NE(report.failures[1].message.find("unit \"\" is not in select.unit [ssh.service]"),
            std::string::npos)
      << report.failures[1].str();
}

TEST(Examples, PrioritySelectorsSeeTheParsedLevel) {
  const ExampleReport report = run(R"(pack: p
rules:
  - id: app.error
    title: App error
    severity: low
    select: {max_priority: err}
    patterns: ['^\[(?P<module>[^\]]+)\] ']
    examples:
      match:
        - '2026-11-28T06:25:14.123Z ERROR [governance_app::db] query failed'
        - '2026-11-28T06:25:14.123Z WARN [governance_app::db] slow'
      no_match: ['2026-11-28T06:25:14.123Z INFO [governance_app::db] query ok']
)");
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_NE(
      report.failures[0].message.find("priority warning is not at most select.max_priority err"),
      std::string::npos)
      << report.failures[0].str();
}

TEST(Examples, Rfc3164LeapDayAndYearEndParse) {
  const std::string tail = " web1 sshd[812]: Failed password for root from 1.2.3.4 port 1'\n";
  const ExampleReport report =
      run(ssh_pack("        - 'Feb 29 06:25:14" + tail + "        - 'Jan  1 00:00:00" + tail +
                   "        - 'Dec 31 23:59:59" + tail));
  EXPECT_EQ(report.examples_run, 3u);
  EXPECT_TRUE(report.failures.empty()) << messages(report.failures);
}

TEST(Examples, ShippedPacksPassTheirOwnExamples) {
  LoadResult loaded = load_packs({std::string(VIGIL_SOURCE_DIR) + "/packs"});
  ASSERT_TRUE(loaded.ok()) << messages(loaded.errors);
  std::vector<Diagnostic> errors;
  const auto matcher = Matcher::compile(std::move(loaded.rules), errors);
  ASSERT_NE(matcher, nullptr) << messages(errors);
  const ExampleReport report = run_examples(*matcher);
  EXPECT_GT(report.examples_run, 0u);
  EXPECT_TRUE(report.failures.empty()) << messages(report.failures);
}

}  // namespace
}  // namespace vigil::rules::test
