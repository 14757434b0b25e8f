#include "rules/threshold_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>

#include "rules/ruleset.h"

namespace vigil::rules {
namespace {

constexpr auto kThresholdKeys =
    std::to_array<std::string_view>({"id", "title", "severity", "of", "count", "distinct", "weight",
                                     "group_by", "within", "suppress", "sequence"});
constexpr auto kSelectorKeys = std::to_array<std::string_view>({"rules", "tags"});
constexpr auto kFirstKeys = std::to_array<std::string_view>({"rules", "tags", "count"});
constexpr auto kSequenceKeys = std::to_array<std::string_view>({"first", "then"});
// Keys that belong to counted thresholds only, with what to write instead.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kNotForSequence = {{
    {"of", "a sequence's hits are its 'first' and 'then' stages; drop 'of'"},
    {"count", "write the first stage's count inside it: sequence: {first: {..., count: 3}}"},
    {"distinct", "a sequence counts first-stage hits, not distinct values; drop 'distinct'"},
    {"weight", "a sequence counts first-stage hits one by one; drop 'weight'"},
}};

constexpr const char* kSeverities = "info, low, medium, high, critical";
constexpr const char* kDurations = "30s, 10m, 1h or 1d (a whole number and a unit)";
constexpr int64_t kHourUs = int64_t{3600} * 1000000;

using Fields = std::map<std::string, Field>;
using Keys = std::span<const std::string_view>;

// A value the reader has already reported as broken reads as empty.
template <typename T>
T or_empty(std::optional<T> value) {
  return value ? std::move(*value) : T{};
}

std::vector<std::string> texts(const std::vector<LocatedString>& located) {
  std::vector<std::string> out;
  out.reserve(located.size());
  for (const LocatedString& s : located) out.push_back(s.text);
  return out;
}

HitSelector plain(const ReadSelector& read) {
  return HitSelector{texts(read.rules), texts(read.tags)};
}

const Field* find(const Fields& fields, const std::string& key) {
  const auto it = fields.find(key);
  return it == fields.end() ? nullptr : &it->second;
}

class ThresholdReader {
 public:
  ThresholdReader(FieldReader& in, const std::string& pack) : in_(in), pack_(pack) {}

  std::optional<ReadThreshold> read(const YAML::Node& node);

 private:
  static std::string what(const ReadThreshold& r);
  const Field* require(const Fields& fields, const std::string& key, const ReadThreshold& r,
                       std::string_view hint);
  void read_identity(const Fields& fields, ReadThreshold& r);
  void read_id(const Field& field, ReadThreshold& r);
  void read_severity(const Field& field, Threshold& t);
  void read_counted(const Fields& fields, ReadThreshold& r);
  void read_sequence(const Field& field, const Fields& fields, ReadThreshold& r);
  std::optional<Fields> mapping(const Field& field, std::string_view name, Keys keys,
                                std::string_view hint);
  void read_selector(const Field& field, const Fields& fields, std::string_view name,
                     ReadSelector& out);
  std::optional<uint64_t> read_count(const Field& field);
  std::optional<LocatedString> read_capture(const char* key, const Field& field);
  void read_group_by(const Field& field, ReadThreshold& r);
  void read_windows(const Fields& fields, ReadThreshold& r);
  std::optional<int64_t> read_duration(const char* key, const Field& field);

  FieldReader& in_;
  const std::string& pack_;
};

std::optional<ReadThreshold> ThresholdReader::read(const YAML::Node& node) {
  if (!node.IsMap()) {
    in_.error(in_.at(node), std::string("each threshold must be a mapping starting with "
                                        "'- id:'; got ") +
                                shape_name(node));
    return std::nullopt;
  }
  const size_t errors_before = in_.error_count();
  ReadThreshold r;
  r.threshold.pack = pack_;
  r.threshold.where = in_.at(node);
  const Fields fields = in_.fields(node, kThresholdKeys, "a threshold");
  read_identity(fields, r);
  if (const Field* f = find(fields, "sequence")) {
    read_sequence(*f, fields, r);
  } else {
    read_counted(fields, r);
  }
  if (const Field* f = find(fields, "group_by")) read_group_by(*f, r);
  read_windows(fields, r);
  Threshold& t = r.threshold;
  t.hits = plain(r.hits);
  t.then = plain(r.then);
  t.group_by = texts(r.group_by);
  t.distinct = r.distinct.text;
  t.weight = r.weight.text;
  r.read_errors = in_.error_count() > errors_before;
  return r;
}

std::string ThresholdReader::what(const ReadThreshold& r) {
  return r.threshold.id.empty() ? "the threshold" : "threshold '" + r.threshold.id + "'";
}

const Field* ThresholdReader::require(const Fields& fields, const std::string& key,
                                      const ReadThreshold& r, std::string_view hint) {
  if (const Field* f = find(fields, key)) return f;
  in_.error(r.threshold.where,
            what(r) + " is missing required key '" + key + "'; add it, e.g. " + std::string(hint));
  return nullptr;
}

