#include "respond/safe_text.h"

#include <cstdint>

namespace vigil::respond {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kHex = "0123456789abcdef";

uint32_t decode(std::string_view s, size_t i, size_t len) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  if (len == 1) return b0;
  uint32_t cp = b0 & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
  return cp;
}

// Code points that move the cursor, start terminal escapes, or make a reader see
// text in another order than it is written (Trojan Source style bidi tricks).
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

}  // namespace

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
  const uint32_t cp = decode(text, i, len);
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return len;
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
    const uint32_t cp = decode(text, i, len);
    if (is_hazard(cp)) {
      append_escaped_code_point(out, cp);
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  if (i < text.size()) out += kEllipsis;
}

std::string header_text(std::string_view text, size_t max_bytes) {
  std::string flat;
  for (size_t i = 0; i < text.size();) {
    const size_t len = utf8_char_length(text, i);
    if (len == 0) {
      flat += kReplacement;
      ++i;
      continue;
    }
    if (is_hazard(decode(text, i, len)) || text[i] == ' ') {
      if (!flat.empty() && flat.back() != ' ') flat += ' ';
    } else {
      flat.append(text.data() + i, len);
    }
    i += len;
  }
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  if (flat.size() <= max_bytes) return flat;
  size_t cut = 0;  // whole characters only (flat is valid UTF-8), leaving room for "…"
  while (cut < flat.size()) {
    const size_t len = utf8_char_length(flat, cut);
    if (cut + len + kEllipsis.size() > max_bytes) break;
    cut += len;
  }
  flat.resize(cut);
  return flat + std::string(kEllipsis);
}

std::string defang_links(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "://") {
      out += "[:]//";
      i += 2;
      continue;
    }
    if (i + 4 <= text.size() && lower(text[i]) == 'w' && lower(text[i + 1]) == 'w' &&
        lower(text[i + 2]) == 'w' && text[i + 3] == '.') {
      out.append(text.data() + i, 3);
      out += "[.]";
      i += 3;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string escape_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size();) {
    const size_t len = utf8_char_length(path, i);
    if (path[i] == '\\') {
      out += "\\\\";
    } else if (len != 0 && !is_hazard(decode(path, i, len))) {
      out.append(path.data() + i, len);
    } else {
      // Raw bytes, not code points: a file name need not be text.
      const size_t n = len == 0 ? 1 : len;
      for (size_t k = 0; k < n; ++k) append_hex_byte(out, static_cast<uint8_t>(path[i + k]));
      i += n;
      continue;
    }
    i += len == 0 ? 1 : len;
  }
  return out;
}

}  // namespace vigil::respond
