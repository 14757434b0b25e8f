// The shipped packs on an auth.log that mixes the three syslog forms a host writes.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <tuple>

#include "tests/integration/vigil_cli.h"

namespace vigil::test {
namespace {

struct Found {
  int64_t line;
  std::string rule;
  std::map<std::string, std::string> captures;
};

std::vector<Found> scan_json(const std::string& file) {
  const ProcessResult result =
      vigil({"scan", "--json", "--rules", std::string(VIGIL_SOURCE_DIR) + "/packs", file});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  std::vector<Found> found;
  simdjson::dom::parser parser;
  for (const std::string& text : split_lines(result.out)) {
    simdjson::dom::element hit = parser.parse(text);
    if (std::string_view(hit["type"]) != "hit") continue;  // alerts fire on these too
    Found f{int64_t(hit["line"]), std::string(std::string_view(hit["rule"])), {}};
    for (auto [key, value] : simdjson::dom::object(hit["captures"])) {
      f.captures[std::string(key)] = std::string(std::string_view(value));
    }
    found.push_back(std::move(f));
  }
  return found;
}

const Found* find(const std::vector<Found>& found, int64_t line, const std::string& rule) {
  for (const Found& f : found) {
    if (f.line == line && f.rule == rule) return &f;
  }
  return nullptr;
}

TEST(ShippedPacks, MixedSyslogFormsYieldEveryAuthAndSudoHit) {
  const auto found = scan_json(fixture("mixed-auth.log"));
  using Expect = std::tuple<int64_t, std::string, std::map<std::string, std::string>>;
  const std::vector<Expect> expected = {
      {1, "ssh.failed_password", {{"user", "root"}, {"ip", "203.0.113.7"}}},
      {3, "ssh.failed_password", {{"user", "admin"}, {"ip", "2001:db8::7"}}},
      {4, "ssh.invalid_user", {{"user", "oracle"}, {"ip", "198.51.100.23"}}},
      {5, "ssh.invalid_user", {{"user", "test"}, {"ip", "203.0.113.8"}}},
      {6, "ssh.failed_password", {{"user", "root from 6.6.6.6"}, {"ip", "203.0.113.9"}}},
      {8,
       "sudo.command",
       {{"user", "alice"}, {"runas", "root"}, {"command", "/usr/bin/systemctl restart nginx"}}},
      {9, "sudo.command", {{"user", "operator"}, {"tty", "pts/2"}, {"cwd", "/var/log"}}},
      {10, "sudo.not_in_sudoers", {{"user", "mallory"}, {"command", "/bin/cat /etc/shadow"}}},
      {11, "sudo.auth_failure", {{"user", "bob"}, {"attempts", "3"}}},
      {12, "ssh.accepted_publickey", {{"user", "alice"}, {"ip", "192.0.2.10"}}},
  };
  for (const auto& [line, rule, captures] : expected) {
    const Found* f = find(found, line, rule);
    ASSERT_NE(f, nullptr) << "no " << rule << " hit on line " << line;
    for (const auto& [name, value] : captures) {
      EXPECT_EQ(f->captures.contains(name) ? f->captures.at(name) : "<missing>", value)
          << rule << " line " << line << " capture " << name;
    }
  }
  // Nothing fires on the benign lines, and no sshd rule takes 6.6.6.6 as the ip.
  for (const Found& f : found) {
    EXPECT_NE(f.line, 2) << f.rule;
    EXPECT_NE(f.line, 7) << f.rule;
    if (f.captures.contains("ip")) {
      EXPECT_NE(f.captures.at("ip"), "6.6.6.6") << f.rule;
    }
  }
}

}  // namespace
}  // namespace vigil::test
