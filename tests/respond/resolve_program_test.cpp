#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "respond/process.h"
#include "tests/support/temp_dir.h"

namespace vigil::respond {
namespace {

namespace fs = std::filesystem;

std::string with_mode(const test::TempDir& dir, const std::string& name, fs::perms mode) {
  std::string path = dir.write(name, "#!/bin/sh\n");
  fs::permissions(path, mode);
  return path;
}

std::string resolved(std::string_view name, std::string_view path_env) {
  std::string why;
  const auto path = resolve_program(name, path_env, why);
  return path ? *path : "refused: " + why;
}

TEST(ResolveProgram, SearchesABareNameInPath) {
  EXPECT_EQ(resolved("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(resolved("sh", "/bin/"), "/bin/sh");
}

TEST(ResolveProgram, SkipsUnusableCandidatesAndNamesThem) {
  test::TempDir a;
  test::TempDir b;
  const std::string plain = with_mode(a, "tool", fs::perms(0644));
  const std::string good = with_mode(b, "tool", fs::perms(0755));
  const std::string path_env = a.path().string() + ":" + b.path().string();
  EXPECT_EQ(resolved("tool", path_env), good);
  EXPECT_EQ(resolved("tool", a.path().string()),
            "refused: tool: not found in PATH; " + plain + ": not executable");
}

TEST(ResolveProgram, IgnoresEmptyAndRelativePathEntries) {
  // "" and "." would mean the working directory, which is not ours to trust.
  EXPECT_EQ(resolved("sh", ":.:bin"), "refused: sh: not found in PATH");
  EXPECT_EQ(resolved("sh", ""), "refused: sh: not found in PATH");
}

TEST(ResolveProgram, ChecksAnAbsolutePath) {
  test::TempDir dir;
  EXPECT_EQ(resolved("/bin/sh", ""), "/bin/sh");
  EXPECT_EQ(resolved(dir.file("missing"), "/bin"),
            "refused: " + dir.file("missing") + ": No such file or directory");
  EXPECT_EQ(resolved(dir.path().string(), "/bin"),
            "refused: " + dir.path().string() + ": not a regular file");
  const std::string plain = with_mode(dir, "plain", fs::perms(0644));
  EXPECT_EQ(resolved(plain, "/bin"), "refused: " + plain + ": not executable");
  const std::string open = with_mode(dir, "open", fs::perms(0777));
  EXPECT_EQ(resolved(open, "/bin"), "refused: " + open + ": writable by anyone");
}

TEST(ResolveProgram, RefusesRelativePathsAndEmptyNames) {
  EXPECT_EQ(resolved("./sh", "/bin"),
            "refused: ./sh: a path must be absolute (or a bare name, searched in PATH)");
  EXPECT_EQ(resolved("bin/sh", "/"),
            "refused: bin/sh: a path must be absolute (or a bare name, searched in PATH)");
  EXPECT_EQ(resolved("", "/bin"), "refused: the program name is empty or holds a NUL byte");
}

}  // namespace
}  // namespace vigil::respond
