// Thresholds in packs: they load with their locations and resolved rules, and
// every problem is a Diagnostic at the line and column where it is.

#include <gtest/gtest.h>

#include "rules/loader.h"
#include "tests/rules/rules_test_util.h"
#include "tests/support/temp_dir.h"

namespace vigil::rules::test {
namespace {

using vigil::test::TempDir;

constexpr int64_t kMinuteUs = int64_t{60} * 1000000;

// Lines 1-6: four rules. r.fail and r.note carry the tag `failure`, r.fail also
// `guess`; r.note has no ip or user. r.tries has an int capture `attempts` and a string capture
// `tty`.
std::string rules_yaml() {
  const std::string ex =
      "examples: {match: ['Nov 28 06:25:14 web1 app[1]: x'], no_match: ['Nov 28 06:25:14 web1 "
      "app[1]: y']}";
  return "pack: p\n"
         "rules:\n"
         "  - {id: r.fail, title: F, severity: low, patterns: ['^fail (?P<user>\\S+) from "
         "(?P<ip>\\S+)$'], captures: {ip: ip, user: user}, tags: [failure, guess], " +
         ex +
         "}\n"
         "  - {id: r.ok, title: O, severity: low, patterns: ['^ok (?P<user>\\S+) from "
         "(?P<ip>\\S+)$'], captures: {ip: ip, user: user}, tags: [success], " +
         ex +
         "}\n"
         "  - {id: r.tries, title: T, severity: low, patterns: ['^(?P<user>\\S+) tried "
         "(?P<attempts>\\d+) on (?P<tty>\\S+)$'], captures: {attempts: int}, " +
         ex +
         "}\n"
         "  - {id: r.note, title: N, severity: low, patterns: ['^note (?P<text>.+)$'], tags: "
         "[failure, note], " +
         ex + "}\n";
}

// The rules, then `thresholds` from line 8 on.
LoadResult load_thresholds(const TempDir& dir, const std::string& thresholds) {
  return load_packs({dir.write("pack.yml", rules_yaml() + "thresholds:\n" + thresholds)});
}

Diagnostic only_error(const LoadResult& result) {
  EXPECT_EQ(result.errors.size(), 1u) << messages(result.errors);
  return result.errors.empty() ? Diagnostic{} : result.errors.front();
}

void expect_at(const Diagnostic& d, int line, int col, const std::string& words) {
  EXPECT_EQ(d.line, line) << d.str();
  EXPECT_EQ(d.col, col) << d.str();
  EXPECT_NE(d.message.find(words), std::string::npos) << d.str();
}

constexpr const char* kValid =
    "  - id: t.count\n"                           // 8
    "    title: Count\n"                          // 9
    "    severity: high\n"                        // 10
    "    of: {tags: [guess]}\n"                   // 11
    "    count: 5\n"                              // 12
    "    group_by: [ip]\n"                        // 13
    "    within: 10m\n"                           // 14
    "    suppress: 1h\n"                          // 15
    "  - id: t.distinct\n"                        // 16
    "    title: Distinct\n"                       // 17
    "    severity: medium\n"                      // 18
    "    of: {rules: [r.fail]}\n"                 // 19
    "    distinct: user\n"                        // 20
    "    count: 10\n"                             // 21
    "    group_by: [ip]\n"                        // 22
    "    within: 1h\n"                            // 23
    "  - id: t.weight\n"                          // 24
    "    title: Weight\n"                         // 25
    "    severity: low\n"                         // 26
    "    of: {rules: [r.tries]}\n"                // 27
    "    weight: attempts\n"                      // 28
    "    count: 3\n"                              // 29
    "    group_by: [user]\n"                      // 30
    "    within: 5m\n"                            // 31
    "    suppress: 0\n"                           // 32
    "  - id: t.once\n"                            // 33
    "    title: Once\n"                           // 34
    "    severity: critical\n"                    // 35
    "    of: {rules: [r.ok, r.fail]}\n"           // 36
    "  - id: t.sequence\n"                        // 37
    "    title: Sequence\n"                       // 38
    "    severity: critical\n"                    // 39
    "    sequence:\n"                             // 40
    "      first: {rules: [r.fail], count: 3}\n"  // 41
    "      then: {tags: [success]}\n"             // 42
    "    group_by: [ip, user]\n"                  // 43
    "    within: 1d\n";                           // 44

TEST(ThresholdLoader, ValidThresholdsRoundTrip) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir, kValid);
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  ASSERT_EQ(result.rules.thresholds.size(), 5u);

