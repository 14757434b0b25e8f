#include "rules/pack_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>

#include "rules/yaml_fields.h"

namespace vigil::rules {
namespace {

constexpr auto kPackKeys = std::to_array<std::string_view>({"pack", "rules", "thresholds"});
constexpr auto kRuleKeys =
    std::to_array<std::string_view>({"id", "title", "severity", "select", "patterns", "captures",
                                     "field_captures", "tags", "examples"});
constexpr auto kSelectKeys = std::to_array<std::string_view>(
    {"program", "unit", "source", "priority", "max_priority", "fields"});
constexpr auto kExamplesKeys = std::to_array<std::string_view>({"match", "no_match"});
constexpr auto kMatchExampleKeys =
    std::to_array<std::string_view>({"line", "captures", "source", "unit"});
// Captures are not checked for no_match examples, so listing them would mislead.
constexpr auto kNoMatchExampleKeys = std::to_array<std::string_view>({"line", "source", "unit"});

constexpr const char* kSeverities = "info, low, medium, high, critical";
constexpr const char* kPriorities = "emerg, alert, crit, err, warning, notice, info, debug";
constexpr const char* kCaptureTypes = "string, ip, user, int, duration";
constexpr const char* kFieldNames =
    "a JSON pointer like /http/status, a journald field like _TRANSPORT, or duration";

using Fields = std::map<std::string, Field>;
using Keys = std::span<const std::string_view>;

// A value the reader has already reported as broken reads as empty.
template <typename T>
T or_empty(std::optional<T> value) {
  return value ? std::move(*value) : T{};
}

const Field* find(const Fields& fields, const std::string& key) {
  const auto it = fields.find(key);
  return it == fields.end() ? nullptr : &it->second;
}

// Notes where a document's root node starts; an empty document has none.
class RootMark final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> root;

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override { note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {
    note(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {
    note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    note(mark);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& mark) {
    if (!root) root = mark;
  }
};

// Where a second document starts, if the text has one. yaml-cpp 0.7's LoadAll
// can loop forever on malformed input (it keeps returning empty documents), so
// the parser is asked for exactly two documents instead.
std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  RootMark first;
  RootMark second;
  if (!parser.HandleNextDocument(first) || !parser.HandleNextDocument(second)) return std::nullopt;
  return second.root;
}

// A document marker ("---" or "..." alone or before a space) at the start of a
// line, after some content: YAML forbids such a line inside a scalar, so without
// one the text holds a single document. Lets read_pack skip parsing the text a
// second time (second_document) for nearly every pack: yaml-cpp's parse is most
// of vigil's start-up time.
bool may_hold_second_document(std::string_view text) {
  bool content = false;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const bool marker = (line.starts_with("---") || line.starts_with("...")) &&
                        (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker && content) return true;
    const size_t first = line.find_first_not_of(" \t\r");
    if (!marker && first != std::string_view::npos && line[first] != '#' && line[0] != '%') {
      content = true;
    }
  }
  return false;
}

class PackReader {
 public:
  PackReader(const std::string& file, std::vector<Diagnostic>& errors) : in_(file, errors) {}

  ReadPack read(const YAML::Node& root);

 private:
  const Field* require(const Fields& fields, const std::string& key, const Location& where,
                       const std::string& what, std::string_view hint);
  std::vector<ReadRule> read_rules(const Field& rules, const std::string& pack);
  std::optional<ReadRule> read_rule(const YAML::Node& node, const std::string& pack);
  void read_identity(const Fields& fields, ReadRule& out);
  void read_select(const Field& field, Selector& select);
  void read_priorities(const Field& field, Selector& select);
  void read_max_priority(const Field& field, Selector& select);
  void read_select_fields(const Field& field, Selector& select);
  std::optional<std::string> field_name(const LocatedString& name);
  bool read_patterns(const Field& field, Rule& rule);
  void read_captures(const Field& field, ReadRule& out);
  void read_field_captures(const Field& field, ReadRule& out);
  bool read_examples(const Field& field, ReadRule& out);
  bool read_example_list(const Field& field, bool match, ReadRule& out);
  std::optional<Example> read_example(const YAML::Node& node, bool match,
                                      std::vector<Location>& capture_where);

