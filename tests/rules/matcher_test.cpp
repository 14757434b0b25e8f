// The matcher with real Hyperscan and RE2: which rules hit, with which captures.

#include "rules/matcher.h"

#include <gtest/gtest.h>

#include <thread>

#include "rules/hs_database.h"
#include "tests/rules/rules_test_util.h"

namespace vigil::rules::test {
namespace {

constexpr const char* kFailedPassword =
    R"(^Failed password for (?:invalid user )?(?P<user>.*) from (?P<ip>\S+) port (?P<port>\d+)(?: ssh2)?$)";

std::unique_ptr<Matcher> failed_password_matcher() {
  return compile({rule(
      "ssh.failed_password", {kFailedPassword},
      {{"user", CaptureType::kUser}, {"ip", CaptureType::kIp}, {"port", CaptureType::kInt}})});
}

std::map<std::string, std::string> only_hit(const Matcher& m, std::string_view message) {
  const auto found = hits(m, event(message));
  EXPECT_EQ(found.size(), 1u) << message;
  return found.empty() ? std::map<std::string, std::string>{} : found[0].captures;
}

TEST(Matcher, CapturesAreNormalisedByType) {
  const auto m = failed_password_matcher();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(only_hit(*m, "Failed password for root from 203.0.113.7 port 052144 ssh2"),
            (std::map<std::string, std::string>{
                {"user", "root"}, {"ip", "203.0.113.7"}, {"port", "52144"}}));
  EXPECT_EQ(only_hit(*m, "Failed password for bob from 2001:DB8:0::1 port 22")["ip"],
            "2001:db8::1");
  EXPECT_EQ(only_hit(*m, "Failed password for bob from ::ffff:192.0.2.44 port 22")["ip"],
            "192.0.2.44");
  EXPECT_EQ(only_hit(*m, "Failed password for bob from [2001:db8::7] port 22")["ip"],
            "2001:db8::7");
}

TEST(Matcher, InvalidTypedCaptureMeansNoMatch) {
  const auto m = failed_password_matcher();
  EXPECT_TRUE(hits(*m, event("Failed password for bob from 999.1.1.1 port 22")).empty());
  EXPECT_TRUE(hits(*m, event("Failed password for bob from host.example port 22")).empty());
}

TEST(Matcher, AttackerChosenUserCannotMoveTheIp) {
  const auto m = failed_password_matcher();
  const auto captures = only_hit(
      *m,
      "Failed password for invalid user root from 6.6.6.6 port 1 from 203.0.113.9 port 4242 ssh2");
  EXPECT_EQ(captures.at("user"), "root from 6.6.6.6 port 1");
  EXPECT_EQ(captures.at("ip"), "203.0.113.9");
  EXPECT_EQ(captures.at("port"), "4242");
}

TEST(Matcher, FirstPatternInOrderThatMatchesWins) {
  const auto forward = compile({rule("r", {R"(login (?P<who>\w+)$)", R"((?P<who>\w+) login)"})});
  const auto backward = compile({rule("r", {R"((?P<who>\w+) login)", R"(login (?P<who>\w+)$)"})});
  EXPECT_EQ(only_hit(*forward, "alice login bob")["who"], "bob");
  EXPECT_EQ(only_hit(*backward, "alice login bob")["who"], "alice");
}

TEST(Matcher, LaterPatternWhenAnEarlierOneFailsItsTypeCheck) {
  const auto m = compile(
      {rule("r", {R"(from (?P<ip>\S+))", R"(addr=(?P<ip>\S+))"}, {{"ip", CaptureType::kIp}})});
  EXPECT_EQ(only_hit(*m, "connect from gateway addr=10.0.0.1")["ip"], "10.0.0.1");
  EXPECT_EQ(only_hit(*m, "connect from 10.0.0.2 addr=10.0.0.1")["ip"], "10.0.0.2");
}

TEST(Matcher, OneHitPerRuleInRuleOrder) {
  const auto m =
      compile({rule("a", {"foo", "bar", "o b"}), rule("b", {"nothing"}), rule("c", {"bar"})});
  const auto found = hits(*m, event("foo bar"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rule, "a");
  EXPECT_EQ(found[0].index, 0u);
  EXPECT_EQ(found[1].rule, "c");
  EXPECT_EQ(found[1].index, 2u);
}

TEST(Matcher, SelectorDecidesBeforeAHit) {
  Rule r = rule("sudo.cmd", {"COMMAND="});
  r.select.programs = {"sudo"};
  const auto m = compile({r});
  EXPECT_TRUE(hits(*m, event("COMMAND=/bin/sh", "sshd")).empty());
  EXPECT_EQ(hits(*m, event("COMMAND=/bin/sh", "sudo")).size(), 1u);
}

TEST(Matcher, OptionalGroupThatDidNotTakePartIsOmitted) {
  const auto m =
      compile({rule("r", {R"(^session (?P<state>opened|closed)(?: for (?P<user>\S+))?)"})});
  EXPECT_EQ(only_hit(*m, "session closed"),
            (std::map<std::string, std::string>{{"state", "closed"}}));
  EXPECT_EQ(only_hit(*m, "session opened for root"),
            (std::map<std::string, std::string>{{"state", "opened"}, {"user", "root"}}));
}

TEST(Matcher, EmptyGroupThatTookPartIsKept) {
  const auto m = compile({rule("r", {R"(user=(?P<user>\S*) uid)"})});
  EXPECT_EQ(only_hit(*m, "user= uid=0"), (std::map<std::string, std::string>{{"user", ""}}));
}

TEST(Matcher, MessagesAreBytesNotUtf8) {
  const auto m = compile({rule("any", {"^a.b$"}), rule("user", {R"(^user (?P<u>\S+) denied$)"})});
  EXPECT_EQ(hits(*m, event("a\xff"
                           "b"))
                .size(),
            1u);
  EXPECT_EQ(hits(*m, event(std::string_view("a\0b", 3))).size(), 1u);
  // 'é' is two bytes in UTF-8, so one '.' does not cover it.
  EXPECT_TRUE(hits(*m, event("a\xC3\xA9"
                             "b"))
                  .empty());
  const std::string odd("user \xC3\x28\xFF\0x denied", 17);
  EXPECT_EQ(only_hit(*m, odd)["u"], std::string("\xC3\x28\xFF\0x", 5));
}

TEST(Matcher, PatternTextInUtf8MatchesTheSameBytes) {
  const auto m = compile({rule("r", {"took (?P<d>\\d+ \xC2\xB5s)"})});
  EXPECT_EQ(only_hit(*m, "took 25 \xC2\xB5s")["d"], "25 \xC2\xB5s");
}

TEST(Matcher, InlineFlagsAreHonoured) {
  const auto m = compile({rule("r", {"(?i)error: (?P<what>disk full)"})});
  EXPECT_EQ(only_hit(*m, "ERROR: Disk Full")["what"], "Disk Full");
}

TEST(Matcher, UnanchoredUnlessThePatternAnchors) {
  const auto m = compile({rule("mid", {"needle"}), rule("start", {"^needle"})});
  const auto found = hits(*m, event("hay needle hay"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, "mid");
}

TEST(Matcher, TypedIntAndDurationCaptures) {
  const auto m = compile({rule("slow", {R"(rows=(?P<rows>\S+) took (?P<took>\S+))"},
                               {{"rows", CaptureType::kInt}, {"took", CaptureType::kDuration}})});
  EXPECT_EQ(only_hit(*m, "rows=+12 took 1.5s"),
            (std::map<std::string, std::string>{{"rows", "12"}, {"took", "1500"}}));
  EXPECT_TRUE(hits(*m, event("rows=12 took soon")).empty());
  EXPECT_TRUE(hits(*m, event("rows=many took 1s")).empty());
}

TEST(Matcher, NoRulesNoHits) {
  const auto m = compile({});
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(hits(*m, event("anything")).empty());
}

TEST(Matcher, EmptyMessage) {
  const auto m = failed_password_matcher();
  EXPECT_TRUE(hits(*m, event("")).empty());
  EXPECT_TRUE(hits(*m, event(std::string_view())).empty());
}

// "Pattern is too large" for an exact Hyperscan compile; fine as a prefilter.
constexpr const char* kTooLargeForExact = "(?P<run>(?:.{3}a|a.{3}){100})";

TEST(Matcher, PrefilterFallbackIsConfirmedByRe2) {
  Location where{"test.yml", 1, 1};
  const std::string regex = kTooLargeForExact;
  std::vector<Diagnostic> errors;
  const std::vector<HsPattern> patterns{{&regex, where}};
  HsBuild build = analyse_hs_patterns(patterns, errors);
  const std::vector<unsigned> all{0};
  EXPECT_NE(build_hs_subset(patterns, all, build, errors), nullptr);
  ASSERT_TRUE(errors.empty()) << messages(errors);
  EXPECT_TRUE(build.prefiltered.at(0));

  const auto m = compile({rule("big", {regex})});
  ASSERT_NE(m, nullptr);
  std::string run;
  for (int i = 0; i < 100; ++i) run += "xxxa";
  EXPECT_EQ(only_hit(*m, "<" + run + ">")["run"], run);
  // The prefilter database fires on 400 x's (it relaxes the repeat); RE2 says no.
  EXPECT_TRUE(hits(*m, event(std::string(400, 'x'))).empty());
}

TEST(Matcher, PatternNeitherEngineAcceptsIsAnErrorAtItsLocation) {
  Rule r = rule("r", {"fine", "x(?:.{3}a|a.{3}){100,200}y", "a(?:\\b|$)b"});
  r.patterns[1].where = Location{"p.yml", 7, 9};
  r.patterns[2].where = Location{"p.yml", 8, 9};
  const auto errors = compile_errors({r});
  ASSERT_EQ(errors.size(), 2u) << messages(errors);
  EXPECT_EQ(errors[0].str(),
            "p.yml:8:9: Hyperscan cannot compile this pattern, even as a prefilter: Embedded end "
            "anchors not supported. Simplify it (e.g. smaller bounded repeats, anchors only at "
            "the ends)");
  EXPECT_EQ(errors[1].line, 7);
  EXPECT_NE(errors[1].message.find("even as a prefilter: Pattern is too large."), std::string::npos)
      << errors[1].str();
}

TEST(Matcher, PatternThatCanMatchTheEmptyStringIsRejected) {
  for (const char* empty : {"", ".*", "x?", "^$", "\\b", "(?:a|)", "^"}) {
    Rule r = rule("r", {empty});
    r.patterns[0].where = Location{"p.yml", 3, 7};
    const auto errors = compile_errors({r});
    ASSERT_EQ(errors.size(), 1u) << empty << "\n" << messages(errors);
    EXPECT_EQ(errors[0].str(),
              "p.yml:3:7: pattern can match the empty string, so it would fire on every line; "
              "make it require at least one character (e.g. '.+' instead of '.*')")
        << empty;
  }
}

TEST(Matcher, PatternWithANulByteMustEscapeIt) {
  const auto errors = compile_errors({rule("r", {std::string("a\0b", 3)})});
  ASSERT_EQ(errors.size(), 1u) << messages(errors);
  EXPECT_EQ(errors[0].message, "pattern holds a NUL byte; write it as \\x00");
  const auto m = compile({rule("r", {"a\\x00b"})});
  EXPECT_EQ(hits(*m, event(std::string_view("a\0b", 3))).size(), 1u);
}

TEST(Matcher, PatternRe2RejectsIsAnError) {
  Rule r = rule("r", {"ok", "(unclosed"});
  r.patterns[1].where = Location{"p.yml", 4, 9};
  const auto errors = compile_errors({r});
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].str(), "p.yml:4:9: pattern does not compile: missing ): (unclosed");
}

TEST(Matcher, ThousandRulesHitOnlyTheOneThatMatches) {
  std::vector<Rule> rules;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    rules.push_back(rule("r" + n, {"token" + n + "x(?P<tail>\\w+)"}));
  }
  const auto m = compile(std::move(rules));
  ASSERT_NE(m, nullptr);
  const auto found = hits(*m, event("some text token537xyz more"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, "r537");
  EXPECT_EQ(found[0].index, 537u);
  EXPECT_EQ(found[0].captures.at("tail"), "yz");
  EXPECT_TRUE(hits(*m, event("no token here")).empty());
}

TEST(Matcher, ContextsAreReusedAndIndependentAcrossThreads) {
  const auto m = failed_password_matcher();
  const auto work = [&](const std::string& ip, int& matched) {
    auto ctx = m->make_context();
    const std::string line = "Failed password for root from " + ip + " port 22";
    for (int i = 0; i < 2000; ++i) {
      RecordingSink sink;
      m->match(event(line), *ctx, sink);
      m->match(event("Accepted password for root"), *ctx, sink);
      if (sink.hits.size() == 1 && sink.hits[0].captures["ip"] == ip) ++matched;
    }
  };
  int a = 0;
  int b = 0;
  std::thread ta(work, "10.0.0.1", std::ref(a));
  std::thread tb(work, "2001:db8::2", std::ref(b));
  ta.join();
  tb.join();
  EXPECT_EQ(a, 2000);
  EXPECT_EQ(b, 2000);
}

}  // namespace
}  // namespace vigil::rules::test