  const Threshold& count = result.rules.thresholds[0];
  EXPECT_EQ(count.id, "t.count");
  EXPECT_EQ(count.title, "Count");
  EXPECT_EQ(count.severity, Severity::kHigh);
  EXPECT_EQ(count.kind, Threshold::Kind::kCount);
  EXPECT_EQ(count.hits.tags, (std::vector<std::string>{"guess"}));
  EXPECT_EQ(count.group_by, (std::vector<std::string>{"ip"}));
  EXPECT_EQ(count.count, 5u);
  EXPECT_EQ(count.within_us, 10 * kMinuteUs);
  EXPECT_EQ(count.suppress_us, 60 * kMinuteUs);
  EXPECT_EQ(count.pack, "p");
  EXPECT_EQ(count.where.line, 8);
  EXPECT_EQ(count.where.col, 5);
  EXPECT_EQ(count.rule_indexes, (std::vector<size_t>{0}));  // the rule tagged `guess`

  const Threshold& distinct = result.rules.thresholds[1];
  EXPECT_EQ(distinct.kind, Threshold::Kind::kDistinct);
  EXPECT_EQ(distinct.distinct, "user");
  EXPECT_EQ(distinct.count, 10u);
  EXPECT_EQ(distinct.rule_indexes, (std::vector<size_t>{0}));
  EXPECT_EQ(distinct.suppress_us, 60 * kMinuteUs);  // defaults to within

  const Threshold& weight = result.rules.thresholds[2];
  EXPECT_EQ(weight.weight, "attempts");
  EXPECT_EQ(weight.suppress_us, 0);  // "suppress: 0" is allowed
  EXPECT_EQ(weight.rule_indexes, (std::vector<size_t>{2}));

  const Threshold& once = result.rules.thresholds[3];
  EXPECT_EQ(once.count, 1u);
  EXPECT_EQ(once.within_us, 0);
  EXPECT_EQ(once.suppress_us, 60 * kMinuteUs);  // no window: an hour
  EXPECT_TRUE(once.group_by.empty());
  EXPECT_EQ(once.rule_indexes, (std::vector<size_t>{0, 1}));  // sorted

  const Threshold& sequence = result.rules.thresholds[4];
  EXPECT_EQ(sequence.kind, Threshold::Kind::kSequence);
  EXPECT_EQ(sequence.count, 3u);
  EXPECT_EQ(sequence.rule_indexes, (std::vector<size_t>{0}));
  EXPECT_EQ(sequence.then_rule_indexes, (std::vector<size_t>{1}));
  EXPECT_EQ(sequence.group_by, (std::vector<std::string>{"ip", "user"}));
  EXPECT_EQ(sequence.within_us, kMinuteUs * 60 * 24);
}

TEST(ThresholdLoader, TagWhoseRuleLacksTheKeyIsAnErrorAtTheName) {
  // r.note carries `failure` but captures no ip: its hits could never count.
  // (r.fail, which carries it too, has an ip.)
  TempDir dir;
  const LoadResult bad = load_thresholds(dir,
                                         "  - id: t.notes\n"
                                         "    title: N\n"
                                         "    severity: low\n"
                                         "    of: {tags: [failure]}\n"
                                         "    count: 2\n"
                                         "    group_by: [ip]\n"
                                         "    within: 1m\n");
  expect_at(only_error(bad), 13, 16,
            "group_by 'ip' is not a capture of rule 'r.note' (its captures: text), so its hits "
            "could never count");
  EXPECT_TRUE(bad.rules.thresholds.empty());
  EXPECT_EQ(bad.rules.rules.size(), 4u);  // the rules stand
}

TEST(ThresholdLoader, PackOfThresholdsAloneIsValid) {
  TempDir dir;
  dir.write("a_rules.yml", rules_yaml());
  dir.write("b_thresholds.yml",
            "pack: alerts\n"
            "thresholds:\n"
            "  - id: t.once\n"
            "    title: Once\n"
            "    severity: high\n"
            "    of: {rules: [r.ok]}\n"
            "    group_by: [user]\n");
  const LoadResult result = load_packs({dir.path().string()});
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  ASSERT_EQ(result.rules.thresholds.size(), 1u);
  EXPECT_EQ(result.rules.thresholds[0].pack, "alerts");
  EXPECT_EQ(result.rules.thresholds[0].rule_indexes, (std::vector<size_t>{1}));
}

