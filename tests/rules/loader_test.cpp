// The loader: packs round-trip with their locations, and every problem becomes a
// Diagnostic at the line and column where it is, naming what to do.

#include "rules/loader.h"

#include <gtest/gtest.h>

#include "tests/rules/rules_test_util.h"
#include "tests/support/temp_dir.h"

namespace vigil::rules::test {
namespace {

using vigil::test::TempDir;

// Loads one pack written from `yaml`; its path is returned through `file`.
LoadResult load_text(const TempDir& dir, const std::string& yaml, std::string* file = nullptr) {
  const std::string path = dir.write("pack.yml", yaml);
  if (file != nullptr) *file = path;
  return load_packs({path});
}

// A complete rule, for tests that break one thing in it.
std::string rule_yaml(const std::string& id, const std::string& extra = "") {
  return "  - id: " + id +
         "\n"
         "    title: A rule\n"
         "    severity: low\n"
         "    patterns: ['hello (?P<who>\\w+)']\n" +
         extra +
         "    examples:\n"
         "      match: ['Nov 28 06:25:14 web1 app[1]: hello you']\n"
         "      no_match: ['Nov 28 06:25:14 web1 app[1]: bye you']\n";
}

std::string pack_yaml(const std::string& rules) {
  return "pack: p\nrules:\n" + rules;
}

// The single error of `result`, with a readable failure when there are others.
Diagnostic only_error(const LoadResult& result) {
  EXPECT_EQ(result.errors.size(), 1u) << messages(result.errors);
  return result.errors.empty() ? Diagnostic{} : result.errors.front();
}

void expect_at(const Diagnostic& d, int line, int col, const std::string& words) {
  EXPECT_EQ(d.line, line) << d.str();
  EXPECT_EQ(d.col, col) << d.str();
  EXPECT_NE(d.message.find(words), std::string::npos) << d.str();
}

TEST(Loader, ValidPackRoundTripsEveryField) {
  const std::string file = fixture("valid/a_sshd.yml");
  const LoadResult result = load_packs({file});
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  EXPECT_TRUE(result.warnings.empty()) << messages(result.warnings);
  ASSERT_EQ(result.rules.rules.size(), 1u);
  const Rule& r = result.rules.rules[0];
  EXPECT_EQ(r.id, "ssh.failed_password");
  EXPECT_EQ(r.title, "Failed password");
  EXPECT_EQ(r.severity, Severity::kMedium);
  EXPECT_EQ(r.pack, "sshd");
  EXPECT_EQ(r.where.file, file);
  EXPECT_EQ(r.where.line, 4);
  EXPECT_EQ(r.where.col, 5);
  EXPECT_EQ(r.select.programs, (std::vector<std::string>{"sshd", "sshd-session"}));
  EXPECT_EQ(r.select.units, (std::vector<std::string>{"ssh.service"}));
  EXPECT_EQ(r.select.sources, (std::vector<std::string>{"auth.log*"}));
  EXPECT_EQ(r.select.priorities, (std::vector<int>{kInfo, kNotice}));
  EXPECT_EQ(r.select.max_priority, kNotice);
  ASSERT_EQ(r.patterns.size(), 2u);
  EXPECT_EQ(
      r.patterns[0].regex,
      R"(^Failed password for (?:invalid user )?(?P<user>.*) from (?P<ip>\S+) port \d+(?: ssh2)?$)");
  EXPECT_EQ(r.patterns[0].where.line, 14);
  EXPECT_EQ(r.patterns[0].where.col, 9);
  EXPECT_EQ(r.patterns[1].where.line, 15);
  ASSERT_EQ(r.captures.size(), 2u);
  EXPECT_EQ(r.capture_type("user"), CaptureType::kUser);
  EXPECT_EQ(r.capture_type("ip"), CaptureType::kIp);
  EXPECT_EQ(r.capture_type("other"), CaptureType::kString);
  EXPECT_EQ(r.tags, (std::vector<std::string>{"auth_failure", "ssh"}));
  ASSERT_EQ(r.match_examples.size(), 1u);
  const Example& m = r.match_examples[0];
  EXPECT_EQ(m.line.substr(0, 15), "Nov 28 06:25:14");
  EXPECT_EQ(m.captures, (std::vector<std::pair<std::string, std::string>>{{"user", "root"},
                                                                          {"ip", "203.0.113.7"}}));
  EXPECT_EQ(m.source, "auth.log");
  EXPECT_EQ(m.unit, "ssh.service");
  EXPECT_EQ(m.where.line, 22);
  EXPECT_EQ(m.where.col, 11);
  ASSERT_EQ(r.no_match_examples.size(), 1u);
  EXPECT_EQ(r.no_match_examples[0].where.line, 27);
  EXPECT_EQ(r.no_match_examples[0].where.col, 11);
}

// The acceptance case: exactly three errors, each where the problem is.
TEST(Loader, BrokenRegexDuplicateIdAndMissingFieldGiveExactlyThreeErrors) {
  const std::string file = fixture("three_errors.yml");
  const LoadResult result = load_packs({file});
  ASSERT_EQ(result.errors.size(), 3u) << messages(result.errors);
  EXPECT_TRUE(result.warnings.empty()) << messages(result.warnings);
  EXPECT_EQ(result.errors[0].str(),
            file +
                ":9:9: pattern does not compile: missing ): Failed (?P<what>password; "
                "fix the regular expression (RE2 syntax)");
  EXPECT_EQ(result.errors[1].str(), file + ":20:9: duplicate rule id 't.fine', first defined at " +
                                        file +
                                        ":13:9; ids are unique across all packs, rename one");
  EXPECT_EQ(result.errors[2].str(), file +
                                        ":27:5: rule 't.untitled' is missing required key "
                                        "'title'; add it, e.g. title: Failed password");
  // Only the rule without an error is kept.
  ASSERT_EQ(result.rules.rules.size(), 1u);
  EXPECT_EQ(result.rules.rules[0].title, "Fine");
}

TEST(Loader, YamlSyntaxErrorAtItsPosition) {
  TempDir dir;
  std::string file;
  const LoadResult result = load_text(dir, "pack: p\nrules:\n  - id: [a\n", &file);
  const Diagnostic d = only_error(result);
  EXPECT_EQ(d.file, file);
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.col, 1);
  EXPECT_NE(d.message.find("YAML syntax error: end of sequence flow not found"), std::string::npos)
      << d.str();
}

TEST(Loader, TabIndentationIsASyntaxError) {
  TempDir dir;
  const Diagnostic d = only_error(load_text(dir, "pack: p\n\trules: []\n"));
  expect_at(d, 2, 1, "YAML syntax error");
}

TEST(Loader, OneDocumentPerPack) {
  TempDir dir;
  const std::string yaml = pack_yaml(rule_yaml("a.one")) + "---\n" + pack_yaml(rule_yaml("b.one"));
  const LoadResult result = load_text(dir, yaml);
  expect_at(only_error(result), 11, 1, "a pack file holds one YAML document");
  ASSERT_EQ(result.rules.rules.size(), 1u);
  EXPECT_EQ(result.rules.rules[0].id, "a.one");
}

TEST(Loader, DocumentMarkersAroundTheOnlyDocumentAreFine) {
  TempDir dir;
  for (const std::string& yaml :
       {"# a comment\n---\n" + pack_yaml(rule_yaml("a.one")) + "...\n",
        "--- # start\n" + pack_yaml(rule_yaml("a.one")) + "... \n# trailing\n"}) {
    const LoadResult result = load_text(dir, yaml);
    EXPECT_TRUE(result.errors.empty()) << yaml;
    EXPECT_EQ(result.rules.rules.size(), 1u) << yaml;
  }
}

TEST(Loader, SecondDocumentAfterAnEndMarkerIsFound) {
  TempDir dir;
  const std::string yaml =
      pack_yaml(rule_yaml("a.one")) + "...\n--- \n" + pack_yaml(rule_yaml("b.one"));
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("a pack file holds one YAML document"), std::string::npos)
      << result.errors[0].str();
}

