// RE2 is asked for an anchored match only when the pattern itself is anchored
// at the start; anything else must keep matching anywhere in the text.

#include "rules/regex.h"

#include <gtest/gtest.h>

#include "tests/rules/rules_test_util.h"

namespace vigil::rules::test {
namespace {

TEST(StartsAnchored, OnlyATopLevelCaretWithoutTopLevelAlternation) {
  EXPECT_TRUE(starts_anchored("^Failed password for (?P<user>.*) from (?P<ip>\\S+)$"));
  EXPECT_TRUE(starts_anchored("^(?:a|b)c"));
  EXPECT_TRUE(starts_anchored("^a\\|b"));   // an escaped bar is a literal
  EXPECT_TRUE(starts_anchored("^[|]x"));    // so is a bar in a class
  EXPECT_TRUE(starts_anchored("^[]|]x"));   // ']' first in a class is a literal
  EXPECT_TRUE(starts_anchored("^[^]|]x"));  // also after '^'
  EXPECT_FALSE(starts_anchored("^a|b"));
  EXPECT_FALSE(starts_anchored("^(a)|b"));
  EXPECT_FALSE(starts_anchored("a^"));
  EXPECT_FALSE(starts_anchored("Failed"));
  EXPECT_FALSE(starts_anchored(""));
}

TEST(StartsAnchored, AlternationPatternsStillMatchAnywhere) {
  auto m = compile({rule("alt", {"^Failed|(?P<word>refused)"})});
  const auto h = hits(*m, event("connection refused"));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].captures.at("word"), "refused");
  auto anchored = compile({rule("anchored", {"^Failed (?P<what>\\S+)"})});
  EXPECT_EQ(hits(*anchored, event("Failed password")).at(0).captures.at("what"), "password");
}

}  // namespace
}  // namespace vigil::rules::test