void ThresholdReader::read_identity(const Fields& fields, ReadThreshold& r) {
  if (const Field* f = require(fields, "id", r, "id: ssh.bruteforce")) read_id(*f, r);
  if (const Field* f = require(fields, "title", r, "title: SSH brute force from one address")) {
    r.threshold.title = in_.string("title", *f, "SSH brute force from one address").value_or("");
  }
  if (const Field* f = require(fields, "severity", r, "severity: high")) {
    read_severity(*f, r.threshold);
  }
}

void ThresholdReader::read_id(const Field& field, ReadThreshold& r) {
  const auto id = in_.string("id", field, "ssh.bruteforce");
  if (!id) return;
  if (!valid_id(*id)) {
    in_.error(in_.at(field), "threshold id '" + *id +
                                 "' is not valid; use only a-z, 0-9, '_', '.' and '-', "
                                 "e.g. ssh.bruteforce");
    return;
  }
  r.threshold.id = *id;
  r.id_where = in_.at(field);
}

void ThresholdReader::read_severity(const Field& field, Threshold& t) {
  const auto name = in_.string("severity", field, "high");
  if (!name) return;
  if (const auto severity = parse_severity(*name)) {
    t.severity = *severity;
  } else {
    in_.error(in_.at(field), "unknown severity '" + *name + "'; use one of: " + kSeverities);
  }
}

// count: 5, of: {...}; distinct: user makes it count distinct values instead.
void ThresholdReader::read_counted(const Fields& fields, ReadThreshold& r) {
  Threshold& t = r.threshold;
  const Field* distinct = find(fields, "distinct");
  t.kind = distinct != nullptr ? Threshold::Kind::kDistinct : Threshold::Kind::kCount;
  if (const Field* f = require(fields, "of", r, "of: {tags: [ssh_auth_failure]}")) {
    if (auto of = mapping(*f, "of", kSelectorKeys, "of: {rules: [ssh.failed_password]}")) {
      read_selector(*f, *of, "of", r.hits);
    }
  }
  if (distinct != nullptr) {
    if (auto name = read_capture("distinct", *distinct)) r.distinct = std::move(*name);
  }
  const Field* count =
      distinct != nullptr ? require(fields, "count", r, "count: 10") : find(fields, "count");
  if (count != nullptr) t.count = read_count(*count).value_or(1);
  if (const Field* f = find(fields, "weight")) {
    if (distinct != nullptr) {
      in_.error(in_.at(f->key),
                "'weight' applies to counted hits, not to distinct values; "
                "drop it");
    } else if (auto name = read_capture("weight", *f)) {
      r.weight = std::move(*name);
    }
  }
}

// sequence: {first: {rules: [...], count: 3}, then: {rules: [...]}}
void ThresholdReader::read_sequence(const Field& field, const Fields& fields, ReadThreshold& r) {
  r.threshold.kind = Threshold::Kind::kSequence;
  for (const auto& [key, instead] : kNotForSequence) {
    if (const Field* f = find(fields, std::string(key))) {
      in_.error(in_.at(f->key),
                "'" + std::string(key) + "' does not apply to a sequence; " + std::string(instead));
    }
  }
  const auto stages = mapping(field, "sequence", kSequenceKeys,
                              "sequence: {first: {rules: [ssh.failed_password], count: 3}, "
                              "then: {rules: [ssh.accepted_password]}}");
  if (!stages) return;
  const auto stage = [&](const char* key, Keys keys, ReadSelector& out) -> std::optional<Fields> {
    const Field* f = find(*stages, key);
    if (f == nullptr) {
      in_.error(in_.at(field.key), "'sequence' is missing '" + std::string(key) +
                                       "'; a sequence needs first: {...} and then: {...}");
      return std::nullopt;
    }
    auto read = mapping(*f, key, keys, "{rules: [ssh.failed_password]}");
    if (read) read_selector(*f, *read, key, out);
    return read;
  };
  if (const auto first = stage("first", kFirstKeys, r.hits)) {
    if (const Field* count = find(*first, "count")) {
      r.threshold.count = read_count(*count).value_or(1);
    }
  }
  stage("then", kSelectorKeys, r.then);
}

std::optional<Fields> ThresholdReader::mapping(const Field& field, std::string_view name, Keys keys,
                                               std::string_view hint) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), "'" + std::string(name) + "' must be a mapping, e.g. " +
                                 std::string(hint) + "; got " + shape_name(field.value));
    return std::nullopt;
  }
  return in_.fields(field.value, keys, "'" + std::string(name) + "'");
}

