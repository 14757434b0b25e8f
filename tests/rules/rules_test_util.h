#pragma once
// Helpers shared by the rules tests: events and rules built by hand, a sink
// that records hits, packs written to a temporary directory.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "rules/loader.h"
#include "rules/matcher.h"
#include "rules/ruleset.h"

namespace vigil::rules::test {

inline std::string fixture(const std::string& name) {
  return std::string(VIGIL_SOURCE_DIR) + "/tests/rules/fixtures/" + name;
}

inline Event event(std::string_view message, std::string_view program = "sshd") {
  Event e;
  e.source = "/var/log/auth.log";
  e.program = program;
  e.message = message;
  e.priority = kInfo;
  return e;
}

inline Rule rule(std::string id, std::vector<std::string> patterns,
                 std::vector<NamedCapture> captures = {}) {
  Rule r;
  r.id = std::move(id);
  r.title = r.id;
  for (std::string& p : patterns) {
    r.patterns.push_back(Pattern{std::move(p), Location{"test.yml", 1, 1}});
  }
  r.captures = std::move(captures);
  return r;
}

struct RecordedHit {
  std::string rule;
  size_t index = 0;
  std::map<std::string, std::string> captures;
};

class RecordingSink : public HitSink {
 public:
  void on_hit(const Event& /*event*/, const Hit& hit) override {
    RecordedHit h{hit.rule->id, hit.rule_index, {}};
    for (const Capture& c : hit.captures) h.captures.emplace(c.name, c.value);
    hits.push_back(std::move(h));
  }
  std::vector<RecordedHit> hits;
};

// Compiles rules that must compile.
inline std::unique_ptr<Matcher> compile(std::vector<Rule> rules) {
  std::vector<Diagnostic> errors;
  auto matcher = Matcher::compile(RuleSet{std::move(rules)}, errors);
  for (const Diagnostic& d : errors) ADD_FAILURE() << d.str();
  return matcher;
}

// The errors a rule set gives when it must not compile.
inline std::vector<Diagnostic> compile_errors(std::vector<Rule> rules) {
  std::vector<Diagnostic> errors;
  const auto matcher = Matcher::compile(RuleSet{std::move(rules)}, errors);
  EXPECT_EQ(matcher, nullptr);
  return errors;
}

// Hits of one message against `matcher`, with a fresh context.
inline std::vector<RecordedHit> hits(const Matcher& matcher, const Event& e) {
  auto ctx = matcher.make_context();
  RecordingSink sink;
  const size_t n = matcher.match(e, *ctx, sink);
  EXPECT_EQ(n, sink.hits.size());
  return sink.hits;
}

inline std::string messages(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.str() + "\n";
  return out;
}

}  // namespace vigil::rules::test
