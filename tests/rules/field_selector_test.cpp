// Structured fields in rules: select.fields admits by a field's presence and value,
// field_captures add typed captures, and JSON lines reach both through the parser.

#include <gtest/gtest.h>

#include <map>

#include "ingest/json_parser.h"
#include "ingest/parser.h"
#include "rules/examples.h"
#include "rules/ruleset.h"
#include "tests/rules/rules_test_util.h"

namespace vigil::rules::test {
namespace {

// A FieldLookup over a fixed map, as a journald source would provide.
// NOLINTNEXTLINE(cppcoreguidelines-virtual-class-destructor): never deleted via the base
class MapFields final : public FieldLookup {
 public:
  explicit MapFields(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  std::optional<std::string_view> field(std::string_view name) const override {
    const auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::nullopt;
    return std::string_view(it->second);
  }

 private:
  std::map<std::string, std::string> values_;
};

FieldValue value(std::string_view written) {
  const auto v = parse_field_value(written);
  EXPECT_TRUE(v.has_value()) << written;
  return v.value_or(FieldValue{});
}

TEST(FieldValue, ExactTextAndNumericBounds) {
  EXPECT_EQ(value("503").op, FieldValue::Op::kEquals);
  EXPECT_EQ(value("").op, FieldValue::Op::kEquals);
  EXPECT_EQ(value(">=1000").op, FieldValue::Op::kAtLeast);
  EXPECT_EQ(value(">=1000").bound, 1000);
  EXPECT_EQ(value("> 2.5").op, FieldValue::Op::kAbove);
  EXPECT_EQ(value("> 2.5").bound, 2.5);
  EXPECT_EQ(value("<=1e3").op, FieldValue::Op::kAtMost);
  EXPECT_EQ(value("<-1").op, FieldValue::Op::kBelow);
  EXPECT_EQ(parse_field_value(">=abc"), std::nullopt);
  EXPECT_EQ(parse_field_value(">="), std::nullopt);
  EXPECT_EQ(parse_field_value("<1000ms"), std::nullopt);
  EXPECT_EQ(parse_field_value(">=inf"), std::nullopt);

  EXPECT_TRUE(value("503").accepts("503"));
  EXPECT_FALSE(value("503").accepts("503.0"));
  EXPECT_FALSE(value("503").accepts(" 503"));
  EXPECT_TRUE(value(">=1000").accepts("1000"));
  EXPECT_TRUE(value(">=1000").accepts("1532.5"));
  EXPECT_TRUE(value(">=1000").accepts("1e4"));
  EXPECT_FALSE(value(">=1000").accepts("999.999"));
  EXPECT_FALSE(value(">=1000").accepts("slow"));
  EXPECT_FALSE(value(">=1000").accepts("1500ms"));
  EXPECT_FALSE(value(">=1000").accepts(""));
  EXPECT_FALSE(value(">=1000").accepts("nan"));
  EXPECT_FALSE(value(">1000").accepts("1000"));
  EXPECT_TRUE(value("<=5").accepts("5"));
  EXPECT_FALSE(value("<5").accepts("5"));
  EXPECT_TRUE(value("<5").accepts("-7"));
}

TEST(FieldValue, FieldNames) {
  for (const char* ok : {"/http/status", "/a~1b/c~0d", "/", "/0", "_TRANSPORT", "PRIORITY",
                         "_SYSTEMD_UNIT", "duration"}) {
    EXPECT_TRUE(valid_field_name(ok)) << ok;
  }
  for (const char* bad : {"", "http/status", "/a~2", "/a~", "/a\"b", "transport", "1ABC",
                          "_Transport", "Duration", "duration_ms"}) {
    EXPECT_FALSE(valid_field_name(bad)) << bad;
  }
  EXPECT_TRUE(valid_field_name(ingest::kDurationField));  // the JSON parser's name for it
}

TEST(SelectorFields, PresenceValuesAndTheirCombination) {
  Selector s;
  s.fields["_TRANSPORT"] = {value("syslog"), value("stdout")};
  s.fields["/http/status"] = {value(">=500")};
  s.fields["/user"] = {};  // present, any value
  Event e;
  EXPECT_FALSE(s.admits(e)) << "no fields at all";

  const MapFields all({{"_TRANSPORT", "stdout"}, {"/http/status", "503"}, {"/user", "al"}});
  e.fields = &all;
  EXPECT_TRUE(s.admits(e));
  const MapFields ok_status({{"_TRANSPORT", "stdout"}, {"/http/status", "200"}, {"/user", ""}});
  e.fields = &ok_status;
  EXPECT_FALSE(s.admits(e));
  const MapFields kernel({{"_TRANSPORT", "kernel"}, {"/http/status", "503"}, {"/user", "x"}});
  e.fields = &kernel;
  EXPECT_FALSE(s.admits(e));
  const MapFields no_user({{"_TRANSPORT", "stdout"}, {"/http/status", "503"}});
  e.fields = &no_user;
  EXPECT_FALSE(s.admits(e));

  // The other keys still apply.
  s.programs = {"nginx"};
  e.fields = &all;
  EXPECT_FALSE(s.admits(e));
  e.program = "nginx";
  EXPECT_TRUE(s.admits(e));
}

Rule field_rule() {
  Rule r = rule("r", {"took (?P<duration>\\d+)ms", "(?P<text>\\S.*)"},
                {{"duration", CaptureType::kDuration}});
  r.field_captures = {{"duration", "duration"}, {"target", "/target"}, {"status", "/status"}};
  r.captures.push_back({"status", CaptureType::kInt});
  return r;
}

TEST(FieldCaptures, AddedTypedAndFilledInOnlyWhereTheGroupsLeaveThem) {
  const auto m = compile({field_rule()});
  ASSERT_NE(m, nullptr);
  Event e = event("request done");
  const MapFields fields(
      {{"duration", "1.5"}, {"/target", "governance_app::api"}, {"/status", "+0503"}});
  e.fields = &fields;
  auto found = hits(*m, e);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].captures,
            (std::map<std::string, std::string>{{"text", "request done"},
                                                {"duration", "1.5"},
                                                {"target", "governance_app::api"},
                                                {"status", "503"}}));

