#pragma once
// Log text shown to people: attacker-written bytes must not drive a terminal or a
// mail reader. Internal to respond/ (alert digests, mail, evidence summaries).

#include <string>
#include <string_view>

namespace vigil::respond {

// Appends `text` as valid UTF-8 on one line, with everything that could steer a
// terminal or reorder what a reader sees replaced visibly: C0 controls (CR, LF
// and ESC included) and DEL as "\xNN", C1 controls as "\u0080".."\u009f", bidi
// overrides/isolates and the Unicode line separators as "\u202e" etc. Invalid
// UTF-8 and NUL become U+FFFD. Backslashes are kept as they are.
void append_display_safe(std::string& out, std::string_view text);

// The same, cut to at most `max_bytes` bytes of input on a character boundary,
// with "…" appended when anything was cut.
void append_display_safe(std::string& out, std::string_view text, size_t max_bytes);

// Text for a mail header: on one line, invalid UTF-8 and NUL as U+FFFD, controls,
// bidi marks and line separators dropped (each becomes a space), runs of whitespace collapsed to
// one space, trimmed, and cut to at most `max_bytes` bytes on a character
// boundary ("…" ending a cut text, included in `max_bytes`).
std::string header_text(std::string_view text, size_t max_bytes);

// URLs in log text are defanged so that mail readers do not turn them into links
// ("http://x" -> "http[:]//x", "www." -> "www[.]"): an alert mail must not carry
// an attacker's clickable link with vigil's authority.
std::string defang_links(std::string_view text);

// An unambiguous, printable form of a file name (any bytes): bytes that are not
// printable ASCII or valid UTF-8 text become "\xNN", a backslash "\\".
std::string escape_path(std::string_view path);

// Length of the valid UTF-8 character at text[i], or 0 when it is invalid.
size_t utf8_char_length(std::string_view text, size_t i);

}  // namespace vigil::respond
