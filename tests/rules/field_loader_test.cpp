// The loader reads select.fields and field_captures, and reports every bad entry at
// its line and column.

#include <gtest/gtest.h>

#include "rules/examples.h"
#include "rules/loader.h"
#include "tests/rules/rules_test_util.h"
#include "tests/support/temp_dir.h"

namespace vigil::rules::test {
namespace {

using vigil::test::TempDir;

// A pack of one rule; `select` and `extra` are inserted as written (4-space indent).
std::string pack(
    const std::string& select, const std::string& extra = "",
    const std::string& match = R"('{"ts":1,"msg":"hello you","http":{"status":503}}')") {
  return "pack: p\n"
         "rules:\n"
         "  - id: a.one\n"
         "    title: A rule\n"
         "    severity: low\n" +
         select + "    patterns: ['hello (?P<who>\\w+)']\n" + extra +
         "    examples:\n"
         "      match: [" +
         match +
         "]\n"
         "      no_match: ['Nov 28 06:25:14 web1 app[1]: hello you']\n";
}

LoadResult load(const TempDir& dir, const std::string& yaml) {
  return load_packs({dir.write("pack.yml", yaml)});
}

void expect_only_error(const LoadResult& result, int line, int col, const std::string& words) {
  ASSERT_EQ(result.errors.size(), 1u) << messages(result.errors);
  const Diagnostic& d = result.errors.front();
  EXPECT_EQ(d.line, line) << d.str();
  EXPECT_EQ(d.col, col) << d.str();
  EXPECT_NE(d.message.find(words), std::string::npos) << d.str();
}

TEST(FieldLoader, FieldsAndFieldCapturesRoundTrip) {
  TempDir dir;
  const LoadResult result = load(
      dir, pack("    select:\n"
                "      fields:\n"
                "        /http/status: ['>=500', '<600']\n"
                "        _TRANSPORT: [stdout, syslog]\n"
                "        duration: []\n",
                "    captures: {status: int}\n"
                "    field_captures: {status: /http/status, took: duration}\n",
                R"({line: '{"ts":1,"msg":"hello you","http":{"status":503},"duration_ms":7}', )"
                R"(captures: {who: you, status: '503', took: '7'}})"));
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  ASSERT_EQ(result.rules.rules.size(), 1u);
  const Rule& r = result.rules.rules[0];
  ASSERT_EQ(r.select.fields.size(), 3u);
  const auto& status = r.select.fields.at("/http/status");
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status[0].op, FieldValue::Op::kAtLeast);
  EXPECT_EQ(status[0].bound, 500);
  EXPECT_EQ(status[1].op, FieldValue::Op::kBelow);
  EXPECT_EQ(r.select.fields.at("_TRANSPORT").size(), 2u);
  EXPECT_EQ(r.select.fields.at("_TRANSPORT")[1].text, "syslog");
  EXPECT_TRUE(r.select.fields.at("duration").empty());
  ASSERT_EQ(r.field_captures.size(), 2u);
  EXPECT_EQ(r.field_captures[0].name, "status");
  EXPECT_EQ(r.field_captures[0].field, "/http/status");
  EXPECT_EQ(r.field_captures[1].field, "duration");
  EXPECT_EQ(r.capture_type("status"), CaptureType::kInt);
}

TEST(FieldLoader, JsonExampleRefusedByAJournaldFieldSaysWhy) {
  TempDir dir;
  const LoadResult result = load(dir, pack("    select: {fields: {_TRANSPORT: [stdout]}}\n", "",
                                           R"('{"ts":1,"msg":"hello you"}')"));
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  const auto m = compile(result.rules.rules);
  ASSERT_NE(m, nullptr);
  // A JSON line has no journald fields: the example fails, saying why.
  const ExampleReport report = run_examples(*m);
  ASSERT_EQ(report.failures.size(), 1u) << messages(report.failures);
  EXPECT_NE(report.failures[0].message.find("has no field _TRANSPORT"), std::string::npos)
      << report.failures[0].message;
  EXPECT_EQ(report.failures[0].line, 9);  // the match example
}

TEST(FieldLoader, FieldsMustBeAMapping) {
  TempDir dir;
  expect_only_error(load(dir, pack("    select: {fields: [/http/status]}\n")), 6, 22,
                    "'fields' must map field names to lists of accepted values");
}

TEST(FieldLoader, BadFieldNameAtItsKey) {
  TempDir dir;
  expect_only_error(load(dir, pack("    select:\n      fields:\n        http/status: ['500']\n")),
                    8, 9,
                    "'http/status' is not a field name; use a JSON pointer like /http/status");
}

TEST(FieldLoader, ValuesMustBeAList) {
  TempDir dir;
  expect_only_error(load(dir, pack("    select:\n      fields:\n        /http/status: 500\n")), 8,
                    23, "'/http/status' must be a list of values");
  expect_only_error(load(dir, pack("    select:\n      fields:\n        /http/status:\n")), 8, 9,
                    "or [] for any value");
}

TEST(FieldLoader, BadBoundAtItsValue) {
  TempDir dir;
  expect_only_error(
      load(dir, pack("    select:\n      fields:\n        /http/status: ['503', '>=5xx']\n")), 8,
      31, "'>=5xx' compares with no number; write a bound as e.g. '>=1000'");
}

TEST(FieldLoader, UnknownSelectKeySuggestsFields) {
  TempDir dir;
  expect_only_error(load(dir, pack("    select: {field: {/a: []}}\n")), 6, 14,
                    "unknown key 'field' in 'select'; did you mean 'fields'?");
}

TEST(FieldLoader, FieldCaptureNamesAndFields) {
  TempDir dir;
  expect_only_error(load(dir, pack("", "    field_captures: {1st: /a}\n")), 7, 22,
                    "capture name '1st' is not valid");
  expect_only_error(load(dir, pack("", "    field_captures: {took: duration_ms}\n")), 7, 28,
                    "'duration_ms' is not a field name");
  expect_only_error(load(dir, pack("", "    field_captures: [took]\n")), 7, 21,
                    "'field_captures' must map names to values");
  expect_only_error(load(dir, pack("", "    field_captures: {took: /a, took: /b}\n")), 7, 32,
                    "'took' repeated in 'field_captures'");
}

TEST(FieldLoader, ExpectedAndTypedCapturesMayNameFieldCaptures) {
  TempDir dir;
  // `took` is neither a group nor a field capture: both checks say so.
  const LoadResult result =
      load(dir, pack("", "    captures: {took: duration}\n",
                     R"({line: '{"ts":1,"msg":"hello you"}', captures: {took: '1'}})"));
  ASSERT_EQ(result.errors.size(), 2u) << messages(result.errors);
  EXPECT_NE(result.errors[0].message.find("capture 'took' has a type"), std::string::npos);
  EXPECT_NE(result.errors[1].message.find("expected capture 'took' is not a group"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::rules::test