  FieldReader in_;
};

ReadPack PackReader::read(const YAML::Node& root) {
  if (!root.IsMap()) {
    in_.error(in_.at(root), std::string("a rule pack must be a mapping with 'pack:' and 'rules:'; "
                                        "the file holds ") +
                                shape_name(root));
    return {};
  }
  const Location top = in_.at(root);
  const Fields fields = in_.fields(root, kPackKeys, "the pack");
  std::string pack;
  if (const Field* f = require(fields, "pack", top, "the pack", "pack: sshd")) {
    pack = in_.string("pack", *f, "sshd").value_or("");
  }
  // A pack of thresholds alone is complete; one of neither is a mistake.
  const Field* thresholds = find(fields, "thresholds");
  const Field* rules = thresholds != nullptr ? find(fields, "rules")
                                             : require(fields, "rules", top, "the pack",
                                                       "rules: and a list of rules, each '- id: "
                                                       "...' (or thresholds:)");
  ReadPack out;
  if (rules != nullptr) out.rules = read_rules(*rules, pack);
  if (thresholds != nullptr) out.thresholds = read_thresholds(in_, *thresholds, pack);
  return out;
}

std::vector<ReadRule> PackReader::read_rules(const Field& rules, const std::string& pack) {
  if (!rules.value.IsSequence()) {
    in_.error(in_.at(rules),
              std::string("'rules' must be a list of rules, each starting with '- id:'; got ") +
                  shape_name(rules.value));
    return {};
  }
  std::vector<ReadRule> out;
  for (const YAML::Node& node : rules.value) {
    if (auto rule = read_rule(node, pack)) out.push_back(std::move(*rule));
  }
  return out;
}

const Field* PackReader::require(const Fields& fields, const std::string& key,
                                 const Location& where, const std::string& what,
                                 std::string_view hint) {
  if (const Field* f = find(fields, key)) return f;
  in_.error(where,
            what + " is missing required key '" + key + "'; add it, e.g. " + std::string(hint));
  return nullptr;
}

std::optional<ReadRule> PackReader::read_rule(const YAML::Node& node, const std::string& pack) {
  if (!node.IsMap()) {
    in_.error(in_.at(node), std::string("each rule must be a mapping starting with '- id:'; got ") +
                                shape_name(node));
    return std::nullopt;
  }
  const size_t errors_before = in_.error_count();
  ReadRule out;
  Rule& rule = out.rule;
  rule.pack = pack;
  rule.where = in_.at(node);
  const Fields fields = in_.fields(node, kRuleKeys, "a rule");
  read_identity(fields, out);
  if (const Field* f = find(fields, "select")) read_select(*f, rule.select);
  const std::string what = rule.id.empty() ? "the rule" : "rule '" + rule.id + "'";
  if (const Field* f = require(fields, "patterns", rule.where, what,
                               R"(patterns: ['^Failed password for (?P<user>.*) from'])")) {
    out.patterns_readable = read_patterns(*f, rule);
  }
  if (const Field* f = find(fields, "captures")) read_captures(*f, out);
  if (const Field* f = find(fields, "field_captures")) read_field_captures(*f, out);
  if (const Field* f = find(fields, "tags")) {
    for (LocatedString& tag : or_empty(in_.string_list("tags", *f, "[auth_failure, ssh]"))) {
      rule.tags.push_back(std::move(tag.text));
    }
  }
  if (const Field* f = find(fields, "examples")) out.examples_readable = read_examples(*f, out);
  out.read_errors = in_.error_count() > errors_before;
  return out;
}

void PackReader::read_identity(const Fields& fields, ReadRule& out) {
  Rule& rule = out.rule;
  const Location& where = rule.where;
  if (const Field* f = require(fields, "id", where, "the rule", "id: ssh.failed_password")) {
    if (auto id = in_.string("id", *f, "ssh.failed_password")) {
      if (valid_id(*id)) {
        rule.id = std::move(*id);
        out.id_where = in_.at(*f);
      } else {
        in_.error(in_.at(*f), "rule id '" + *id +
                                  "' is not valid; use only a-z, 0-9, '_', '.' and '-', "
                                  "e.g. ssh.failed_password");
      }
    }
  }
  const std::string what = rule.id.empty() ? "the rule" : "rule '" + rule.id + "'";
  if (const Field* f = require(fields, "title", where, what, "title: Failed password")) {
    rule.title = in_.string("title", *f, "Failed password").value_or("");
  }
  if (const Field* f = require(fields, "severity", where, what, "severity: medium")) {
    const auto name = in_.string("severity", *f, "medium");
    if (!name) return;
    if (const auto severity = parse_severity(*name)) {
      rule.severity = *severity;
    } else {
      in_.error(in_.at(*f), "unknown severity '" + *name + "'; use one of: " + kSeverities);
    }
  }
}

void PackReader::read_select(const Field& field, Selector& select) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), std::string("'select' must be a mapping, e.g. select: {program: "
                                         "[sshd]}; got ") +
                                 shape_name(field.value));
    return;
  }
  const Fields fields = in_.fields(field.value, kSelectKeys, "'select'");
  const auto list = [&](const char* key, const char* hint, std::vector<std::string>& to) {
    const Field* f = find(fields, key);
    if (f == nullptr) return;
    for (LocatedString& s : or_empty(in_.string_list(key, *f, hint))) {
      to.push_back(std::move(s.text));
    }
  };
  list("program", "[sshd, sshd-session]", select.programs);
  list("unit", "[ssh.service]", select.units);
  list("source", R"(["auth.log*"])", select.sources);
  if (const Field* f = find(fields, "priority")) read_priorities(*f, select);
  if (const Field* f = find(fields, "max_priority")) read_max_priority(*f, select);
  if (const Field* f = find(fields, "fields")) read_select_fields(*f, select);
}

