#include "rules/examples.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/text.h"
#include "core/time.h"
#include "ingest/parser.h"

namespace vigil::rules {
namespace {

// The end of 30 December 2096, UTC. A fixed reference keeps `rules test`
// reproducible whatever the clock says. With the parser's day of slack past the
// reference, every RFC 3164 example ("Nov 28 ...", "Dec 31 ...") lands in 2096,
// a leap year, so that a "Feb 29" example parses too.
int64_t reference_time_us() {
  constexpr int64_t kDayUs = int64_t{86400} * 1000000;
  return days_from_civil(2096, 12, 31) * kDayUs - 1;
}

constexpr size_t kShownBytes = 200;

// As a JSON string: quoted, escaped, valid UTF-8 whatever the line held.
std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text.substr(0, kShownBytes));
  if (text.size() > kShownBytes) out += "...";
  return out;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) out += (out.size() > 1 ? ", " : "") + item;
  return out + "]";
}

std::string priority_list(const std::vector<int>& priorities) {
  std::vector<std::string> names;
  names.reserve(priorities.size());
  for (int p : priorities) names.emplace_back(priority_name(p));
  return list_text(names);
}

// Which entry of select.fields refuses `e`.
std::string field_refusal(const Selector& s, const Event& e) {
  if (e.fields == nullptr) {
    return "the event has no structured fields (select.fields needs a JSON line or a "
           "journald entry)";
  }
  for (const auto& [name, values] : s.fields) {
    const auto value = e.fields->field(name);
    if (!value) return "the event has no field " + name + " (select.fields)";
    const auto accepts = [&](const FieldValue& v) { return v.accepts(*value); };
    if (values.empty() || std::any_of(values.begin(), values.end(), accepts)) continue;
    std::vector<std::string> accepted;
    for (const FieldValue& v : values) accepted.push_back(v.text);
    return "field " + name + " is " + quoted(*value) + ", not one of select.fields " +
           list_text(accepted);
  }
  return "select.fields";
}

// Which key of `s` refuses `e`, told by trying each key alone.
std::string selector_refusal(const Selector& s, const Event& e) {
  Selector only;
  only.programs = s.programs;
  if (!only.admits(e)) {
    return "program " + quoted(e.program) + " is not in select.program " + list_text(s.programs);
  }
  only = Selector{};
  only.units = s.units;
  if (!only.admits(e)) {
    return "unit " + quoted(e.unit) + " is not in select.unit " + list_text(s.units) +
           "; give the example its unit: {line: ..., unit: <unit>}";
  }
  only = Selector{};
  only.sources = s.sources;
  if (!only.admits(e)) {
    return "source " + quoted(e.source) + " matches nothing in select.source " +
           list_text(s.sources) + "; give the example its file: {line: ..., source: <name>}";
  }
  only = Selector{};
  only.priorities = s.priorities;
  if (!only.admits(e)) {
    return std::string("priority ") + priority_name(e.priority) + " is not in select.priority " +
           priority_list(s.priorities);
  }
  only = Selector{};
  only.max_priority = s.max_priority;
  if (!only.admits(e)) {
    return std::string("priority ") + priority_name(e.priority) + " is not at most " +
           "select.max_priority " + priority_name(s.max_priority);
  }
  return field_refusal(s, e);
}

std::string parsed_text(const Event& e) {
  return "(parsed program " + quoted(e.program) + ", message " + quoted(e.message) + ")";
}

// Records whether one rule hit, and its captures.
class RuleHit final : public HitSink {
 public:
  explicit RuleHit(size_t rule) : rule_(rule) {}

  void on_hit(const Event& /*event*/, const Hit& hit) override {
    if (hit.rule_index != rule_) return;
    hit_ = true;
    for (const Capture& c : hit.captures) captures_.emplace_back(c.name, c.value);
  }

  bool hit() const { return hit_; }
  const std::string* capture(const std::string& name) const {
    for (const auto& [n, v] : captures_) {
      if (n == name) return &v;
    }
    return nullptr;
  }

 private:
  size_t rule_;
  bool hit_ = false;
  std::vector<std::pair<std::string, std::string>> captures_;
};

class ExampleRunner {
 public:
  ExampleRunner(const Matcher& matcher, ExampleReport& report)
      : matcher_(matcher), context_(matcher.make_context()), report_(report) {}

  void run(size_t rule_index, const Example& example, bool should_match);

 private:
  void fail(const Example& example, std::string message) {
    const Location& w = example.where;
    report_.failures.push_back(Diagnostic{w.file, w.line, w.col, std::move(message)});
  }
  void check_hit(const Rule& rule, const Example& example, const Event& event,
                 const RuleHit& result);
  void check_captures(const Rule& rule, const Example& example, const RuleHit& result);

  const Matcher& matcher_;
  std::unique_ptr<Matcher::Context> context_;
  ExampleReport& report_;
};

void ExampleRunner::run(size_t rule_index, const Example& example, bool should_match) {
  ++report_.examples_run;
  const Rule& rule = matcher_.rules().rules[rule_index];
  // The Event views the example, the parser and `source`: all outlive it here.
  const std::string_view source =
      example.source.empty() ? std::string_view("example") : std::string_view(example.source);
  ingest::LineParser parser(ingest::Format::kAuto, source, reference_time_us());
  Event event;
  if (!parser.parse(example.line, event)) {
    fail(example,
         "example line does not parse as a log line; write it as the log has it, "
         "e.g. 'Nov 28 06:25:14 web1 sshd[812]: <message>'");
    return;
  }
  if (!example.unit.empty()) event.unit = example.unit;  // a text line carries no unit
  RuleHit result(rule_index);
  matcher_.match(event, *context_, result);
  if (should_match) {
    check_hit(rule, example, event, result);
  } else if (result.hit()) {
    fail(example, "no_match example matches rule " + rule.id + " " + parsed_text(event));
  }
}

void ExampleRunner::check_hit(const Rule& rule, const Example& example, const Event& event,
                              const RuleHit& result) {
  if (result.hit()) {
    check_captures(rule, example, result);
  } else if (!rule.select.admits(event)) {
    fail(example, "example does not match rule " + rule.id +
                      ": its select refuses the event: " + selector_refusal(rule.select, event));
  } else {
    fail(example, "example does not match rule " + rule.id + " " + parsed_text(event));
  }
}

void ExampleRunner::check_captures(const Rule& rule, const Example& example,
                                   const RuleHit& result) {
  for (const auto& [name, expected] : example.captures) {
    const std::string* got = result.capture(name);
    if (got == nullptr) {
      fail(example, "capture " + name + ": expected " + quoted(expected) + ", but rule " + rule.id +
                        " matched without it (an optional group that did not take part)");
    } else if (*got != expected) {
      fail(example, "capture " + name + ": expected " + quoted(expected) + ", got " + quoted(*got) +
                        " (rule " + rule.id + ")");
    }
  }
}

}  // namespace

ExampleReport run_examples(const Matcher& matcher) {
  ExampleReport report;
  ExampleRunner runner(matcher, report);
  const std::vector<Rule>& rules = matcher.rules().rules;
  for (size_t i = 0; i < rules.size(); ++i) {
    for (const Example& example : rules[i].match_examples) runner.run(i, example, true);
    for (const Example& example : rules[i].no_match_examples) runner.run(i, example, false);
  }
  return report;
}

}  // namespace vigil::rules
