// Compiled Hyperscan databases are reused from the cache directory only when
// they are ours, intact and built from the same expressions.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/rules/rules_test_util.h"
#include "tests/support/temp_dir.h"

namespace vigil::rules::test {
namespace {

namespace fs = std::filesystem;

std::vector<Rule> routed_rules(
    const std::string& ssh_pattern = "Failed password for (?P<user>\\S+)") {
  Rule ssh = rule("ssh.fail", {ssh_pattern}, {{"user", CaptureType::kUser}});
  ssh.select.programs = {"sshd"};
  Rule sudo = rule("sudo.denied", {"NOT in sudoers"});
  sudo.select.programs = {"sudo"};
  Rule any = rule("any.oom", {"Out of memory"});
  return {ssh, sudo, any};
}

std::unique_ptr<Matcher> compile_cached(const std::string& dir, std::vector<Rule> rules) {
  std::vector<Diagnostic> errors;
  CompileOptions options;
  options.cache_dir = dir;
  auto matcher = Matcher::compile(RuleSet{std::move(rules)}, errors, options);
  for (const Diagnostic& d : errors) ADD_FAILURE() << d.str();
  return matcher;
}

std::vector<fs::path> entries(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

void expect_matches_right(const Matcher& m) {
  const auto ssh = hits(m, event("Failed password for root from 203.0.113.7", "sshd"));
  ASSERT_EQ(ssh.size(), 1u);
  EXPECT_EQ(ssh[0].captures.at("user"), "root");
  EXPECT_EQ(hits(m, event("alice : user NOT in sudoers", "sudo")).size(), 1u);
  EXPECT_EQ(hits(m, event("Out of memory: Killed process 1", "kernel")).size(), 1u);
  EXPECT_TRUE(hits(m, event("Failed password for root", "sudo")).empty());
}

TEST(HsCache, SecondCompileLoadsEveryDatabase) {
  vigil::test::TempDir tmp;
  const std::string dir = tmp.file("cache");
  auto first = compile_cached(dir, routed_rules());
  ASSERT_NE(first, nullptr);
  EXPECT_GT(first->compile_stats().databases, 0u);
  EXPECT_EQ(first->compile_stats().from_cache, 0u);

  auto second = compile_cached(dir, routed_rules());
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->compile_stats().from_cache, second->compile_stats().databases);
  expect_matches_right(*second);
}

TEST(HsCache, FilesAreOwnerOnly) {
  vigil::test::TempDir tmp;
  const std::string dir = tmp.file("cache");
  compile_cached(dir, routed_rules());
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_FALSE(entries(dir).empty());
  for (const fs::path& p : entries(dir)) {
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u) << p;
  }
}

TEST(HsCache, ChangedPatternMissesTheCache) {
  vigil::test::TempDir tmp;
  const std::string dir = tmp.file("cache");
  compile_cached(dir, routed_rules());
  auto changed =
      compile_cached(dir, routed_rules("Failed (?:password|publickey) for (?P<user>\\S+)"));
  ASSERT_NE(changed, nullptr);
  // The sshd database changed; the others are reused.
  EXPECT_LT(changed->compile_stats().from_cache, changed->compile_stats().databases);
  EXPECT_GT(changed->compile_stats().from_cache, 0u);
  expect_matches_right(*changed);
}

TEST(HsCache, CorruptEntryIsRecompiled) {
  vigil::test::TempDir tmp;
  const std::string dir = tmp.file("cache");
  compile_cached(dir, routed_rules());
  for (const fs::path& p : entries(dir)) {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(p) / 2));
    f.write("garbage!", 8);
  }
  auto m = compile_cached(dir, routed_rules());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->compile_stats().from_cache, 0u);
  expect_matches_right(*m);
}

TEST(HsCache, EntriesOthersCanWriteAreIgnored) {
  vigil::test::TempDir tmp;
  const std::string dir = tmp.file("cache");
  compile_cached(dir, routed_rules());
  for (const fs::path& p : entries(dir)) ::chmod(p.c_str(), 0666);
  auto m = compile_cached(dir, routed_rules());
  EXPECT_EQ(m->compile_stats().from_cache, 0u);

  ::chmod(dir.c_str(), 0777);  // a directory others can write: not trusted at all
  auto again = compile_cached(dir, routed_rules());
  EXPECT_EQ(again->compile_stats().from_cache, 0u);
  expect_matches_right(*again);
}

TEST(HsCache, EmptyDirectoryNameDisablesTheCache) {
  auto m = compile_cached("", routed_rules());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->compile_stats().from_cache, 0u);
  expect_matches_right(*m);
}

}  // namespace
}  // namespace vigil::rules::test
