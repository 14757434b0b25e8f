#include "respond/mail.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/error.h"
#include "core/time.h"
#include "respond/safe_text.h"

namespace vigil::respond {
namespace {

constexpr size_t kMaxSubjectBytes = 160;
constexpr size_t kMaxLineBytes = 998;      // RFC 5322 2.1.1, without the CRLF
constexpr size_t kFoldAt = 78;             // RFC 5322's recommended line length
constexpr size_t kEncodedChunkBytes = 42;  // base64 of 42 bytes: a 68-char encoded-word

bool local_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '%' || c == '+' || c == '-';
}

bool valid_local(std::string_view local) {
  if (local.empty() || local.size() > 64 || local[0] == '-' || local[0] == '.') return false;
  if (local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  return std::ranges::all_of(local, local_char);
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::ranges::all_of(label, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  for (size_t start = 0;;) {
    const size_t dot = domain.find('.', start);
    if (!valid_label(domain.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string base64(std::string_view bytes) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// The longest prefix of `text` (valid UTF-8) of whole characters within `max` bytes.
size_t char_boundary(std::string_view text, size_t max) {
  size_t end = 0;
  while (end < text.size()) {
    const size_t len = std::max<size_t>(utf8_char_length(text, end), 1);
    if (end + len > max) break;
    end += len;
  }
  return end;
}

// RFC 2047: UTF-8 base64 encoded-words, each a whole number of characters, folded.
std::string encode_words(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t n = std::max<size_t>(char_boundary(text, kEncodedChunkBytes), 1);
    if (!out.empty()) out += "\n ";
    out += "=?utf-8?B?" + base64(text.substr(0, n)) + "?=";
    text.remove_prefix(n);
  }
  return out;
}

bool needs_encoding(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return text.find("=?") != std::string_view::npos;  // else a reader would decode it
}

// Folds a header line at spaces to lines of at most 78 characters where it can
// (RFC 5322 2.1.1); each continuation line starts with the space it was cut at.
std::string fold(std::string_view line) {
  std::string out;
  size_t min_cut = line.find(' ') + 1;  // not right after "Name:"
  while (line.size() > kFoldAt) {
    const size_t cut = line.rfind(' ', kFoldAt);
    if (cut == std::string_view::npos || cut < min_cut) break;
    out.append(line.substr(0, cut));
    out += '\n';
    line.remove_prefix(cut);
    min_cut = 1;
  }
  return out.append(line);
}

std::string subject_header(const MailOptions& options, const AlertDigest& d) {
  std::string raw = options.subject_prefix + " " + d.severity + ": " + d.title;
  for (const auto& [name, value] : d.key) raw += " " + name + "=" + value;
  raw += " (" + std::to_string(d.count) + " hits)";
  const std::string text = header_text(defang_links(raw), kMaxSubjectBytes);
  return needs_encoding(text) ? "Subject: " + encode_words(text) : fold("Subject: " + text);
}

std::string rfc5322_date(int64_t us) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};  // 1970-01-01: Thu
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime t = civil_from_us(us);
  const int64_t days =
      days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000",
                              kDays.at(((days % 7) + 7) % 7), t.day, kMonths.at(t.month - 1),
                              t.year, t.hour, t.minute, t.second);
  return {buf.data(), n < 0 ? 0 : std::min(static_cast<size_t>(n), buf.size() - 1)};
}

std::string checked(std::string_view address) {
  if (!valid_mail_address(address)) {
    throw Error("mail: not a valid address: \"" + escape_path(address) + "\"");
  }
  return std::string(address);
}

std::string headers(const MailOptions& options, const AlertDigest& d, int64_t now_us) {
  if (options.to.empty()) throw Error("mail: no recipient");
  std::string out = "To: ";
  for (size_t i = 0; i < options.to.size(); ++i) {
    if (i > 0) out += ",\n ";  // folded: any number of recipients stays under 998 bytes
    out += checked(options.to[i]);
  }
  const std::string from = checked(options.from);
  out += "\nFrom: " + from;
  out += "\n" + subject_header(options, d);
  out += "\nDate: " + rfc5322_date(now_us);
  out += "\nMessage-ID: <vigil." + std::to_string(d.id) + "." + std::to_string(now_us) + "@" +
         from.substr(from.find('@') + 1) + ">";
  out += "\nMIME-Version: 1.0";
  out += "\nContent-Type: text/plain; charset=utf-8";
  out += "\nContent-Transfer-Encoding: 8bit";
  out += "\nAuto-Submitted: auto-generated";
  out += "\nX-Vigil-Alert: " + std::to_string(d.id);
  out += "\n";
  return out;
}

// Wraps lines longer than 998 bytes on character boundaries; a lone "." (which
// ends the message for a sendmail run without -i) gets a leading space.
std::string mail_body(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty()) out += '\n';
    while (!line.empty()) {
      const size_t n = std::max<size_t>(char_boundary(line, kMaxLineBytes), 1);
      const std::string_view piece = line.substr(0, n);
      out += piece == "." ? " ." : piece;
      out += '\n';
      line.remove_prefix(n);
    }
  }
  return out;
}

}  // namespace

bool valid_mail_address(std::string_view address) {
  const size_t at = address.find('@');
  if (address.size() > 254 || at == std::string_view::npos) return false;
  return valid_local(address.substr(0, at)) && valid_domain(address.substr(at + 1));
}

std::string compose_mail(const MailOptions& options, const AlertDigest& digest, int64_t now_us) {
  return headers(options, digest, now_us) + "\n" + mail_body(digest_text(digest));
}

}  // namespace vigil::respond