TEST(ThresholdLoader, PackOfNeitherRulesNorThresholds) {
  TempDir dir;
  const LoadResult result = load_packs({dir.write("p.yml", "pack: p\n")});
  expect_at(only_error(result), 1, 1, "the pack is missing required key 'rules'");
  EXPECT_NE(result.errors[0].message.find("(or thresholds:)"), std::string::npos);
}

TEST(ThresholdLoader, ThresholdsMustBeAListOfMappings) {
  TempDir dir;
  expect_at(only_error(load_thresholds(dir, "  {a: b}\n")), 8, 3,
            "'thresholds' must be a list of thresholds");
  expect_at(only_error(load_thresholds(dir, "  - just text\n")), 8, 5,
            "each threshold must be a mapping starting with '- id:'");
}

TEST(ThresholdLoader, UnknownKeySuggestsTheNearestOne) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir,
                                            "  - id: t.one\n"
                                            "    title: One\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.ok], tag: [x]}\n"
                                            "    cuont: 2\n");
  ASSERT_EQ(result.errors.size(), 2u) << messages(result.errors);
  expect_at(result.errors[0], 11, 25, "unknown key 'tag' in 'of'; did you mean 'tags'?");
  expect_at(result.errors[1], 12, 5, "unknown key 'cuont' in a threshold; did you mean 'count'?");
  EXPECT_TRUE(result.rules.thresholds.empty());
}

TEST(ThresholdLoader, MissingKeysAreReportedAtTheEntry) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir,
                                            "  - id: t.one\n"
                                            "    count: 2\n"
                                            "  - title: No id\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.ok]}\n"
                                            "  - id: t.distinct\n"
                                            "    title: D\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.ok]}\n"
                                            "    distinct: user\n"
                                            "    within: 1h\n");
  ASSERT_EQ(result.errors.size(), 6u) << messages(result.errors);
  expect_at(result.errors[0], 8, 5, "threshold 't.one' is missing required key 'title'");
  expect_at(result.errors[1], 8, 5, "threshold 't.one' is missing required key 'severity'");
  expect_at(result.errors[2], 8, 5, "threshold 't.one' is missing required key 'of'");
  expect_at(result.errors[3], 8, 5, "threshold 't.one' is missing required key 'within'");
  expect_at(result.errors[4], 10, 5, "the threshold is missing required key 'id'");
  expect_at(result.errors[5], 13, 5, "threshold 't.distinct' is missing required key 'count'");
}

TEST(ThresholdLoader, IdsAreUniqueAcrossRulesAndThresholdsOfAllPacks) {
  TempDir dir;
  const std::string path = dir.write("a.yml", rules_yaml() +
                                                  "thresholds:\n"
                                                  "  - id: r.ok\n"
                                                  "    title: Clash\n"
                                                  "    severity: low\n"
                                                  "    of: {rules: [r.ok]}\n"
                                                  "  - id: t.twice\n"
                                                  "    title: First\n"
                                                  "    severity: low\n"
                                                  "    of: {rules: [r.ok]}\n"
                                                  "  - id: Bad_Id\n"
                                                  "    title: Bad\n"
                                                  "    severity: low\n"
                                                  "    of: {rules: [r.ok]}\n");
  const std::string second = dir.write("b.yml",
                                       "pack: b\n"
                                       "thresholds:\n"
                                       "  - id: t.twice\n"
                                       "    title: Again\n"
                                       "    severity: low\n"
                                       "    of: {rules: [r.ok]}\n");
  const LoadResult result = load_packs({dir.path().string()});
  ASSERT_EQ(result.errors.size(), 3u) << messages(result.errors);
  expect_at(result.errors[0], 8, 9,
            "threshold id 'r.ok' is the id of the rule at " + path + ":4:10");
  expect_at(result.errors[1], 16, 9, "threshold id 'Bad_Id' is not valid");
  EXPECT_EQ(result.errors[2].file, second);
  expect_at(result.errors[2], 3, 9,
            "duplicate threshold id 't.twice', first defined at " + path + ":12:9");
  ASSERT_EQ(result.rules.thresholds.size(), 1u);
  EXPECT_EQ(result.rules.thresholds[0].title, "First");
}

