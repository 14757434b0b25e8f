#include "ingest/syslog_forms.h"

#include <array>

#include "ingest/scan.h"

namespace vigil::ingest::detail {
namespace {

using scan::char_at;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

constexpr uint32_t pack3(std::string_view s) {
  return static_cast<uint32_t>(s[0]) << 16 | static_cast<uint32_t>(s[1]) << 8 |
         static_cast<uint32_t>(s[2]);
}

constexpr std::array<uint32_t, 12> kMonths = {
    pack3("jan"), pack3("feb"), pack3("mar"), pack3("apr"), pack3("may"), pack3("jun"),
    pack3("jul"), pack3("aug"), pack3("sep"), pack3("oct"), pack3("nov"), pack3("dec")};

// Month 1-12 of an English abbreviation in any case ("Nov", "NOV"), or 0. OR-ing
// 0x20 lower-cases letters and maps no other byte onto a letter.
int month_number(std::string_view line, size_t pos) {
  if (line.size() < pos + 3) return 0;
  const auto lower = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(line[pos + i]) | 0x20);
  };
  const uint32_t key = lower(0) << 16 | lower(1) << 8 | lower(2);
  for (int month = 0; month < 12; ++month) {
    if (kMonths[month] == key) return month + 1;
  }
  return 0;
}

// Two digits at p, or -1.
int two_digits(const char* p) {
  const unsigned tens = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  return tens <= 9 && ones <= 9 ? static_cast<int>(tens * 10 + ones) : -1;
}

// "hh:mm:ss" at `pos` into `t`; false when truncated or out of range.
bool parse_clock(std::string_view line, size_t pos, CivilTime& t) {
  if (line.size() < pos + 8) return false;
  const char* p = line.data() + pos;
  if (p[2] != ':' || p[5] != ':') return false;
  t.hour = two_digits(p);
  t.minute = two_digits(p + 3);
  t.second = two_digits(p + 6);
  return t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 &&
         t.second <= 60;
}

// "tag[pid]: message", "tag: message", or a message without a tag. A tag ends at
// '[' or ':'; a space first means there is no tag.
void parse_tag(std::string_view line, size_t pos, Event& out) {
  size_t i = pos;
  while (i < line.size() && line[i] != '[' && line[i] != ':' && line[i] != ' ') ++i;
  size_t message = pos;
  if (i > pos && char_at(line, i, '[')) {
    size_t close = i + 1;  // a plain loop: pids are short, memchr's call costs more
    while (close < line.size() && line[close] != ']') ++close;
    const bool closed = close < line.size();
    if (closed && (close + 1 == line.size() || line[close + 1] == ':' || line[close + 1] == ' ')) {
      out.program = line.substr(pos, i - pos);
      out.pid = scan::parse_pid(line.substr(i + 1, close - i - 1));
      message = char_at(line, close + 1, ':') ? close + 2 : close + 1;
    }
  } else if (i > pos && char_at(line, i, ':') && (i + 1 == line.size() || line[i + 1] == ' ')) {
    out.program = line.substr(pos, i - pos);  // "kernel: [12.3] ..." keeps its '['
    message = i + 1;
  }
  if (message != pos && char_at(line, message, ' ')) ++message;
  out.message = line.substr(message < line.size() ? message : line.size());
}

// The next header field, which must end with a space; `pos` moves past the space.
bool next_field(std::string_view line, size_t& pos, std::string_view& field) {
  const size_t end = scan::find_or_end(line, pos, ' ');
  if (end == pos || end == line.size()) return false;
  field = line.substr(pos, end - pos);
  pos = end + 1;
  return true;
}

std::string_view nil_to_empty(std::string_view field) {
  return field == "-" ? "" : field;
}

// Index just after the structured data at `pos` ("-" or "[id k=\"v\"]..."), or
// npos when it is malformed or cut off. Backslash escapes (\" \\ \]) are skipped.
size_t skip_structured_data(std::string_view line, size_t pos) {
  if (char_at(line, pos, '-')) return pos + 1;
  if (!char_at(line, pos, '[')) return std::string_view::npos;
  while (char_at(line, pos, '[')) {
    bool quoted = false;
    size_t i = pos + 1;
    for (; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == '"') {
        quoted = !quoted;
      } else if (line[i] == ']' && !quoted) {
        break;
      }
    }
    if (i >= line.size()) return std::string_view::npos;
    pos = i + 1;
  }
  return pos;
}