// yaml-cpp 0.7's LoadAll never returns on these (found by fuzzing the shipped
// packs; the second is from Falco's report of the same bug).
TEST(Loader, MalformedYamlThatLoopsLoadAllIsJustAnError) {
  TempDir dir;
  const LoadResult a = load_text(dir,
                                 "    \"reset by %s\", \"Unable to negotiate with %s: %s.\n"
                                 "#    Their offer: %s\"\n");
  EXPECT_FALSE(a.ok());
  const LoadResult b = load_text(dir, "\n,\n    ");
  EXPECT_FALSE(b.ok());
}

TEST(Loader, UnknownKeySuggestsTheNearestKnownOne) {
  TempDir dir;
  const std::string yaml = pack_yaml(rule_yaml("a.one", "    patern: ['x']\n"));
  const Diagnostic d = only_error(load_text(dir, yaml));
  expect_at(d, 7, 5, "unknown key 'patern' in a rule; did you mean 'patterns'?");
}

TEST(Loader, UnknownKeyFarFromAnyListsTheKnownOnes) {
  TempDir dir;
  const Diagnostic d = only_error(load_text(dir, "pack: p\nrules: []\ncolour: red\n"));
  expect_at(d, 3, 1, "unknown key 'colour' in the pack; expected one of: pack, rules");
}

