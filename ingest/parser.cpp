#include "ingest/parser.h"

#include "ingest/scan.h"
#include "ingest/syslog_forms.h"

namespace vigil::ingest {
namespace {

struct LevelWord {
  std::string_view word;
  int8_t priority;
};
constexpr LevelWord kLevels[] = {
    {"ERROR", kErr},   {"WARN", kWarning},    {"INFO", kInfo}, {"DEBUG", kDebug},
    {"TRACE", kDebug}, {"WARNING", kWarning}, {"ERR", kErr},   {"NOTICE", kNotice},
    {"FATAL", kCrit},  {"CRITICAL", kCrit},   {"CRIT", kCrit},
};

// Syslog priority of a level word ("ERROR", "[warn]", "Info:"), or -1 when the
// token is not one.
int level_priority(std::string_view token) {
  if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
    token = token.substr(1, token.size() - 2);
  } else if (!token.empty() && token.back() == ':') {
    token.remove_suffix(1);
  }
  char upper[8];
  if (token.size() < 3 || token.size() > sizeof upper) return -1;
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    upper[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string_view word(upper, token.size());
  for (const LevelWord& level : kLevels) {
    if (level.word == word) return level.priority;
  }
  return -1;
}

}  // namespace

std::optional<Format> parse_format_name(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  if (name == "syslog") return Format::kSyslog;
  if (name == "app") return Format::kApp;
  return std::nullopt;
}

LineParser::LineParser(Format format, std::string_view source, int64_t reference_time_us)
    : format_(format),
      source_(source),
      reference_time_us_(reference_time_us),
      last_ts_us_(reference_time_us) {
  const detail::YearLimit limit = detail::year_limit(reference_time_us_);
  year_limit_ = limit.year;
  year_limit_within_ = limit.within_year;
}

bool LineParser::parse(std::string_view line, Event& out) {
  out = Event{};
  out.source = source_;
  bool ok = false;
  if (!line.empty()) {
    // One byte decides: a digit starts an ISO timestamp, which the app parser
    // handles (and hands to syslog when no level word follows it in kAuto).
    const bool app =
        format_ == Format::kApp || (format_ == Format::kAuto && scan::is_digit(line.front()));
    ok = app ? parse_app(line, out) : parse_syslog(line, out);
  }
  if (ok) {
    last_ts_us_ = out.ts_us;
    return true;
  }
  out = Event{};
  out.source = source_;
  out.ts_us = last_ts_us_;
  out.message = line;
  out.parsed = false;
  ++failures_;
  return false;
}

bool LineParser::parse_syslog(std::string_view line, Event& out) {
  size_t pos = 0;
  if (line.front() == '<') {
    if (!detail::parse_pri(line, pos, out.priority)) return false;
    if (scan::char_at(line, pos, '1') && scan::char_at(line, pos + 1, ' ')) {
      return detail::parse_rfc5424(line, pos, local_time_, last_ts_us_, out);
    }
  }
  if (scan::is_digit_at(line, pos)) {
    size_t used = 0;
    const auto ts = parse_iso8601(line.substr(pos), &used, local_time_);
    if (!ts) return false;
    out.ts_us = *ts;
    pos += used;
  } else {
    const detail::YearLimit limit{year_limit_, year_limit_within_};
    if (!detail::parse_rfc3164_time(line, pos, limit, local_time_, out.ts_us)) return false;
  }
  return scan::char_at(line, pos, ' ') && detail::parse_origin(line, pos + 1, out);
}

bool LineParser::parse_app(std::string_view line, Event& out) {
  size_t used = 0;
  const auto ts = parse_iso8601(line, &used, local_time_);
  if (!ts || (used < line.size() && line[used] != ' ')) return false;
  out.ts_us = *ts;
  const size_t level_at = scan::skip_spaces(line, used);
  const size_t level_end = scan::find_or_end(line, level_at, ' ');
  const int level = level_priority(line.substr(level_at, level_end - level_at));
  if (level < 0 && format_ == Format::kAuto) {
    // No level word: the RFC 3339 syslog form, "time host tag: message".
    return used < line.size() && detail::parse_origin(line, used + 1, out);
  }
  if (level >= 0) out.priority = static_cast<int8_t>(level);
  out.message = line.substr(scan::skip_spaces(line, level >= 0 ? level_end : level_at));
  return true;
}

}  // namespace vigil::ingest