void PackReader::read_priorities(const Field& field, Selector& select) {
  for (const LocatedString& name : or_empty(in_.string_list("priority", field, "[warning]"))) {
    if (const auto p = parse_priority(name.text)) {
      select.priorities.push_back(*p);
    } else {
      in_.error(name.where, "unknown priority '" + name.text + "'; use one of: " + kPriorities);
    }
  }
}

void PackReader::read_max_priority(const Field& field, Selector& select) {
  const auto name = in_.string("max_priority", field, "err");
  if (!name) return;
  if (const auto p = parse_priority(*name)) {
    select.max_priority = *p;
  } else {
    in_.error(in_.at(field), "unknown priority '" + *name + "'; use one of: " + kPriorities);
  }
}

std::optional<std::string> PackReader::field_name(const LocatedString& name) {
  if (valid_field_name(name.text)) return name.text;
  in_.error(name.where, "'" + name.text + "' is not a field name; use " + kFieldNames);
  return std::nullopt;
}

// fields: {/http/status: ['>=500'], _TRANSPORT: [kernel], /user/name: []}
void PackReader::read_select_fields(const Field& field, Selector& select) {
  const char* hint = "fields: {/http/status: ['>=500'], _TRANSPORT: [stdout]}";
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), std::string("'fields' must map field names to lists of accepted "
                                         "values, e.g. ") +
                                 hint + "; got " + shape_name(field.value));
    return;
  }
  for (auto it = field.value.begin(); it != field.value.end(); ++it) {
    const Field entry{it->first, it->second};
    if (!entry.key.IsScalar()) {
      in_.error(in_.at(entry.key), std::string("a key in 'fields' must be a field name; ") + hint);
      continue;
    }
    const auto name = field_name(LocatedString{entry.key.Scalar(), in_.at(entry.key)});
    if (!name) continue;
    if (select.fields.contains(*name)) {
      in_.error(in_.at(entry.key), "field '" + *name + "' repeated in 'fields'; keep only one");
      continue;
    }
    std::vector<FieldValue> accepted;
    for (const LocatedString& v :
         or_empty(in_.string_list(*name, entry, "['>=500', '503'], or [] for any value"))) {
      if (auto value = parse_field_value(v.text)) {
        accepted.push_back(std::move(*value));
      } else {
        in_.error(v.where, "'" + v.text +
                               "' compares with no number; write a bound as e.g. '>=1000' "
                               "(a value starting with '>' or '<' is always a comparison)");
      }
    }
    select.fields.emplace(*name, std::move(accepted));
  }
}

bool PackReader::read_patterns(const Field& field, Rule& rule) {
  auto patterns = in_.string_list("patterns", field, R"(['^Failed password for (?P<user>.*)'])");
  if (!patterns) return false;
  if (patterns->empty()) {
    in_.error(in_.at(field), "'patterns' is empty; give at least one regular expression");
    return false;
  }
  for (LocatedString& p : *patterns) rule.patterns.push_back(Pattern{std::move(p.text), p.where});
  return true;
}

void PackReader::read_captures(const Field& field, ReadRule& out) {
  for (auto& [name, type_name] :
       or_empty(in_.string_map("captures", field, "{user: user, ip: ip}"))) {
    const auto type = parse_capture_type(type_name.text);
    if (!type) {
      in_.error(type_name.where, "unknown capture type '" + type_name.text + "' for '" + name.text +
                                     "'; use one of: " + kCaptureTypes);
      continue;
    }
    out.rule.captures.push_back(NamedCapture{std::move(name.text), *type});
    out.capture_where.push_back(name.where);
  }
}