TEST(Loader, UnknownKeysInSelectAndExamples) {
  TempDir dir;
  const std::string yaml =
      pack_yaml(rule_yaml("a.one", "    select: {programs: [sshd]}\n")) +
      "  - id: a.two\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "    examples:\n      match: [{line: 'Nov 28 06:25:14 web1 app[1]: x', capture: {a: b}}]\n";
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 2u) << messages(result.errors);
  expect_at(result.errors[0], 7, 14, "unknown key 'programs' in 'select'; did you mean 'program'?");
  expect_at(result.errors[1], 16, 56, "did you mean 'captures'?");
}

TEST(Loader, RepeatedKeyIsAnError) {
  TempDir dir;
  const std::string yaml = pack_yaml(rule_yaml("a.one", "    title: Again\n"));
  expect_at(only_error(load_text(dir, yaml)), 7, 5,
            "key 'title' repeated in a rule (first at line 4)");
}

TEST(Loader, MissingRequiredFieldsAreReportedAtTheRuleEntry) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - title: No id\n    severity: low\n    patterns: ['x']\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x'], no_match: ['a b']}\n"
      "  - id: no.severity\n    title: t\n    patterns: ['x']\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x'], no_match: ['a b']}\n"
      "  - id: no.patterns\n    title: t\n    severity: low\n"
      "    examples: {match: [{line: 'x', captures: {who: me}}], no_match: ['a b']}\n");
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 3u) << messages(result.errors);
  expect_at(result.errors[0], 3, 5, "the rule is missing required key 'id'");
  expect_at(result.errors[1], 7, 5, "rule 'no.severity' is missing required key 'severity'");
  // No pattern means no groups to check the expected capture against: no second error.
  expect_at(result.errors[2], 11, 5, "rule 'no.patterns' is missing required key 'patterns'");
  EXPECT_TRUE(result.rules.rules.empty());
}

TEST(Loader, MissingPackKeys) {
  TempDir dir;
  const LoadResult result = load_text(dir, "rules: []\n");
  expect_at(only_error(result), 1, 1, "the pack is missing required key 'pack'");
  const LoadResult no_rules = load_text(dir, "pack: p\n");
  expect_at(only_error(no_rules), 1, 1, "the pack is missing required key 'rules'");
}

TEST(Loader, WrongTypesSayWhatIsExpected) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: [not, a, string]\n    severity: low\n    patterns: 'x'\n"
      "    select: [sshd]\n    tags: {a: b}\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x']}\n");
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 4u) << messages(result.errors);
  expect_at(result.errors[0], 4, 12, "'title' must be a single value");
  expect_at(result.errors[1], 6, 15, "'patterns' must be a list of values");
  expect_at(result.errors[2], 7, 13, "'select' must be a mapping");
  expect_at(result.errors[3], 8, 11, "'tags' must be a list of values");
}

TEST(Loader, RulesMustBeAList) {
  TempDir dir;
  expect_at(only_error(load_text(dir, "pack: p\nrules: {a: b}\n")), 2, 8,
            "'rules' must be a list of rules");
  expect_at(only_error(load_text(dir, "pack: p\nrules: [just text]\n")), 2, 9,
            "each rule must be a mapping starting with '- id:'");
}