  // The pattern's group wins over the field.
  e.message = "slow query took 1532ms";
  found = hits(*m, e);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].captures.at("duration"), "1532");

  // Missing fields and values of the wrong type are left out; the hit stands.
  const MapFields odd({{"duration", "soon"}, {"/status", "ok"}});
  e.message = "request done";
  e.fields = &odd;
  found = hits(*m, e);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].captures, (std::map<std::string, std::string>{{"text", "request done"}}));

  e.fields = nullptr;
  found = hits(*m, e);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].captures.size(), 1u);
}

TEST(FieldCaptures, JsonLinesThroughTheParser) {
  Rule slow = rule("app.json_slow", {"(?P<text>\\S.*)"}, {{"duration", CaptureType::kDuration}});
  slow.select.fields["duration"] = {value(">=1000")};
  slow.field_captures = {{"duration", "duration"}, {"target", "/target"}};
  Rule status = rule("http.5xx", {"\\S"});
  status.select.fields["/http/status"] = {value(">=500")};  // values are alternatives
  const auto m = compile({slow, status});
  ASSERT_NE(m, nullptr);

  ingest::LineParser parser(ingest::Format::kAuto, "app.log", 0);
  Event e;
  ASSERT_TRUE(parser.parse(R"({"ts":1,"fields":{"message":"query","duration_ms":1532},)"
                           R"("target":"governance_app::db","http":{"status":503}})",
                           e));
  auto found = hits(*m, e);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rule, "app.json_slow");
  EXPECT_EQ(found[0].captures,
            (std::map<std::string, std::string>{
                {"text", "query"}, {"duration", "1532"}, {"target", "governance_app::db"}}));
  EXPECT_EQ(found[1].rule, "http.5xx");

  ASSERT_TRUE(
      parser.parse(R"({"ts":1,"msg":"fast","duration_ms":999.5,"http":{"status":404}})", e));
  EXPECT_TRUE(hits(*m, e).empty());
  ASSERT_TRUE(parser.parse("Nov 28 06:25:14 web1 app[1]: took 5000ms status 503", e));
  EXPECT_TRUE(hits(*m, e).empty()) << "a text line has no fields";
}

TEST(FieldCaptures, ExampleRunnerExplainsAFieldRefusal) {
  Rule r = rule("r", {"(?P<text>\\S.*)"});
  r.select.fields["/http/status"] = {value(">=500")};
  Example good;
  good.line = R"({"ts":1,"msg":"x","http":{"status":502}})";
  r.match_examples.push_back(good);
  Example wrong_value;
  wrong_value.line = R"({"ts":1,"msg":"x","http":{"status":200}})";
  r.match_examples.push_back(wrong_value);
  Example missing;
  missing.line = R"({"ts":1,"msg":"x"})";
  r.match_examples.push_back(missing);
  Example text;
  text.line = "Nov 28 06:25:14 web1 app[1]: x";
  r.match_examples.push_back(text);
  const auto m = compile({r});
  ASSERT_NE(m, nullptr);
  const ExampleReport report = run_examples(*m);
  EXPECT_EQ(report.examples_run, 4u);
  ASSERT_EQ(report.failures.size(), 3u) << messages(report.failures);
  EXPECT_NE(report.failures[0].message.find(R"(field /http/status is "200", not one of)"),
            std::string::npos)
      << report.failures[0].message;
  EXPECT_NE(report.failures[1].message.find("the event has no field /http/status"),
            std::string::npos)
      << report.failures[1].message;
  EXPECT_NE(report.failures[2].message.find("no structured fields"), std::string::npos)
      << report.failures[2].message;
}

}  // namespace
}  // namespace vigil::rules::test
