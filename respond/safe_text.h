#pragma once
// Log text shown to people: attacker-written bytes must not drive a terminal or a
// mail reader. Internal to respond/ (alert digests, mail, evidence summaries).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/display_text.h"

namespace vigil::respond {

// Display-safe text (append_display_safe) and UTF-8 character lengths come from
// core/display_text.h.
using vigil::append_display_safe;
using vigil::utf8_char_length;

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

}  // namespace vigil::respond