// The civil time of "Nov 28 06:25:14", its year inferred from `limit`.
bool parse_rfc3164_fields(std::string_view line, size_t& pos, const YearLimit& limit,
                          CivilTime& t) {
  t.month = month_number(line, pos);
  if (t.month == 0 || !char_at(line, pos + 3, ' ')) return false;
  size_t p = pos + 4;
  if (char_at(line, p, ' ')) ++p;  // "Nov  3": the day padded with a space
  if (!scan::is_digit_at(line, p)) return false;
  t.day = line[p++] - '0';
  if (scan::is_digit_at(line, p)) t.day = t.day * 10 + (line[p++] - '0');
  if (!char_at(line, p, ' ') || !parse_clock(line, p + 1, t)) return false;
  const int64_t within = pack_within_year(t.month, t.day, t.hour, t.minute, t.second);
  t.year = within <= limit.within_year ? limit.year : limit.year - 1;
  if (t.day < 1 ||
      t.day > static_cast<int>(days_in_month(t.year, static_cast<unsigned>(t.month)))) {
    return false;
  }
  pos = p + 9;
  return true;
}

}  // namespace

int64_t pack_within_year(int month, int day, int hour, int minute, int second) {
  return (((int64_t{month} * 32 + day) * 24 + hour) * 60 + minute) * 60 + second;
}

YearLimit year_limit(int64_t reference_time_us) {
  constexpr int64_t kDayUs = int64_t{86'400} * 1'000'000;
  const CivilTime t = civil_from_us(reference_time_us + kDayUs);
  return {t.year, pack_within_year(t.month, t.day, t.hour, t.minute, t.second)};
}

bool parse_pri(std::string_view line, size_t& pos, int8_t& priority) {
  size_t i = 1;
  int value = 0;
  for (; i < 4 && scan::is_digit_at(line, i); ++i) value = value * 10 + (line[i] - '0');
  if (i == 1 || !char_at(line, i, '>') || value > 191) return false;
  priority = static_cast<int8_t>(value & 7);
  pos = i + 1;
  return true;
}

// The conversion to UTC always runs, memo or not: it is cheap, and a converter
// keeps state across a repeated hour (see LocalTimeConverter).
bool parse_rfc3164_time(std::string_view line, size_t& pos, const YearLimit& limit,
                        LocalTimeConverter& local, Rfc3164Memo& memo, int64_t& ts_us) {
  const std::string_view rest = line.substr(pos);
  if (memo.length != 0 && memo.limit == limit &&
      rest.starts_with(std::string_view(memo.text.data(), memo.length))) {
    ts_us = local.to_utc_us(memo.time);
    pos += memo.length;
    return true;
  }
  const size_t start = pos;
  CivilTime t;
  if (!parse_rfc3164_fields(line, pos, limit, t)) return false;
  ts_us = local.to_utc_us(t);
  const size_t length = pos - start;
  if (length <= memo.text.size()) {
    rest.copy(memo.text.data(), length);
    memo.length = length;
    memo.limit = limit;
    memo.time = t;
  }
  return true;
}

bool parse_origin(std::string_view line, size_t pos, Event& out) {
  size_t host_end = pos;
  bool bracket = false;  // one pass over the short host token, no memchr calls
  for (; host_end < line.size() && line[host_end] != ' '; ++host_end) {
    bracket |= line[host_end] == '[';
  }
  if (host_end == pos) return false;
  const std::string_view token = line.substr(pos, host_end - pos);
  if (bracket || token.back() == ':') {
    parse_tag(line, pos, out);
    return true;
  }
  out.host = token;
  parse_tag(line, host_end == line.size() ? host_end : host_end + 1, out);
  return true;
}

bool parse_rfc5424(std::string_view line, size_t pos, LocalTimeConverter& local,
                   int64_t fallback_ts_us, Event& out) {
  if (!char_at(line, pos, '1') || !char_at(line, pos + 1, ' ')) return false;
  pos += 2;
  if (char_at(line, pos, '-')) {
    out.ts_us = fallback_ts_us;
    ++pos;
  } else {
    size_t used = 0;
    const auto ts = parse_iso8601(line.substr(pos), &used, local);
    if (!ts) return false;
    out.ts_us = *ts;
    pos += used;
  }
  if (!char_at(line, pos, ' ')) return false;
  ++pos;
  std::string_view host;
  std::string_view app;
  std::string_view procid;
  std::string_view msgid;
  if (!next_field(line, pos, host) || !next_field(line, pos, app) ||
      !next_field(line, pos, procid) || !next_field(line, pos, msgid)) {
    return false;
  }
  out.host = nil_to_empty(host);
  out.program = nil_to_empty(app);
  out.pid = scan::parse_pid(procid);
  pos = skip_structured_data(line, pos);
  if (pos == std::string_view::npos) return false;
  if (pos < line.size() && line[pos++] != ' ') return false;
  std::string_view message = line.substr(pos);
  if (message.starts_with(kBom)) message.remove_prefix(kBom.size());
  out.message = message;
  return true;
}

}  // namespace vigil::ingest::detail