void ThresholdReader::read_selector(const Field& field, const Fields& fields, std::string_view name,
                                    ReadSelector& out) {
  const size_t errors_before = in_.error_count();
  if (const Field* f = find(fields, "rules")) {
    for (LocatedString& id : or_empty(in_.string_list("rules", *f, "[ssh.failed_password]"))) {
      if (valid_id(id.text)) {
        out.rules.push_back(std::move(id));
      } else {
        in_.error(id.where, "'" + id.text +
                                "' is not a rule id; rule ids use only a-z, 0-9, "
                                "'_', '.' and '-'");
      }
    }
  }
  if (const Field* f = find(fields, "tags")) {
    for (LocatedString& tag : or_empty(in_.string_list("tags", *f, "[ssh_auth_failure]"))) {
      out.tags.push_back(std::move(tag));
    }
  }
  if (out.rules.empty() && out.tags.empty() && in_.error_count() == errors_before) {
    in_.error(in_.at(field), "'" + std::string(name) +
                                 "' names no rule and no tag; e.g. {tags: [ssh_auth_failure]} "
                                 "or {rules: [ssh.failed_password]}");
  }
}

std::optional<uint64_t> ThresholdReader::read_count(const Field& field) {
  const auto text = in_.string("count", field, "5");
  if (!text) return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec == std::errc{} && end == text->data() + text->size() && value >= 1 &&
      value <= Threshold::kMaxCount) {
    return value;
  }
  in_.error(in_.at(field), "'count' must be a whole number from 1 to " +
                               std::to_string(Threshold::kMaxCount) + "; got '" + *text + "'");
  return std::nullopt;
}

std::optional<LocatedString> ThresholdReader::read_capture(const char* key, const Field& field) {
  const auto name = in_.string(key, field, "user");
  if (!name) return std::nullopt;
  if (valid_capture_name(*name)) return LocatedString{*name, in_.at(field)};
  in_.error(in_.at(field), "'" + std::string(key) +
                               "' must name a capture (letters, digits and "
                               "'_'), e.g. user; got '" +
                               *name + "'");
  return std::nullopt;
}

void ThresholdReader::read_group_by(const Field& field, ReadThreshold& r) {
  for (LocatedString& name : or_empty(in_.string_list("group_by", field, "[ip]"))) {
    const auto same = [&](const LocatedString& s) { return s.text == name.text; };
    if (!valid_capture_name(name.text)) {
      in_.error(name.where, "'" + name.text +
                                "' in group_by is not a capture name; use "
                                "letters, digits and '_', e.g. ip");
    } else if (std::any_of(r.group_by.begin(), r.group_by.end(), same)) {
      in_.error(name.where, "'" + name.text + "' repeated in group_by; keep only one");
    } else {
      r.group_by.push_back(std::move(name));
    }
  }
  if (!r.distinct.text.empty()) {
    const auto same = [&](const LocatedString& s) { return s.text == r.distinct.text; };
    if (std::any_of(r.group_by.begin(), r.group_by.end(), same)) {
      in_.error(r.distinct.where, "'" + r.distinct.text +
                                      "' is also in group_by, so each group holds one value of "
                                      "it; count the distinct values of another capture");
    }
  }
}

void ThresholdReader::read_windows(const Fields& fields, ReadThreshold& r) {
  Threshold& t = r.threshold;
  // A single hit needs no window: "any NOT in sudoers" is count 1, no within.
  const bool window_needed = t.kind != Threshold::Kind::kCount || t.count > 1;
  const Field* within =
      window_needed ? require(fields, "within", r, "within: 10m") : find(fields, "within");
  if (within != nullptr) {
    const auto us = read_duration("within", *within);
    if (us && *us == 0 && window_needed) {
      in_.error(in_.at(*within),
                "'within' must be more than 0: it is the time in which the "
                "hits must come, e.g. within: 10m");
    }
    t.within_us = us.value_or(0);
  }
  t.suppress_us = t.within_us > 0 ? t.within_us : kHourUs;
  if (const Field* f = find(fields, "suppress")) {
    t.suppress_us = read_duration("suppress", *f).value_or(t.suppress_us);
  }
}

std::optional<int64_t> ThresholdReader::read_duration(const char* key, const Field& field) {
  const auto text = in_.string(key, field, "10m");
  if (!text) return std::nullopt;
  const auto us = parse_window(*text);
  if (us && *us <= Threshold::kMaxWindowUs) return us;
  in_.error(in_.at(field), "'" + std::string(key) + "' must be a duration such as " + kDurations +
                               ", at most 7d; got '" + *text + "'");
  return std::nullopt;
}

}  // namespace

std::vector<ReadThreshold> read_thresholds(FieldReader& in, const Field& field,
                                           const std::string& pack) {
  if (!field.value.IsSequence()) {
    in.error(in.at(field), std::string("'thresholds' must be a list of thresholds, each "
                                       "starting with '- id:'; got ") +
                               shape_name(field.value));
    return {};
  }
  std::vector<ReadThreshold> out;
  ThresholdReader reader(in, pack);
  for (const YAML::Node& node : field.value) {
    if (auto t = reader.read(node)) out.push_back(std::move(*t));
  }
  return out;
}

}  // namespace vigil::rules