TEST(ThresholdLoader, UnknownRulesAndTagsAreErrorsAtTheirNames) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir,
                                            "  - id: t.one\n"
                                            "    title: One\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.ok, r.missing], tags: [nope]}\n"
                                            "  - id: t.two\n"
                                            "    title: Two\n"
                                            "    severity: low\n"
                                            "    of: {rules: ['Not An Id']}\n"
                                            "  - id: t.three\n"
                                            "    title: Three\n"
                                            "    severity: low\n"
                                            "    of: {}\n");
  ASSERT_EQ(result.errors.size(), 4u) << messages(result.errors);
  expect_at(result.errors[0], 11, 24, "no rule has id 'r.missing'");
  expect_at(result.errors[1], 11, 43, "no rule carries tag 'nope'");
  expect_at(result.errors[2], 15, 18, "'Not An Id' is not a rule id");
  expect_at(result.errors[3], 19, 9, "'of' names no rule and no tag");
  EXPECT_TRUE(result.rules.thresholds.empty());
}

TEST(ThresholdLoader, KeyCapturesMustComeFromEveryRule) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir,
                                            "  - id: t.one\n"
                                            "    title: One\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.fail, r.tries]}\n"
                                            "    distinct: ip\n"
                                            "    count: 3\n"
                                            "    group_by: [user, host]\n"
                                            "    within: 1m\n");
  ASSERT_EQ(result.errors.size(), 3u) << messages(result.errors);
  expect_at(result.errors[0], 12, 15, "distinct 'ip' is not a capture of rule 'r.tries'");
  expect_at(result.errors[1], 14, 22, "group_by 'host' is not a capture of rule 'r.fail'");
  expect_at(result.errors[2], 14, 22, "group_by 'host' is not a capture of rule 'r.tries'");
  EXPECT_NE(result.errors[2].message.find("(its captures: attempts, tty, user)"),
            std::string::npos);
}

TEST(ThresholdLoader, WeightMustBeAnIntCaptureOfACountedThreshold) {
  TempDir dir;
  const LoadResult result = load_thresholds(dir,
                                            "  - id: t.one\n"
                                            "    title: One\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.tries]}\n"
                                            "    weight: tty\n"
                                            "    count: 3\n"
                                            "    within: 1m\n"
                                            "  - id: t.two\n"
                                            "    title: Two\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.tries]}\n"
                                            "    distinct: tty\n"
                                            "    weight: attempts\n"
                                            "    count: 3\n"
                                            "    group_by: [tty]\n"
                                            "    within: 1m\n"
                                            "  - id: t.three\n"
                                            "    title: Three\n"
                                            "    severity: low\n"
                                            "    of: {rules: [r.tries]}\n"
                                            "    weight: 3\n");
  ASSERT_EQ(result.errors.size(), 4u) << messages(result.errors);
  expect_at(result.errors[0], 12, 13,
            "weight 'tty' is a string capture of rule 'r.tries'; a weight must be a number");
  expect_at(result.errors[1], 19, 15, "'tty' is also in group_by");
  expect_at(result.errors[2], 20, 5, "'weight' applies to counted hits, not to distinct values");
  expect_at(result.errors[3], 28, 13, "'weight' must name a capture");
  EXPECT_TRUE(result.rules.thresholds.empty());
}

