#include "core/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

using namespace std::string_literals;

constexpr const char* kFffd = "\xEF\xBF\xBD";

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string sanitized(std::string_view text) {
  std::string out;
  append_sanitized_utf8(out, text);
  return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndWhitespace) {
  EXPECT_EQ(json(""), R"("")");
  EXPECT_EQ(json("plain text"), R"("plain text")");
  EXPECT_EQ(json(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(json("a\nb\rc\td"), R"("a\nb\rc\td")");
}

TEST(JsonString, OtherControlCharsBecomeUnicodeEscapes) {
  EXPECT_EQ(json("\x01\x1f\x1b[0m"), R"("\u0001\u001f\u001b[0m")");
  EXPECT_EQ(json("\b\f"), R"("\u0008\u000c")");
  // DEL is not a control character for JSON.
  EXPECT_EQ(json("\x7f"), "\"\x7f\"");
}

TEST(JsonString, NulBecomesReplacementCharacter) {
  EXPECT_EQ(json("a\0b"s), "\"a"s + kFffd + "b\"");
}

TEST(JsonString, ValidUtf8PassesThrough) {
  EXPECT_EQ(json("Grüße € 𝄞"), "\"Grüße € 𝄞\"");
}

TEST(JsonString, InvalidUtf8BecomesReplacementPerByte) {
  EXPECT_EQ(json("a\xff"
                 "b"),
            "\"a"s + kFffd + "b\"");
  // A lone continuation byte, a cut-off sequence at the end.
  EXPECT_EQ(json("\x80"), "\""s + kFffd + "\"");
  EXPECT_EQ(json("x\xE2\x82"), "\"x"s + kFffd + kFffd + "\"");
  // Overlong "/" (C0 AF), a UTF-16 surrogate (ED A0 80), past U+10FFFF (F4 90 80 80).
  EXPECT_EQ(json("\xC0\xAF"), "\""s + kFffd + kFffd + "\"");
  EXPECT_EQ(json("\xED\xA0\x80"), "\""s + kFffd + kFffd + kFffd + "\"");
  EXPECT_EQ(json("\xF4\x90\x80\x80"), "\""s + kFffd + kFffd + kFffd + kFffd + "\"");
}

TEST(JsonString, AppendsToExistingText) {
  std::string out = "{\"m\":";
  append_json_string(out, "x");
  EXPECT_EQ(out, R"({"m":"x")");
}

TEST(SanitizedUtf8, ReplacesOnlyWhatIsInvalid) {
  EXPECT_EQ(sanitized("ok \"quoted\"\n"), "ok \"quoted\"\n");
  EXPECT_EQ(sanitized("a\0b"s), "a"s + kFffd + "b");
  EXPECT_EQ(sanitized("caf\xE9!"), "caf"s + kFffd + "!");
  EXPECT_EQ(sanitized("€"), "€");
  EXPECT_EQ(sanitized("\xE2\x82"), std::string(kFffd) + kFffd);
}

TEST(CleanUtf8, TellsWhenNoCopyIsNeeded) {
  EXPECT_TRUE(is_clean_utf8(""));
  EXPECT_TRUE(is_clean_utf8("Failed password for root"));
  EXPECT_TRUE(is_clean_utf8("Grüße 𝄞 \x1b"));
  EXPECT_FALSE(is_clean_utf8("a\0b"s));
  EXPECT_FALSE(is_clean_utf8("\xff"));
  EXPECT_FALSE(is_clean_utf8("\xC3"));
  EXPECT_FALSE(is_clean_utf8("\xED\xBF\xBF"));
}

// The functions skip plain ASCII eight bytes at a time: a special byte must be
// seen at every offset within and across those words.
TEST(FastPaths, SpecialBytesAreFoundAtEveryOffset) {
  struct Case {
    std::string in, json, sanitized;
    bool clean;
  };
  const std::vector<Case> cases = {
      {"\"", "\\\"", "\"", true},
      {"\\", "\\\\", "\\", true},
      {"\n", "\\n", "\n", true},
      {"\x01", "\\u0001", "\x01", true},
      {"\x1f", "\\u001f", "\x1f", true},
      {"\x7f", "\x7f", "\x7f", true},
      {"\xC3\xA9", "\xC3\xA9", "\xC3\xA9", true},
      {"\xff", kFffd, kFffd, false},
      {"\0"s, kFffd, kFffd, false},
  };
  const std::string plain = "Failed password for root from 203.0.113.7";
  for (const Case& c : cases) {
    for (size_t at = 0; at <= plain.size(); ++at) {
      const std::string in = plain.substr(0, at) + c.in + plain.substr(at);
      const std::string head = plain.substr(0, at);
      const std::string tail = plain.substr(at);
      EXPECT_EQ(json(in), "\"" + head + c.json + tail + "\"") << "offset " << at;
      EXPECT_EQ(sanitized(in), head + c.sanitized + tail) << "offset " << at;
      EXPECT_EQ(is_clean_utf8(in), c.clean) << "offset " << at;
    }
  }
}

}  // namespace
}  // namespace vigil
