#pragma once
// Log-derived text made safe to show (private to reports/): the text, Markdown
// and HTML renderers all receive it through layout(), so an attacker's bytes in
// a user name, a key, an argv or a reason cannot drive a terminal, break a line
// or reorder what a reader sees. (The rules are core/display_text.h's, shared
// with respond/.)

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::reports {

// append_display_safe (core/display_text.h) into a new string. Valid UTF-8 on
// one line: C0 controls (ESC, CR, LF…) and DEL as "\x1b", "\n"…,
// C1 controls, bidi overrides/isolates and line separators as "\u202e"…; invalid
// UTF-8 and NUL as U+FFFD. At most `max_bytes` of the input are kept (on a
// character boundary), "…" marking a cut.
std::string display_safe(std::string_view text, size_t max_bytes = std::string_view::npos);

// One argv element as a shell would need it to read it back, for display only
// (nothing is ever run from it): bare when it is made of [A-Za-z0-9_@%+=:,./-],
// '…' when it holds other printable text, $'…' with \e, \n, \xNN… when it holds
// control characters; "''" when empty.
std::string shell_word(std::string_view word);

// The elements as shell words separated by spaces.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace vigil::reports
