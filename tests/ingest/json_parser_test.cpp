// JSON lines: the default mapping reads common loggers, custom mappings and JSON
// pointers work, every kind of bad input is a counted failure and never a crash.

#include "ingest/json_parser.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "ingest/parser.h"
#include "tests/support/time_zone.h"

namespace vigil::ingest {
namespace {

using test::utc_us;

const int64_t kReference = utc_us(2026, 11, 28, 12, 0, 0);
const int64_t kLineTime = utc_us(2026, 11, 28, 6, 25, 14);  // 1795847114 s

class JsonTest : public ::testing::Test {
 protected:
  // Parses a line that must parse fully (time included).
  Event ok(std::string_view line) {
    Event e;
    EXPECT_EQ(json_.parse(line, e), JsonLineParser::Result::kParsed) << line;
    return e;
  }
  int64_t time_of(std::string_view line) { return ok(line).ts_us; }
  int priority_of(std::string_view level_json) {
    return ok(R"({"ts":1795847114,"level":)" + std::string(level_json) + "}").priority;
  }
  static std::optional<std::string> field(const Event& e, std::string_view name) {
    if (e.fields == nullptr) return std::nullopt;
    const auto value = e.fields->field(name);
    return value ? std::optional(std::string(*value)) : std::nullopt;
  }

