#pragma once
// Log-derived text made safe to show to people: attacker-written bytes must not
// drive a terminal, break a line or reorder what a reader sees. Shared by
// respond/ (alert digests, mail, evidence) and reports/ (the rendered reports).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// Length of the valid UTF-8 character (not NUL) at text[i]; 0 when invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
size_t utf8_char_length(std::string_view text, size_t i);

// The code point of the valid character of `len` bytes at text[i] (as returned
// by utf8_char_length).
uint32_t utf8_code_point(std::string_view text, size_t i, size_t len);

// Code points that move the cursor, start terminal escapes, or make a reader see
// text in another order than it is written (Trojan Source style bidi tricks):
// C0 controls, DEL, C1 controls, bidi marks/overrides/isolates and the Unicode
// line and paragraph separators.
bool is_display_hazard(uint32_t cp);

// Appends "\xNN" for the byte `b`.
void append_hex_byte(std::string& out, uint8_t b);

// Appends a visible escape for `cp`: "\t", "\n", "\r", "\xNN" for other ASCII,
// "\uNNNN" above.
void append_escaped_code_point(std::string& out, uint32_t cp);

// Appends `text` as valid UTF-8 on one line, with display hazards escaped
// (append_escaped_code_point). Invalid UTF-8 and NUL become U+FFFD. Backslashes
// are kept as they are.
void append_display_safe(std::string& out, std::string_view text);

// The same, cut to at most `max_bytes` bytes of input on a character boundary,
// with "…" appended when anything was cut.
void append_display_safe(std::string& out, std::string_view text, size_t max_bytes);

}  // namespace vigil