TEST(ThresholdLoader, CountsAndDurationsAreChecked) {
  TempDir dir;
  const auto one = [&](const std::string& count, const std::string& within,
                       const std::string& extra = "") {
    return load_thresholds(dir,
                           "  - id: t.one\n"
                           "    title: One\n"
                           "    severity: low\n"
                           "    of: {rules: [r.ok]}\n"
                           "    count: " +
                               count + "\n    within: " + within + "\n" + extra);
  };
  expect_at(only_error(one("0", "1m")), 12, 12, "'count' must be a whole number from 1 to 100000");
  expect_at(only_error(one("100001", "1m")), 12, 12, "got '100001'");
  expect_at(only_error(one("many", "1m")), 12, 12, "got 'many'");
  expect_at(only_error(one("-3", "1m")), 12, 12, "got '-3'");
  expect_at(only_error(one("5", "10 minutes")), 13, 13,
            "'within' must be a duration such as 30s, 10m, 1h or 1d");
  expect_at(only_error(one("5", "600")), 13, 13, "got '600'");
  expect_at(only_error(one("5", "8d")), 13, 13, "at most 7d; got '8d'");
  expect_at(only_error(one("5", "1.5h")), 13, 13, "got '1.5h'");
  expect_at(only_error(one("5", "0")), 13, 13, "'within' must be more than 0");
  expect_at(only_error(one("5", "1m", "    suppress: forever\n")), 14, 15,
            "'suppress' must be a duration");
  EXPECT_TRUE(one("1", "0").ok());  // a single hit needs no window
  EXPECT_TRUE(one("100000", "7d", "    suppress: 0\n").ok());
}

TEST(ThresholdLoader, SequenceShape) {
  TempDir dir;
  const LoadResult result =
      load_thresholds(dir,
                      "  - id: t.one\n"
                      "    title: One\n"
                      "    severity: low\n"
                      "    of: {rules: [r.ok]}\n"
                      "    count: 2\n"
                      "    sequence:\n"
                      "      first: {rules: [r.fail], count: 2}\n"
                      "    within: 1h\n"
                      "  - id: t.two\n"
                      "    title: Two\n"
                      "    severity: low\n"
                      "    sequence:\n"
                      "      first: {tags: [failure, success]}\n"
                      "      then: {rules: [r.ok, r.tries]}\n"
                      "    group_by: [ip]\n"
                      "    within: 1h\n"
                      "  - id: t.three\n"
                      "    title: Three\n"
                      "    severity: low\n"
                      "    sequence: {first: {rules: [r.fail]}, then: {rules: "
                      "[r.ok]}}\n");
  ASSERT_EQ(result.errors.size(), 7u) << messages(result.errors);
  expect_at(result.errors[0], 11, 5, "'of' does not apply to a sequence");
  expect_at(result.errors[1], 12, 5, "'count' does not apply to a sequence");
  expect_at(result.errors[2], 13, 5, "'sequence' is missing 'then'");
  // t.two: r.note (tagged failure) has no ip; r.tries (then) has no ip; r.ok is in both.
  expect_at(result.errors[3], 16, 5, "rule 'r.ok' is in both 'first' and 'then'");
  expect_at(result.errors[4], 22, 16, "group_by 'ip' is not a capture of rule 'r.note'");
  expect_at(result.errors[5], 22, 16, "group_by 'ip' is not a capture of rule 'r.tries'");
  expect_at(result.errors[6], 24, 5, "threshold 't.three' is missing required key 'within'");
  EXPECT_TRUE(result.rules.thresholds.empty());
}

TEST(ThresholdLoader, ThresholdOnABrokenRuleIsLeftOutWithoutAnotherError) {
  TempDir dir;
  const LoadResult result = load_packs({dir.write(
      "p.yml",
      "pack: p\n"
      "rules:\n"
      "  - {id: r.bad, title: B, severity: low, patterns: ['(unclosed'], examples: {match: "
      "['Nov 28 06:25:14 web1 app[1]: x']}}\n"
      "thresholds:\n"
      "  - {id: t.one, title: One, severity: low, of: {rules: [r.bad]}, group_by: [ip]}\n")});
  expect_at(only_error(result), 3, 53, "pattern does not compile");
  EXPECT_TRUE(result.rules.thresholds.empty());
}

TEST(ThresholdLoader, ShippedPacksLoadTheirThresholds) {
  const LoadResult result = load_packs({std::string(VIGIL_SOURCE_DIR) + "/packs"});
  ASSERT_TRUE(result.ok()) << messages(result.errors);
  std::vector<std::string> ids;
  for (const Threshold& t : result.rules.thresholds) ids.push_back(t.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"app.error_rate", "ssh.bruteforce", "ssh.password_spray",
                                           "ssh.distributed", "ssh.compromise_likely",
                                           "sudo.denied", "sudo.failed_auth", "service.outage"}));
  for (const Threshold& t : result.rules.thresholds) EXPECT_FALSE(t.rule_indexes.empty()) << t.id;
}

}  // namespace
}  // namespace vigil::rules::test