TEST(Loader, EmptyFileAndNonMappingFile) {
  TempDir dir;
  const Diagnostic empty = only_error(load_text(dir, ""));
  EXPECT_EQ(empty.line, 0);
  EXPECT_NE(empty.message.find("a rule pack must be a mapping with 'pack:' and 'rules:'"),
            std::string::npos);
  expect_at(only_error(load_text(dir, "- a\n- b\n")), 1, 1, "the file holds a list");
}

TEST(Loader, BadNamesListTheValidOnes) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: hgh\n    patterns: ['(?P<ip>\\S+)']\n"
      "    select: {priority: [error], max_priority: warn}\n"
      "    captures: {ip: ipv4}\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x'], no_match: ['a b']}\n");
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 4u) << messages(result.errors);
  expect_at(result.errors[0], 5, 15,
            "unknown severity 'hgh'; use one of: info, low, medium, high, critical");
  expect_at(result.errors[1], 7, 25,
            "unknown priority 'error'; use one of: emerg, alert, crit, err, warning, notice, "
            "info, debug");
  expect_at(result.errors[2], 7, 47, "unknown priority 'warn'");
  expect_at(result.errors[3], 8, 20,
            "unknown capture type 'ipv4' for 'ip'; use one of: string, ip, user, int, duration");
}

TEST(Loader, BadIdSyntax) {
  TempDir dir;
  const LoadResult result = load_text(dir, pack_yaml(rule_yaml("SSH Failed")));
  expect_at(only_error(result), 3, 9,
            "rule id 'SSH Failed' is not valid; use only a-z, 0-9, '_', '.' and '-'");
}

TEST(Loader, DuplicateIdAcrossPacksNamesTheFirst) {
  TempDir dir;
  const std::string first = dir.write("a.yml", pack_yaml(rule_yaml("dup.id")));
  const std::string second = dir.write("b.yml", pack_yaml(rule_yaml("x.ok") + rule_yaml("dup.id")));
  const LoadResult result = load_packs({first, second});
  const Diagnostic d = only_error(result);
  EXPECT_EQ(d.file, second);
  expect_at(d, 10, 9, "duplicate rule id 'dup.id', first defined at " + first + ":3:9");
  EXPECT_EQ(result.rules.rules.size(), 2u);  // the first dup.id and x.ok
}

TEST(Loader, PatternRe2RejectsCarriesRe2sMessage) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: low\n"
      "    patterns:\n      - 'ok'\n      - 'a(?<=b)'\n      - 'x{1001}'\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: ok'], no_match: ['a b']}\n");
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 2u) << messages(result.errors);
  expect_at(result.errors[0], 8, 9, "pattern does not compile: invalid perl operator: (?<");
  expect_at(result.errors[1], 9, 9, "pattern does not compile: invalid repetition size: {1001}");
}

TEST(Loader, CaptureTypeForAMissingGroup) {
  TempDir dir;
  const std::string yaml = pack_yaml(rule_yaml("a.one", "    captures: {who: user, ipaddr: ip}\n"));
  expect_at(only_error(load_text(dir, yaml)), 7, 27,
            "capture 'ipaddr' has a type, but no pattern has a group (?P<ipaddr>...) "
            "(its groups: who); fix the name");
}

TEST(Loader, EveryRuleNeedsAMatchExample) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: no.examples\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "  - id: only.no_match\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "    examples: {no_match: ['Nov 28 06:25:14 web1 app[1]: y']}\n");
  const LoadResult result = load_text(dir, yaml);
  ASSERT_EQ(result.errors.size(), 2u) << messages(result.errors);
  expect_at(result.errors[0], 3, 5,
            "rule 'no.examples' has no match example; every rule needs one");
  expect_at(result.errors[1], 7, 5, "rule 'only.no_match' has no match example");
}

