#include "core/display_text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace vigil {
namespace {

std::string safe(std::string_view text) {
  std::string out;
  append_display_safe(out, text);
  return out;
}

std::string safe(std::string_view text, size_t max_bytes) {
  std::string out;
  append_display_safe(out, text, max_bytes);
  return out;
}

TEST(DisplayText, PlainTextIsKept) {
  EXPECT_EQ(safe("sshd[42]: Accepted key for alice"), "sshd[42]: Accepted key for alice");
  EXPECT_EQ(safe("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(safe("C:\\path"), "C:\\path");  // backslashes are kept
  EXPECT_EQ(safe(""), "");
}

TEST(DisplayText, ControlsAreEscapedVisibly) {
  EXPECT_EQ(safe("a\x1b[31mred"), "a\\x1b[31mred");  // ESC
  EXPECT_EQ(safe("a\rb"), "a\\rb");
  EXPECT_EQ(safe("a\nb"), "a\\nb");
  EXPECT_EQ(safe("a\tb"), "a\\tb");
  EXPECT_EQ(safe("a\x7f"
                 "b"),
            "a\\x7fb");  // DEL
  EXPECT_EQ(safe("a\x01"
                 "b"),
            "a\\x01b");
}

TEST(DisplayText, C1ControlsAndBidiAreEscaped) {
  EXPECT_EQ(safe("a\xC2\x85"
                 "b"),
            "a\\u0085b");  // NEL, C1
  // NOLINTNEXTLINE(misc-misleading-bidirectional): escaping U+202E is the point
  EXPECT_EQ(safe("a\xE2\x80\xAE"
                 "b"),
            "a\\u202eb");  // RIGHT-TO-LEFT OVERRIDE
  // NOLINTNEXTLINE(misc-misleading-bidirectional): escaping U+2066 is the point
  EXPECT_EQ(safe("a\xE2\x81\xA6"
                 "b"),
            "a\\u2066b");  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(safe("a\xE2\x80\xA8"
                 "b"),
            "a\\u2028b");  // LINE SEPARATOR
  EXPECT_EQ(safe("a\xD8\x9C"
                 "b"),
            "a\\u061cb");  // ARABIC LETTER MARK
  EXPECT_EQ(safe("a\xE2\x80\x8F"
                 "b"),
            "a\\u200fb");                           // RIGHT-TO-LEFT MARK
  EXPECT_EQ(safe("\xE2\x80\xAF"), "\xE2\x80\xAF");  // U+202F is no hazard
}

TEST(DisplayText, InvalidUtf8AndNulBecomeReplacement) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(safe(std::string_view("a\0b", 3)), "a" + fffd + "b");
  EXPECT_EQ(safe("a\xFF"
                 "b"),
            "a" + fffd + "b");
  EXPECT_EQ(safe("\xC0\xAF"), fffd + fffd);                        // overlong
  EXPECT_EQ(safe("\xED\xA0\x80"), fffd + fffd + fffd);             // surrogate
  EXPECT_EQ(safe("a\xE2\x82"), "a" + fffd + fffd);                 // truncated sequence
  EXPECT_EQ(safe("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
}

TEST(DisplayText, TruncatesOnACharacterBoundary) {
  const std::string ellipsis = "\xE2\x80\xA6";
  EXPECT_EQ(safe("abcdef", 3), "abc" + ellipsis);
  EXPECT_EQ(safe("abc", 3), "abc");
  EXPECT_EQ(safe("abc", 10), "abc");
  EXPECT_EQ(safe("ab\xE2\x82\xAC", 4), "ab" + ellipsis);  // the euro sign does not fit
  EXPECT_EQ(safe("ab\xE2\x82\xAC", 5), "ab\xE2\x82\xAC");
  EXPECT_EQ(safe("a\nb", 2), "a\\n" + ellipsis);  // limits count input bytes
  EXPECT_EQ(safe("abc", 0), ellipsis);
}

TEST(DisplayText, Utf8CharLength) {
  EXPECT_EQ(utf8_char_length("a", 0), 1u);
  EXPECT_EQ(utf8_char_length(std::string_view("\0", 1), 0), 0u);
  EXPECT_EQ(utf8_char_length("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8_char_length("\xE2\x82\xAC", 0), 3u);
  EXPECT_EQ(utf8_char_length("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(utf8_char_length("\x80", 0), 0u);
  EXPECT_EQ(utf8_char_length("\xE0\x80\x80", 0), 0u);
  EXPECT_EQ(utf8_code_point("\xE2\x82\xAC", 0, 3), 0x20ACu);
  EXPECT_EQ(utf8_code_point("\xF0\x9F\x98\x80", 0, 4), 0x1F600u);
}

TEST(DisplayText, EscapedCodePoints) {
  std::string out;
  append_escaped_code_point(out, 0x1B);
  append_escaped_code_point(out, '\t');
  append_escaped_code_point(out, 0x202E);
  EXPECT_EQ(out, "\\x1b\\t\\u202e");
  EXPECT_TRUE(is_display_hazard(0x9F));
  EXPECT_FALSE(is_display_hazard(0xA0));
  EXPECT_FALSE(is_display_hazard(' '));
}

}  // namespace
}  // namespace vigil
