#include "reports/display_text.h"

#include <cstdint>

#include "core/display_text.h"

namespace vigil::reports {
namespace {

bool is_bare(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

bool is_control(char c) {
  const auto b = static_cast<uint8_t>(c);
  return b < 0x20 || b == 0x7F;
}

// $'…': bash's ANSI-C quoting, so a control character reads as what it is.
std::string ansi_c_quoted(std::string_view word) {
  std::string out = "$'";
  for (char c : word) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\x1b':
        out += "\\e";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        if (is_control(c)) {
          append_hex_byte(out, static_cast<uint8_t>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "'";
}

}  // namespace

std::string display_safe(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(text.size());
  append_display_safe(out, text, max_bytes);
  return out;
}

std::string shell_word(std::string_view word) {
  if (word.empty()) return "''";
  bool bare = true;
  for (char c : word) {
    if (is_control(c)) return ansi_c_quoted(word);
    bare = bare && is_bare(c);
  }
  if (bare) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    if (!out.empty()) out += ' ';
    out += shell_word(word);
  }
  return out;
}

}  // namespace vigil::reports
