#pragma once
// What an alert is, rendered for evidence (JSON, every hit) and for people (plain
// text for mail, capped). Hit messages and key values are log text an attacker
// can write: both renderers make it safe for their reader.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vigil::respond {

struct DigestHit {
  int64_t ts_us = 0;
  std::string source;  // the log it came from ("/var/log/auth.log")
  uint64_t line = 0;   // 1-based line number in `source`
  std::string rule;
  std::string message;
  std::string captures_json;  // a JSON object ({"ip":"…"}); empty means {}
};

struct AlertDigest {
  int64_t id = 0;
  std::string threshold;  // the threshold's name
  std::string title;
  std::string severity;
  std::vector<std::pair<std::string, std::string>> key;  // e.g. {"ip","203.0.113.77"}
  uint64_t count = 0;
  int64_t first_ts_us = 0;
  int64_t last_ts_us = 0;
  std::string host;
  std::vector<DigestHit> hits;  // the hits that made it (renderers cap what they print)
};

// One JSON object with every hit; always valid JSON in valid UTF-8 (invalid UTF-8
// and NUL become U+FFFD, control characters are escaped). The key is an object
// {"name": "value", …} in key order. A hit's captures_json is embedded as a JSON
// value when it is valid JSON, else kept as a string under "captures_invalid".
// Times are given both as µs ("first_ts_us") and ISO-8601 UTC ("first").
std::string digest_json(const AlertDigest& digest);

// A plain-text summary for mail: title, severity, threshold, key, count, first
// and last time (UTC, ISO-8601, seconds), host, then up to `max_hits` lines
// "2026-11-28T03:12:06Z /var/log/auth.log:1234 <message>" and "… and N more".
// Carries no links: log-derived text is made display-safe (control characters,
// ESC, CR and LF included, replaced visibly; see respond/safe_text.h), URLs in it
// are defanged; each message is cut at 500 bytes, other fields (title, key names
// and values, host, source) at 256, a cut marked "…". Lines end in "\n" and none
// is a lone ".".
std::string digest_text(const AlertDigest& digest, size_t max_hits = 50);

// "2026-11-28T03:12:06Z": ISO-8601 UTC to the second.
std::string iso8601_seconds(int64_t us_utc);

}  // namespace vigil::respond