// field_captures: {duration: duration, target: /target}
void PackReader::read_field_captures(const Field& field, ReadRule& out) {
  for (auto& [name, source] :
       or_empty(in_.string_map("field_captures", field, "{duration: duration, target: /target}"))) {
    if (!valid_capture_name(name.text)) {
      in_.error(name.where, "capture name '" + name.text +
                                "' is not valid; use letters, digits and '_', e.g. duration");
      continue;
    }
    if (auto source_field = field_name(source)) {
      out.rule.field_captures.push_back(FieldCapture{name.text, std::move(*source_field)});
    }
  }
}

bool PackReader::read_examples(const Field& field, ReadRule& out) {
  if (!field.value.IsMap()) {
    in_.error(in_.at(field), std::string("'examples' must be a mapping with 'match:' and "
                                         "'no_match:' lists; got ") +
                                 shape_name(field.value));
    return false;
  }
  const Fields fields = in_.fields(field.value, kExamplesKeys, "'examples'");
  bool ok = true;
  if (const Field* f = find(fields, "match")) ok = read_example_list(*f, true, out) && ok;
  if (const Field* f = find(fields, "no_match")) ok = read_example_list(*f, false, out) && ok;
  return ok;
}

bool PackReader::read_example_list(const Field& field, bool match, ReadRule& out) {
  const char* name = match ? "match" : "no_match";
  if (!field.value.IsSequence()) {
    in_.error(in_.at(field), std::string("'") + name +
                                 "' must be a list of log lines (or of {line: ..., captures: "
                                 "...}); got " +
                                 shape_name(field.value));
    return false;
  }
  bool ok = true;
  for (const YAML::Node& node : field.value) {
    if (node.IsNull()) {
      in_.error(in_.at(field.key),
                std::string("an empty item in '") + name + "'; write the log line after '- '");
      ok = false;
      continue;
    }
    std::vector<Location> capture_where;
    auto example = read_example(node, match, capture_where);
    if (!example) {
      ok = false;
    } else if (match) {
      out.rule.match_examples.push_back(std::move(*example));
      out.expected_capture_where.push_back(std::move(capture_where));
    } else {
      out.rule.no_match_examples.push_back(std::move(*example));
    }
  }
  return ok;
}

std::optional<Example> PackReader::read_example(const YAML::Node& node, bool match,
                                                std::vector<Location>& capture_where) {
  Example example;
  example.where = in_.at(node);
  if (node.IsScalar()) {
    example.line = node.Scalar();
    return example;
  }
  if (!node.IsMap()) {
    in_.error(example.where, "an example must be a log line or {line: ..., captures: ...}");
    return std::nullopt;
  }
  const size_t errors_before = in_.error_count();
  const Fields fields =
      in_.fields(node, match ? Keys(kMatchExampleKeys) : Keys(kNoMatchExampleKeys),
                 match ? "a match example" : "a no_match example");
  const std::string hint = "line: 'Nov 28 06:25:14 web1 sshd[812]: Failed password ...'";
  if (const Field* f = require(fields, "line", example.where, "the example", hint)) {
    example.line = in_.string("line", *f, "a whole log line").value_or("");
  }
  if (const Field* f = find(fields, "source")) {
    example.source = in_.string("source", *f, "auth.log").value_or("");
  }
  if (const Field* f = find(fields, "unit")) {
    example.unit = in_.string("unit", *f, "ssh.service").value_or("");
  }
  if (const Field* f = find(fields, "captures")) {
    for (auto& [name, value] :
         or_empty(in_.string_map("captures", *f, "{user: root, ip: 203.0.113.7}"))) {
      example.captures.emplace_back(std::move(name.text), std::move(value.text));
      capture_where.push_back(name.where);
    }
  }
  if (in_.error_count() > errors_before) return std::nullopt;
  return example;
}

}  // namespace

ReadPack read_pack(const std::string& file, const std::string& text,
                   std::vector<Diagnostic>& errors) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
    if (const auto mark = may_hold_second_document(text) ? second_document(text) : std::nullopt) {
      errors.push_back(Diagnostic{file, mark->line + 1, mark->column + 1,
                                  "a pack file holds one YAML document; move this one to a file "
                                  "of its own"});
    }
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int col = e.mark.is_null() ? 0 : e.mark.column + 1;
    errors.push_back(Diagnostic{file, line, col, "YAML syntax error: " + e.msg});
    return {};
  }
  try {
    return PackReader(file, errors).read(root);
  } catch (const YAML::Exception& e) {
    // The reader checks every node's type before converting it; this is a guard
    // so that nothing from yaml-cpp escapes the loader.
    errors.push_back(Diagnostic{file, 0, 0, std::string("cannot read pack: ") + e.what()});
    return {};
  }
}

}  // namespace vigil::rules
