#include "core/display_text.h"

namespace vigil {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kHex = "0123456789abcdef";

}  // namespace

uint32_t utf8_code_point(std::string_view text, size_t i, size_t len) {
  const auto b0 = static_cast<uint8_t>(text[i]);
  if (len == 1) return b0;
  uint32_t cp = b0 & (0xFFu >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uint8_t>(text[i + k]) & 0x3Fu);
  return cp;
}

size_t utf8_char_length(std::string_view text, size_t i) {
  const auto b0 = static_cast<uint8_t>(text[i]);
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
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<uint8_t>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  const uint32_t cp = utf8_code_point(text, i, len);
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return len;
}

bool is_display_hazard(uint32_t cp) {
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

void append_escaped_code_point(std::string& out, uint32_t cp) {
  switch (cp) {
    case '\t':
      out += "\\t";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    default:
      break;
  }
  if (cp < 0x80) return append_hex_byte(out, static_cast<uint8_t>(cp));
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
}

void append_display_safe(std::string& out, std::string_view text) {
  append_display_safe(out, text, text.size());
}

void append_display_safe(std::string& out, std::string_view text, size_t max_bytes) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = utf8_char_length(text, i);
    if (i + (len == 0 ? 1 : len) > max_bytes) break;
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const uint32_t cp = utf8_code_point(text, i, len);
    if (is_display_hazard(cp)) {
      append_escaped_code_point(out, cp);
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  if (i < text.size()) out += kEllipsis;
}

}  // namespace vigil
