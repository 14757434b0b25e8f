#pragma once
// Text helpers for output: logs carry arbitrary bytes, JSON and SQLite want UTF-8.

#include <string>
#include <string_view>

namespace vigil {

// Appends `text` as a JSON string literal (with quotes). Invalid UTF-8 and NUL
// become U+FFFD, so the output is always valid JSON whatever the log held.
void append_json_string(std::string& out, std::string_view text);

// Appends `text` with invalid UTF-8 sequences and NUL bytes replaced by U+FFFD.
void append_sanitized_utf8(std::string& out, std::string_view text);

// True when `text` is valid UTF-8 without NUL bytes (then it needs no copy).
bool is_clean_utf8(std::string_view text);

}  // namespace vigil