  test::ScopedTz tz_{"UTC"};
  JsonLineParser json_;
};

TEST_F(JsonTest, DefaultMappingReadsATypicalLine) {
  const Event e =
      ok(R"({"timestamp":"2026-11-28T06:25:14.123Z","level":"ERROR","msg":"query failed",)"
         R"("host":"web1","service":"governance-app","pid":900,"unit":"governance-app.service"})");
  EXPECT_EQ(e.ts_us, kLineTime + 123000);
  EXPECT_EQ(e.priority, kErr);
  EXPECT_EQ(e.message, "query failed");
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "governance-app");
  EXPECT_EQ(e.pid, 900);
  EXPECT_EQ(e.unit, "governance-app.service");
  ASSERT_NE(e.fields, nullptr);
}

TEST_F(JsonTest, TracingSubscriberJsonLayer) {
  const Event e = ok(R"({"timestamp":"2026-11-28T06:25:14.000001Z","level":"WARN",)"
                     R"("fields":{"message":"slow query","duration_ms":1532},)"
                     R"("target":"governance_app::db","span":{"name":"request"}})");
  EXPECT_EQ(e.ts_us, kLineTime + 1);
  EXPECT_EQ(e.priority, kWarning);
  EXPECT_EQ(e.message, "slow query");
  EXPECT_EQ(e.program, "");
  EXPECT_EQ(field(e, "duration"), "1532");
  EXPECT_EQ(field(e, "/target"), "governance_app::db");
  EXPECT_EQ(field(e, "/fields/duration_ms"), "1532");
  EXPECT_EQ(field(e, "/span/name"), "request");
}

TEST_F(JsonTest, EveryDefaultNameIsRead) {
  for (const char* key : {"ts", "time", "timestamp", "@timestamp", "datetime"}) {
    const std::string line = std::string(R"({")") + key + R"(":"2026-11-28T06:25:14Z"})";
    EXPECT_EQ(time_of(line), kLineTime) << key;
  }
  for (const char* key : {"level", "severity", "lvl", "levelname", "log.level"}) {
    const std::string line = std::string(R"({"ts":1795847114,")") + key + R"(":"warn"})";
    EXPECT_EQ(ok(line).priority, kWarning) << key;
  }
  for (const char* key : {"msg", "message", "@message"}) {
    const std::string line = std::string(R"({"ts":1795847114,")") + key + R"(":"hello"})";
    EXPECT_EQ(ok(line).message, "hello") << key;
  }
  EXPECT_EQ(ok(R"({"ts":1795847114,"hostname":"db1"})").host, "db1");
  EXPECT_EQ(ok(R"({"ts":1795847114,"host":{"name":"db2"}})").host, "db2");
  EXPECT_EQ(ok(R"({"ts":1795847114,"app":"api"})").program, "api");
  EXPECT_EQ(ok(R"({"ts":1795847114,"service":{"name":"api2"}})").program, "api2");
  EXPECT_EQ(ok(R"({"ts":1795847114,"process":{"pid":"77"}})").pid, 77);
  EXPECT_EQ(ok(R"({"ts":1795847114,"process.pid":78})").pid, 78);
  // Module names are not programs.
  EXPECT_EQ(ok(R"({"ts":1795847114,"logger":"app.db","target":"x::y"})").program, "");
}

TEST_F(JsonTest, TheFirstNameOfAListWinsWhateverTheMemberOrder) {
  const Event e = ok(R"({"message":"second","ts":1795847114,"msg":"first"})");
  EXPECT_EQ(e.message, "first");
  EXPECT_EQ(field(ok(R"({"ts":1,"took_ms":3,"elapsed_ms":2,"duration_ms":1})"), "duration"), "1");
  EXPECT_EQ(field(ok(R"({"ts":1,"fields":{"duration_ms":5},"latency_ms":4})"), "duration"), "4");
}

TEST_F(JsonTest, WithoutAMessageTheWholeLineIsTheMessage) {
  const Event e = ok(R"(  {"ts":1795847114,"event":"login","user":"alice"}  )");
  EXPECT_EQ(e.message, R"({"ts":1795847114,"event":"login","user":"alice"})");
  EXPECT_EQ(e.priority, kPriorityUnknown);
  EXPECT_EQ(e.pid, -1);
  // A null message is no message.
  EXPECT_EQ(ok(R"({"ts":1795847114,"msg":null})").message, R"({"ts":1795847114,"msg":null})");
}

TEST_F(JsonTest, CustomMapping) {
  JsonFieldMap map;
  map.time = {"/meta/when"};
  map.message = {"text"};
  map.level = {"prio"};
  map.program = {"/meta/~1prog"};  // the member "/prog"
  JsonLineParser custom(map);
  Event e;
  ASSERT_EQ(custom.parse(R"({"meta":{"when":"2026-11-28T07:25:14+01:00","/prog":"billing"},)"
                         R"("text":"charged","msg":"ignored","prio":"critical"})",
                         e),
            JsonLineParser::Result::kParsed);
  EXPECT_EQ(e.ts_us, kLineTime);
  EXPECT_EQ(e.message, "charged");
  EXPECT_EQ(e.program, "billing");
  EXPECT_EQ(e.priority, kCrit);
  // The default names are not read any more.
  EXPECT_EQ(custom.parse(R"({"ts":1795847114,"msg":"x"})", e), JsonLineParser::Result::kNoTime);
  EXPECT_EQ(e.message, R"({"ts":1795847114,"msg":"x"})");
}

TEST_F(JsonTest, PointerLookups) {
  const Event e =
      ok(R"({"ts":1795847114,"msg":"a \"quoted\" \u00e9 msg","http":{"status":503,"ok":false,)"
         R"("path":"/api/v1"},"user":{"name":"al\u0069ce","roles":["admin","ops"]},)"
         R"("a/b":1,"m~n":2,"nothing":null,"big":123456789012345678901234567890,"f":-1.5e3})");
  EXPECT_EQ(field(e, "/http/status"), "503");
  EXPECT_EQ(field(e, "/user/name"), "alice");
  EXPECT_EQ(field(e, "/http/ok"), "false");
  EXPECT_EQ(field(e, "/http/path"), "/api/v1");
  EXPECT_EQ(field(e, "/user/roles/1"), "ops");
  EXPECT_EQ(field(e, "/user/roles"), R"(["admin","ops"])");
  EXPECT_EQ(field(e, "/http"), R"({"status":503,"ok":false,"path":"/api/v1"})");
  EXPECT_EQ(field(e, "/a~1b"), "1");
  EXPECT_EQ(field(e, "/m~0n"), "2");
  EXPECT_EQ(field(e, "/nothing"), "null");
  EXPECT_EQ(field(e, "/big"), "123456789012345678901234567890");
  EXPECT_EQ(field(e, "/f"), "-1.5e3");
  EXPECT_EQ(field(e, "/http/missing"), std::nullopt);
  EXPECT_EQ(field(e, "/user/roles/7"), std::nullopt);
  EXPECT_EQ(field(e, "/msg/x"), std::nullopt);
  EXPECT_EQ(field(e, "http"), std::nullopt);  // not a pointer, not a mapped name
  EXPECT_EQ(field(e, "duration"), std::nullopt);
  EXPECT_EQ(field(e, ""), std::nullopt);
  // Lookups rewind the document; the views taken earlier stay valid.
  EXPECT_EQ(e.message, "a \"quoted\" \xc3\xa9 msg");
  const std::string_view name = *e.fields->field("/user/name");
  const std::string_view path = *e.fields->field("/http/path");
  EXPECT_EQ(e.fields->field("/user/name")->data(), name.data());  // cached per line
  e.fields->field("/msg");
  EXPECT_EQ(name, "alice");
  EXPECT_EQ(path, "/api/v1");
}

TEST_F(JsonTest, EpochTimesByMagnitude) {
  const auto at = [&](const std::string& number) { return time_of(R"({"ts":)" + number + "}"); };
  EXPECT_EQ(at("1795847114"), kLineTime);
  EXPECT_EQ(at("1795847114.123456789"), kLineTime + 123456);
  EXPECT_EQ(at("1795847114123"), kLineTime + 123000);
  EXPECT_EQ(at("1795847114123.5"), kLineTime + 123500);
  EXPECT_EQ(at("1795847114123456"), kLineTime + 123456);
  EXPECT_EQ(at("1795847114123456789"), kLineTime + 123456);
  EXPECT_EQ(at("1.795847114e9"), kLineTime);
  EXPECT_EQ(at("0"), 0);
  EXPECT_EQ(at("-86400"), int64_t{-86400} * 1000000);
  EXPECT_EQ(time_of(R"({"ts":"1795847114"})"), kLineTime);
  EXPECT_EQ(time_of(R"({"ts":"2026-11-28 06:25:14,5"})"), kLineTime + 500000);
}

TEST_F(JsonTest, LevelsAsWordsAndNumbers) {
  EXPECT_EQ(priority_of(R"("error")"), kErr);
  EXPECT_EQ(priority_of(R"("Warning")"), kWarning);
  EXPECT_EQ(priority_of(R"("INFO")"), kInfo);
  EXPECT_EQ(priority_of(R"("debug")"), kDebug);
  EXPECT_EQ(priority_of(R"("trace")"), kDebug);
  EXPECT_EQ(priority_of(R"("FATAL")"), kCrit);
  EXPECT_EQ(priority_of(R"("critical")"), kCrit);
  EXPECT_EQ(priority_of("3"), kErr);           // syslog priority
  EXPECT_EQ(priority_of(R"("4")"), kWarning);  // as a string too
  EXPECT_EQ(priority_of("50"), kErr);          // pino / bunyan
  EXPECT_EQ(priority_of("30"), kInfo);
  EXPECT_EQ(priority_of("60"), kCrit);
  EXPECT_EQ(priority_of("10"), kDebug);
  EXPECT_EQ(priority_of("42"), kPriorityUnknown);
  EXPECT_EQ(priority_of(R"("verbose")"), kPriorityUnknown);
  EXPECT_EQ(priority_of("true"), kPriorityUnknown);
  EXPECT_EQ(priority_of("null"), kPriorityUnknown);
}

TEST_F(JsonTest, MissingOrUnusableTimeKeepsTheMembers) {
  for (const char* line :
       {R"({"level":"error","msg":"no time"})",
        R"({"ts":"yesterday","level":"error","msg":"no time"})",
        R"({"ts":1e300,"level":"error","msg":"no time"})",
        R"({"ts":123456789012345678901234567890,"level":"error","msg":"no time"})",
        R"({"ts":"2026-02-30T00:00:00Z","level":"error","msg":"no time"})",
        R"({"ts":true,"level":"error","msg":"no time"})"}) {
    Event e;
    EXPECT_EQ(json_.parse(line, e), JsonLineParser::Result::kNoTime) << line;
    EXPECT_EQ(e.message, "no time") << line;
    EXPECT_EQ(e.priority, kErr) << line;
  }
}

TEST_F(JsonTest, MessageJsonInAJournalEntry) {
  // NOLINTNEXTLINE(cppcoreguidelines-virtual-class-destructor): never deleted via the base
  class JournalFields final : public FieldLookup {
   public:
    std::optional<std::string_view> field(std::string_view name) const override {
      if (name == "_TRANSPORT") return "stdout";
      return std::nullopt;
    }
  } journal;
  Event e;
  e.ts_us = 42;
  e.host = "web1";
  e.program = "governance-app";
  e.unit = "governance-app.service";
  e.pid = 900;
  e.priority = kInfo;
  e.fields = &journal;
  const std::string message =
      R"({"timestamp":"2026-11-28T06:25:14Z","level":"ERROR","fields":{"message":"db down",)"
      R"("elapsed_ms":12.5},"target":"governance_app::db","host":"ignored"})";
  e.message = message;
  ASSERT_TRUE(json_.parse_message_json(message, e));
  EXPECT_EQ(e.message, "db down");
  EXPECT_EQ(e.priority, kErr);
  EXPECT_EQ(e.ts_us, kLineTime);
  EXPECT_EQ(e.host, "web1");
  EXPECT_EQ(e.program, "governance-app");
  EXPECT_EQ(e.unit, "governance-app.service");
  EXPECT_EQ(e.pid, 900);
  EXPECT_EQ(field(e, "/target"), "governance_app::db");
  EXPECT_EQ(field(e, "_TRANSPORT"), "stdout");
  EXPECT_EQ(field(e, "duration"), "12.5");
  EXPECT_EQ(field(e, "/fields/elapsed_ms"), "12.5");

  // Without level or time the journal's stay.
  Event plain;
  plain.ts_us = 42;
  plain.priority = kNotice;
  plain.fields = &journal;
  ASSERT_TRUE(json_.parse_message_json(R"(  {"msg":"hi","duration_ms":7} )", plain));
  EXPECT_EQ(plain.ts_us, 42);
  EXPECT_EQ(plain.priority, kNotice);
  EXPECT_EQ(plain.message, "hi");
  EXPECT_EQ(field(plain, "duration"), "7");
  EXPECT_EQ(field(plain, "_TRANSPORT"), "stdout");

  // Parsing the event's own message again (a view into the parser) is safe.
  ASSERT_TRUE(json_.parse_message_json(R"({"msg":"{\"msg\":\"inner\"}"})", plain));
  EXPECT_EQ(plain.message, R"({"msg":"inner"})");
  ASSERT_TRUE(json_.parse_message_json(plain.message, plain));
  EXPECT_EQ(plain.message, "inner");
  EXPECT_EQ(field(plain, "_TRANSPORT"), "stdout");
}

TEST_F(JsonTest, MessageThatIsNoJsonObjectLeavesTheEventUntouched) {
  for (const char* message : {"plain text", "", "[1,2]", R"({"msg":"truncated)", "{} x"}) {
    Event e;
    e.message = message;
    e.priority = kInfo;
    EXPECT_FALSE(json_.parse_message_json(message, e)) << message;
    EXPECT_EQ(e.message, message);
    EXPECT_EQ(e.priority, kInfo);
    EXPECT_EQ(e.fields, nullptr);
  }
}

// Through LineParser: what a scan sees.
class JsonLinesTest : public ::testing::Test {
 protected:
  test::ScopedTz tz_{"UTC"};
};

TEST_F(JsonLinesTest, AutoDetectsJsonPerLine) {
  LineParser parser(Format::kAuto, "app.log", kReference);
  Event e;
  ASSERT_TRUE(parser.parse(R"({"ts":"2026-11-28T06:25:14Z","level":"error","msg":"a"})", e));
  EXPECT_EQ(e.message, "a");
  EXPECT_EQ(e.source, "app.log");
  EXPECT_NE(e.fields, nullptr);
  ASSERT_TRUE(parser.parse("Nov 28 06:25:15 web1 sshd[812]: b", e));
  EXPECT_EQ(e.program, "sshd");
  EXPECT_EQ(e.fields, nullptr);
  ASSERT_TRUE(parser.parse(" \t{\"ts\":1795847116,\"msg\":\"c\"}", e));
  EXPECT_EQ(e.message, "c");
  ASSERT_TRUE(parser.parse("2026-11-28T06:25:17Z ERROR [x] d", e));
  EXPECT_EQ(e.message, "[x] d");
  EXPECT_EQ(parser.failures(), 0u);
  EXPECT_EQ(parse_format_name("json"), Format::kJson);
}

TEST_F(JsonLinesTest, JsonFormatParsesOnlyJson) {
  LineParser parser(Format::kJson, "app.log", kReference);
  Event e;
  EXPECT_FALSE(parser.parse("Nov 28 06:25:15 web1 sshd[812]: b", e));
  EXPECT_FALSE(e.parsed);
  EXPECT_EQ(e.message, "Nov 28 06:25:15 web1 sshd[812]: b");
  EXPECT_EQ(parser.failures(), 1u);
}

TEST_F(JsonLinesTest, CustomMappingThroughLineParser) {
  JsonFieldMap map;
  map.message = {"text"};
  LineParser parser(Format::kAuto, "app.log", kReference, map);
  Event e;
  ASSERT_TRUE(parser.parse(R"({"ts":1795847114,"text":"mapped","msg":"not"})", e));
  EXPECT_EQ(e.message, "mapped");
}

TEST_F(JsonLinesTest, EveryBadLineIsACountedFailureWithTheWholeLine) {
  const std::string deep_open = R"({"a":)" + std::string(100000, '[');
  const std::string deep_closed =
      R"({"ts":1,"a":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  const std::vector<std::string> bad = {
      R"({"ts":1795847114,"msg":"x")",  // truncated object
      R"({"ts":1795847114,"msg":"x)",   // truncated string
      R"({"ts":1795847114,"msg":)",     // truncated member
      "{",
      "{\"msg\":\"\xff\xfe\",\"ts\":1}",  // invalid UTF-8
      "{\"msg\":\"\xc3\x28\",\"ts\":1}",
      R"({"ts":1,"msg":"x"} trailing)",  // bytes after the object
      R"({"ts":1,"msg":"x"}{"ts":2})",
      R"({"ts":1,"level":"info","level":"error"})",  // a mapped member twice
      R"({"ts":1,"fields":{"message":"a"},"fields":{"message":"b"}})",
      R"({"ts":1,"msg":tru})",  // broken atoms in mapped members
      R"({"ts":01,"msg":"x"})",
      R"({"ts":1,"pid":12abc})",
      R"({"ts":1,"msg":"bad escape \x"})",
      R"({"ts":1,"msg":"lone surrogate \ud800"})",
      R"({ts:1})",  // not JSON
      R"({"ts":1,})",
      R"({"ts" 1})",
      deep_open,
  };
  LineParser parser(Format::kAuto, "app.log", kReference);
  Event e;
  ASSERT_TRUE(parser.parse(R"({"ts":1795847114,"msg":"good"})", e));
  uint64_t failures = 0;
  for (const std::string& line : bad) {
    EXPECT_FALSE(parser.parse(line, e)) << line;
    EXPECT_FALSE(e.parsed);
    EXPECT_EQ(e.message, line);
    EXPECT_EQ(e.ts_us, kLineTime) << "the previous line's time";
    EXPECT_EQ(e.fields, nullptr);
    EXPECT_EQ(parser.failures(), ++failures) << line;
  }
  // A well-formed deep document is fine when no mapping descends into it.
  EXPECT_TRUE(parser.parse(deep_closed, e));
}

TEST_F(JsonLinesTest, ObjectWithoutTimeIsCountedButKeepsItsMembers) {
  LineParser parser(Format::kAuto, "app.log", kReference);
  Event e;
  ASSERT_TRUE(parser.parse(R"({"ts":1795847114,"msg":"first"})", e));
  EXPECT_FALSE(parser.parse(R"({"level":"error","msg":"untimed","/x":1})", e));
  EXPECT_FALSE(e.parsed);
  EXPECT_EQ(e.ts_us, kLineTime);
  EXPECT_EQ(e.message, "untimed");
  EXPECT_EQ(e.priority, kErr);
  EXPECT_EQ(e.source, "app.log");
  ASSERT_NE(e.fields, nullptr);
  EXPECT_EQ(parser.failures(), 1u);
}

// One to four random edits: a byte changed, bytes erased, a JSON token inserted,
// the rest cut; sometimes 64 random bytes after a '{' instead.
std::string mutate(const std::string& seed, std::mt19937& random, int round) {
  std::string line = seed;
  if (round % 50 == 0) {
    line = "{";
    for (int i = 0; i < 63; ++i) line += static_cast<char>(random() % 256);
    return line;
  }
  const int edits = 1 + static_cast<int>(random() % 4);
  for (int i = 0; i < edits && !line.empty(); ++i) {
    const size_t at = random() % line.size();
    switch (random() % 4) {
      case 0:
        line[at] = static_cast<char>(random() % 256);
        break;
      case 1:
        line.erase(at, 1 + random() % 8);
        break;
      case 2:
        line.insert(at, 1, std::string_view("{}[]\",:\\ 0e-")[random() % 13]);
        break;
      default:
        line.resize(at);
        break;
    }
  }
  return line;
}

// Garbage and mutations of good lines: whatever comes back must be consistent,
// and lookups on it must not crash (AddressSanitizer watches the reads).
TEST_F(JsonLinesTest, FuzzedLinesNeverCrash) {
  const std::vector<std::string> seeds = {
      R"({"ts":"2026-11-28T06:25:14Z","level":"error","msg":"a \"b\" \u00e9","pid":9})",
      R"({"timestamp":1795847114.5,"fields":{"message":"m","duration_ms":12},"target":"t"})",
      R"({"a":[1,{"b":[true,false,null]},"c"],"ts":1,"http":{"status":500}})",
  };
  const std::vector<std::string> pointers = {
      "/http/status", "/a/1/b/2", "/fields/message", "/msg", "/a/0", "duration", "/", "/~2"};
  std::mt19937 random(20261128);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible runs
  LineParser parser(Format::kAuto, "fuzz.log", kReference);
  Event e;
  size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string line = mutate(seeds[random() % seeds.size()], random, round);
    parsed += parser.parse(line, e) ? 1 : 0;
    if (e.fields == nullptr) {
      if (!e.parsed) {
        EXPECT_EQ(e.message, line);
      }
      continue;
    }
    for (const std::string& p : pointers) {
      const auto v = e.fields->field(p);
      EXPECT_LE(v.value_or("").size(), line.size());
    }
  }
  EXPECT_GT(parsed, 0u);  // some mutations stay valid
}

}  // namespace
}  // namespace vigil::ingest
