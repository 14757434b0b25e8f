// `vigil rules check|test` as a user runs them.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/integration/vigil_cli.h"

namespace vigil::test {
namespace {

TEST(RulesCheck, ReportsEachProblemAtItsLocationAndExitsTwo) {
  const std::string pack = fixture("broken.yml");
  const ProcessResult result = vigil({"rules", "check", pack});
  EXPECT_EQ(result.exit_status, 2);
  const std::vector<std::string> lines = split_lines(result.err);
  auto has_error_at = [&](const std::string& where, const std::string& words) {
    const std::string prefix = pack + ":" + where + ": ";
    return std::ranges::any_of(lines, [&](const std::string& line) {
      return line.starts_with(prefix) && line.find(words) != std::string::npos;
    });
  };
  EXPECT_TRUE(has_error_at("7:9", "missing )")) << result.err;   // the broken regex
  EXPECT_TRUE(has_error_at("19:9", "duplicate")) << result.err;  // second b.two
  EXPECT_TRUE(has_error_at("27:5", "title")) << result.err;      // b.three has no title
  EXPECT_EQ(lines.size(), 3u) << result.err;
}

TEST(RulesCheck, ValidPackIsOk) {
  const ProcessResult result = vigil({"rules", "check", fixture("basic.yml")});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_NE(result.out.find("2 rules"), std::string::npos) << result.out;
}

TEST(RulesTest, RunsEveryExample) {
  const ProcessResult result = vigil({"rules", "test", fixture("basic.yml")});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_NE(result.out.find("4 examples: 4 passed, 0 failed"), std::string::npos) << result.out;
}

TEST(RulesCheck, NoArgumentsIsAUsageError) {
  EXPECT_EQ(vigil({"rules", "check"}).exit_status, 2);
  EXPECT_EQ(vigil({"frobnicate"}).exit_status, 2);
}

}  // namespace
}  // namespace vigil::test
