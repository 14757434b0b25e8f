#include "ingest/parser.h"

#include <utility>

#include "ingest/level_words.h"
#include "ingest/scan.h"
#include "ingest/syslog_forms.h"

namespace vigil::ingest {

std::optional<Format> parse_format_name(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  if (name == "syslog") return Format::kSyslog;
  if (name == "app") return Format::kApp;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

namespace {

bool starts_json_object(std::string_view line) {
  size_t pos = 0;
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  return scan::char_at(line, pos, '{');
}

}  // namespace

LineParser::LineParser(Format format, std::string_view source, int64_t reference_time_us,
                       JsonFieldMap json_fields)
    : format_(format),
      source_(source),
      reference_time_us_(reference_time_us),
      last_ts_us_(reference_time_us),
      json_fields_(std::move(json_fields)) {
  set_reference_time(reference_time_us);
}

void LineParser::set_reference_time(int64_t reference_time_us) {
  reference_time_us_ = reference_time_us;
  const detail::YearLimit limit = detail::year_limit(reference_time_us_);
  year_limit_ = limit.year;
  year_limit_within_ = limit.within_year;
}

LineParser::~LineParser() = default;

bool LineParser::parse(std::string_view line, Event& out) {
  out = Event{};
  out.source = source_;
  bool ok = false;
  if (format_ == Format::kJson || (format_ == Format::kAuto && starts_json_object(line))) {
    ok = parse_json(line, out);
    if (!ok && !out.parsed) return false;  // an object without a time: counted, members kept
  } else if (!line.empty()) {
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

// False with parsed=false for an object without a usable time (counted here);
// false with parsed=true when the line is no JSON object (the caller counts it).
bool LineParser::parse_json(std::string_view line, Event& out) {
  if (!json_) json_ = std::make_unique<JsonLineParser>(json_fields_);
  switch (json_->parse(line, out)) {
    case JsonLineParser::Result::kParsed:
      return true;
    case JsonLineParser::Result::kNoTime:
      out.ts_us = last_ts_us_;
      out.parsed = false;
      ++failures_;
      return false;
    case JsonLineParser::Result::kInvalid:
      break;
  }
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
    if (!detail::parse_rfc3164_time(line, pos, limit, local_time_, rfc3164_memo_, out.ts_us)) {
      return false;
    }
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
  const int level = detail::level_priority(line.substr(level_at, level_end - level_at));
  if (level < 0 && format_ == Format::kAuto) {
    // No level word: the RFC 3339 syslog form, "time host tag: message".
    return used < line.size() && detail::parse_origin(line, used + 1, out);
  }
  if (level >= 0) out.priority = static_cast<int8_t>(level);
  out.message = line.substr(scan::skip_spaces(line, level >= 0 ? level_end : level_at));
  return true;
}

}  // namespace vigil::ingest