TEST(Loader, ExpectedCaptureMustNameAGroup) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: low\n    patterns: ['hello (?P<who>\\w+)']\n"
      "    examples:\n      match:\n"
      "        - line: 'Nov 28 06:25:14 web1 app[1]: hello you'\n"
      "          captures: {who: you, whom: you}\n"
      "      no_match: ['Nov 28 06:25:14 web1 app[1]: bye']\n");
  expect_at(only_error(load_text(dir, yaml)), 10, 32,
            "expected capture 'whom' is not a group of rule 'a.one' (its groups: who)");
}

TEST(Loader, NoMatchExamplesCannotExpectCaptures) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "    examples:\n      match: ['Nov 28 06:25:14 web1 app[1]: x']\n"
      "      no_match: [{line: 'y', captures: {a: b}}]\n");
  expect_at(only_error(load_text(dir, yaml)), 9, 30,
            "unknown key 'captures' in a no_match example");
}

TEST(Loader, RuleWithoutNoMatchExampleIsAWarning) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x']}\n");
  const LoadResult result = load_text(dir, yaml);
  EXPECT_TRUE(result.ok()) << messages(result.errors);
  ASSERT_EQ(result.warnings.size(), 1u);
  expect_at(result.warnings[0], 3, 5, "rule 'a.one' has no no_match example");
  EXPECT_EQ(result.rules.rules.size(), 1u);
}

TEST(Loader, LintWaitsUntilThereAreNoErrors) {
  TempDir dir;
  const std::string yaml = pack_yaml(
      "  - id: a.one\n    title: t\n    severity: low\n    patterns: ['x']\n"
      "    examples: {match: ['Nov 28 06:25:14 web1 app[1]: x']}\n" +
      rule_yaml("a.two", "    severity: high\n"));
  const LoadResult result = load_text(dir, yaml);
  EXPECT_EQ(result.errors.size(), 1u) << messages(result.errors);
  EXPECT_TRUE(result.warnings.empty()) << messages(result.warnings);
}

TEST(Loader, CollectsErrorsOfEveryRuleAndPack) {
  TempDir dir;
  const std::string a = dir.write("a.yml", pack_yaml(rule_yaml("a.one", "    severity2: x\n") +
                                                     rule_yaml("a.two", "    tags: x\n")));
  const std::string b = dir.write("b.yml", "pack: [\n");
  const LoadResult result = load_packs({a, b});
  ASSERT_EQ(result.errors.size(), 3u) << messages(result.errors);
  EXPECT_EQ(result.errors[0].file, a);
  EXPECT_EQ(result.errors[1].file, a);
  EXPECT_EQ(result.errors[2].file, b);
}

TEST(Loader, DirectoryLoadsYmlAndYamlInNameOrder) {
  const LoadResult result = load_packs({fixture("valid")});
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  ASSERT_EQ(result.rules.rules.size(), 2u);
  EXPECT_EQ(result.rules.rules[0].id, "ssh.failed_password");  // a_sshd.yml
  EXPECT_EQ(result.rules.rules[1].id, "app.slow_query");       // b_app.yaml
  EXPECT_EQ(result.rules.rules[1].where.file, fixture("valid") + "/b_app.yaml");
}

TEST(Loader, DirectoryOrderDecidesWhichDuplicateIsFirst) {
  TempDir dir;
  dir.write("20-second.yml", pack_yaml(rule_yaml("same.id")));
  dir.write("10-first.yml", pack_yaml(rule_yaml("same.id")));
  const Diagnostic d = only_error(load_packs({dir.path().string()}));
  EXPECT_EQ(d.file, dir.file("20-second.yml"));
  EXPECT_NE(d.message.find(dir.file("10-first.yml") + ":3:9"), std::string::npos) << d.str();
}

TEST(Loader, EmptyDirectoryIsAWarningAndMissingPathAnError) {
  TempDir dir;
  const LoadResult empty = load_packs({dir.path().string()});
  EXPECT_TRUE(empty.ok());
  ASSERT_EQ(empty.warnings.size(), 1u);
  EXPECT_NE(empty.warnings[0].message.find("no *.yml or *.yaml rule packs"), std::string::npos);

  const std::string missing = dir.file("nope.yml");
  const Diagnostic d = only_error(load_packs({missing}));
  EXPECT_EQ(d.str(),
            missing + ": cannot read rule packs: No such file or directory; check the path");
}

}  // namespace
}  // namespace vigil::rules::test
