#include "respond/safe_text.h"

#include <cstdint>

#include "core/display_text.h"

namespace vigil::respond {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

}  // namespace

std::string header_text(std::string_view text, size_t max_bytes) {
  std::string flat;
  for (size_t i = 0; i < text.size();) {
    const size_t len = utf8_char_length(text, i);
    if (len == 0) {
      flat += kReplacement;
      ++i;
      continue;
    }
    if (is_display_hazard(utf8_code_point(text, i, len)) || text[i] == ' ') {
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
    } else if (len != 0 && !is_display_hazard(utf8_code_point(path, i, len))) {
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
