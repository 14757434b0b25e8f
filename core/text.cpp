#include "core/text.h"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

constexpr uint64_t kEachByte = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Bytes from s[i] on that are ASCII other than NUL, so need no decoding. Log
// text is almost all ASCII, so eight bytes are checked at a time.
size_t ascii_run(std::string_view s, size_t i) {
  const size_t start = i;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    const uint64_t zero_byte = (w - kEachByte) & ~w & kHighBits;
    if (((w & kHighBits) | zero_byte) != 0) break;
  }
  while (i < s.size() && static_cast<uint8_t>(static_cast<uint8_t>(s[i]) - 1) < 0x7F) ++i;
  return i - start;
}

// Bytes from s[i] on that go into a JSON string as they are: printable ASCII
// other than '"' and '\\'.
size_t json_plain_run(std::string_view s, size_t i) {
  const size_t start = i;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    const auto has_byte = [w](uint8_t b) {
      const uint64_t x = w ^ (kEachByte * b);
      return ((x - kEachByte) & ~x & kHighBits) != 0;
    };
    const uint64_t control = (w - kEachByte * 0x20) & ~w & kHighBits;  // a byte < 0x20
    if (((w & kHighBits) | control) != 0 || has_byte('"') || has_byte('\\')) break;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i - start;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid
// (overlong forms, surrogates and code points past U+10FFFF are invalid too).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return b0 == 0 ? 0 : 1;
  size_t len = 0;
  uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return len;
}

}  // namespace

bool is_clean_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    i += ascii_run(text, i);
    if (i == text.size()) break;
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void append_sanitized_utf8(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t run = ascii_run(text, i);
    out.append(text.data() + i, run);
    i += run;
    if (i == text.size()) break;
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
}

void append_json_string(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const size_t run = json_plain_run(text, i);
    out.append(text.data() + i, run);
    i += run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default:
        break;
    }
    if (c > 0 && c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
      continue;
    }
    const size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
  out += '"';
}

}  // namespace vigil
