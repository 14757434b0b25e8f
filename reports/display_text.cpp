#include "reports/display_text.h"

#include <cstdint>

namespace vigil::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kHex = "0123456789abcdef";

// Length of the valid UTF-8 character (not NUL) at text[i], 0 when invalid.
size_t char_length(std::string_view text, size_t i, uint32_t& cp) {
  const auto b0 = static_cast<uint8_t>(text[i]);
  cp = b0;
  if (b0 < 0x80) return b0 == 0 ? 0 : 1;
  size_t len = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  cp = b0 & (0xFFu >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<uint8_t>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return len;
}

// Code points that move the cursor, start terminal escapes, or show text in
// another order than it is written (Trojan Source bidi tricks).
bool is_hazard(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F) return true;
  if (cp >= 0x2028 && cp <= 0x202E) return true;
  return cp >= 0x2066 && cp <= 0x2069;
}

void append_hex_byte(std::string& out, uint8_t b) {
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 0xF];
}

void append_escaped(std::string& out, uint32_t cp) {
  if (cp == '\t') {
    out += "\\t";
  } else if (cp == '\n') {
    out += "\\n";
  } else if (cp == '\r') {
    out += "\\r";
  } else if (cp < 0x80) {
    append_hex_byte(out, static_cast<uint8_t>(cp));
  } else {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
  }
}

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
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    const size_t len = char_length(text, i, cp);
    if (i + (len == 0 ? 1 : len) > max_bytes) break;
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (is_hazard(cp)) {
      append_escaped(out, cp);
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  if (i < text.size()) out += kEllipsis;
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
