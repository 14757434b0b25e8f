#include "respond/alert_digest.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "core/text.h"
#include "core/time.h"
#include "respond/json_check.h"
#include "respond/safe_text.h"

namespace vigil::respond {
namespace {

constexpr size_t kMaxMessageBytes = 500;  // a hit line stays far below mail's 998
constexpr size_t kMaxFieldBytes = 256;    // a key value, a host name, a source path

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += '"';
  out += name;
  out += "\":";
  append_json_string(out, value);
}

void append_number(std::string& out, std::string_view name, auto value) {
  out += '"';
  out += name;
  out += "\":";
  out += std::to_string(value);
}

// The time both as µs (exact, for programs) and ISO-8601 UTC (for people).
void append_time(std::string& out, std::string_view us_name, std::string_view iso_name,
                 int64_t us) {
  append_number(out, us_name, us);
  out += ',';
  append_field(out, iso_name, format_iso8601_utc(us));
}

void append_captures(std::string& out, std::string_view captures) {
  if (captures.empty()) {
    out += "\"captures\":{}";
  } else if (is_valid_json(captures)) {
    out += "\"captures\":";
    out += captures;
  } else {
    // Kept, but as a string: it must not be able to break the document.
    append_field(out, "captures_invalid", captures);
  }
}

void append_hit_json(std::string& out, const DigestHit& hit) {
  out += '{';
  append_time(out, "ts_us", "ts", hit.ts_us);
  out += ',';
  append_field(out, "source", hit.source);
  out += ',';
  append_number(out, "line", hit.line);
  out += ',';
  append_field(out, "rule", hit.rule);
  out += ',';
  append_field(out, "message", hit.message);
  out += ',';
  append_captures(out, hit.captures_json);
  out += '}';
}

void append_key_json(std::string& out, const AlertDigest& d) {
  out += "\"key\":{";
  for (size_t i = 0; i < d.key.size(); ++i) {
    if (i > 0) out += ',';
    append_field(out, d.key[i].first, d.key[i].second);
  }
  out += '}';
}

// Log-derived text for a person: one line, no terminal controls, no live links.
std::string safe(std::string_view text, size_t max_bytes = SIZE_MAX) {
  std::string out;
  append_display_safe(out, text, max_bytes);
  return defang_links(out);
}

void append_line(std::string& out, std::string_view label, std::string_view value) {
  out += label;
  out += safe(value, kMaxFieldBytes);
  out += '\n';
}

std::string key_text(const AlertDigest& d) {
  std::string out;
  for (size_t i = 0; i < d.key.size(); ++i) {
    if (i > 0) out += ", ";
    out += safe(d.key[i].first, kMaxFieldBytes);
    out += '=';
    out += safe(d.key[i].second, kMaxFieldBytes);
  }
  return out;
}

void append_hit_text(std::string& out, const DigestHit& hit) {
  out += iso8601_seconds(hit.ts_us);
  out += ' ';
  out += safe(hit.source, kMaxFieldBytes);
  out += ':';
  out += std::to_string(hit.line);
  out += ' ';
  out += safe(hit.message, kMaxMessageBytes);
  out += '\n';
}

}  // namespace

std::string iso8601_seconds(int64_t us_utc) {
  const CivilTime t = civil_from_us(us_utc);
  std::array<char, 40> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year,
                              t.month, t.day, t.hour, t.minute, t.second);
  return {buf.data(), n < 0 ? 0 : std::min(static_cast<size_t>(n), buf.size() - 1)};
}

std::string digest_json(const AlertDigest& d) {
  std::string out = "{";
  append_number(out, "id", d.id);
  out += ',';
  append_field(out, "threshold", d.threshold);
  out += ',';
  append_field(out, "title", d.title);
  out += ',';
  append_field(out, "severity", d.severity);
  out += ',';
  append_key_json(out, d);
  out += ',';
  append_number(out, "count", d.count);
  out += ',';
  append_time(out, "first_ts_us", "first", d.first_ts_us);
  out += ',';
  append_time(out, "last_ts_us", "last", d.last_ts_us);
  out += ',';
  append_field(out, "host", d.host);
  out += ",\"hits\":[";
  for (size_t i = 0; i < d.hits.size(); ++i) {
    if (i > 0) out += ',';
    append_hit_json(out, d.hits[i]);
  }
  out += "]}";
  return out;
}

std::string digest_text(const AlertDigest& d, size_t max_hits) {
  std::string out =
      "vigil alert " + std::to_string(d.id) + ": " + safe(d.title, kMaxFieldBytes) + '\n';
  append_line(out, "Severity:  ", d.severity);
  append_line(out, "Threshold: ", d.threshold);
  out += "Key:       " + key_text(d) + '\n';  // made safe per name and value
  append_line(out, "Count:     ", std::to_string(d.count));
  append_line(out, "First:     ", iso8601_seconds(d.first_ts_us));
  append_line(out, "Last:      ", iso8601_seconds(d.last_ts_us));
  append_line(out, "Host:      ", d.host);
  if (d.hits.empty()) return out;
  const size_t shown = std::min(max_hits, d.hits.size());
  out += "\nHits (" + std::to_string(shown) + " of " + std::to_string(d.hits.size()) + "):\n";
  for (size_t i = 0; i < shown; ++i) append_hit_text(out, d.hits[i]);
  if (shown < d.hits.size()) {
    out += "\xE2\x80\xA6 and " + std::to_string(d.hits.size() - shown) + " more\n";
  }
  return out;
}

}  // namespace vigil::respond
