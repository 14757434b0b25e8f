// The alert digest: JSON that always parses back (whatever bytes the logs held)
// and a mail text in which log text cannot drive a terminal or carry a link.

#include "respond/alert_digest.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/time.h"
#include "respond/json_check.h"

namespace vigil::respond {
namespace {

using namespace std::string_literals;

int64_t at(int hour, int minute, int second) {
  return (days_from_civil(2026, 11, 28) * 86400 + hour * 3600LL + minute * 60LL + second) *
         1'000'000LL;
}

DigestHit hit(int second, std::string message, std::string captures = R"({"ip":"203.0.113.77"})") {
  return {at(3, 12, second), "/var/log/auth.log", 1234,
          "ssh-failed",      std::move(message),  std::move(captures)};
}

AlertDigest sample() {
  AlertDigest d;
  d.id = 42;
  d.threshold = "ssh-bruteforce";
  d.title = "SSH brute force";
  d.severity = "high";
  d.key = {{"ip", "203.0.113.77"}, {"user", "root"}};
  d.count = 3;
  d.first_ts_us = at(3, 12, 6);
  d.last_ts_us = at(3, 14, 0);
  d.host = "web1";
  d.hits = {hit(6, "Failed password for root"), hit(7, "bad \xff\xfe utf8, NUL \0 here"s),
            // NOLINTNEXTLINE(misc-misleading-bidirectional): an attacker's U+202E, on purpose
            hit(8, "esc \x1b[31mred\x1b[0m cr\r\nBcc: x \"quoted\" back\\slash \xE2\x80\xAE")};
  return d;
}

TEST(DigestJson, ParsesBackWithEveryField) {
  const AlertDigest d = sample();
  const std::string json = digest_json(d);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(doc["id"].get_int64().value(), 42);
  EXPECT_EQ(doc["threshold"].get_string().value(), "ssh-bruteforce");
  EXPECT_EQ(doc["key"]["ip"].get_string().value(), "203.0.113.77");
  EXPECT_EQ(doc["key"]["user"].get_string().value(), "root");
  EXPECT_EQ(doc["count"].get_uint64().value(), 3u);
  EXPECT_EQ(doc["first"].get_string().value(), "2026-11-28T03:12:06Z");
  EXPECT_EQ(doc["last_ts_us"].get_int64().value(), d.last_ts_us);
  simdjson::dom::array hits = doc["hits"].get_array().value();
  ASSERT_EQ(hits.size(), 3u);
  simdjson::dom::element first = hits.at(0).value();
  EXPECT_EQ(first["source"].get_string().value(), "/var/log/auth.log");
  EXPECT_EQ(first["line"].get_uint64().value(), 1234u);
  EXPECT_EQ(first["captures"]["ip"].get_string().value(), "203.0.113.77");
}

TEST(DigestJson, InvalidUtf8AndControlsStayValidJson) {
  const std::string json = digest_json(sample());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  simdjson::dom::array hits = doc["hits"].get_array().value();
  EXPECT_EQ(hits.at(1)["message"].get_string().value(),
            "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8, NUL \xEF\xBF\xBD here");
  // Valid text, controls included, round-trips exactly.
  EXPECT_EQ(hits.at(2)["message"].get_string().value(), sample().hits[2].message);
  for (char c : json) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "raw control in JSON";
}

TEST(DigestJson, CapturesThatAreNotJsonAreKeptAsAString) {
  AlertDigest d = sample();
  d.hits = {hit(6, "m", R"({"ip":"1.2.3.4"}, "x": {)"), hit(7, "m", "")};
  const std::string json = digest_json(d);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  simdjson::dom::array hits = doc["hits"].get_array().value();
  EXPECT_EQ(hits.at(0)["captures_invalid"].get_string().value(), d.hits[0].captures_json);
  EXPECT_EQ(hits.at(1)["captures"].get_object().value().size(), 0u);
}

TEST(JsonCheck, AcceptsJsonOnly) {
  for (const char* ok : {"{}", "[]", R"({"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00"]})",
                         " 0 ", R"("caf\u00e9")", "{\"k\":\"\xC3\xA9\"}"}) {
    EXPECT_TRUE(is_valid_json(ok)) << ok;
  }
  for (const char* bad :
       {"", "{", "{}}", "{\"a\":}", "[1,]", "01", "1.", "tru", R"("\x")", R"("\ud800")",
        R"("\udc00")", "\"\xff\"", "\"a\nb\"", "{} {}", "{'a':1}", "[1 2]"}) {
    EXPECT_FALSE(is_valid_json(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_json(std::string(100, '[') + std::string(100, ']')));
}

TEST(DigestText, SummaryAndHitLines) {
  const std::string text = digest_text(sample());
  EXPECT_NE(text.find("vigil alert 42: SSH brute force\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Severity:  high\n"), std::string::npos);
  EXPECT_NE(text.find("Key:       ip=203.0.113.77, user=root\n"), std::string::npos);
  EXPECT_NE(text.find("Count:     3\n"), std::string::npos);
  EXPECT_NE(text.find("First:     2026-11-28T03:12:06Z\n"), std::string::npos);
  EXPECT_NE(text.find("Last:      2026-11-28T03:14:00Z\n"), std::string::npos);
  EXPECT_NE(text.find("\n2026-11-28T03:12:06Z /var/log/auth.log:1234 Failed password for root\n"),
            std::string::npos);
  EXPECT_EQ(text.find("more"), std::string::npos);
}

TEST(DigestText, LogTextCannotDriveATerminal) {
  const std::string text = digest_text(sample());
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 || b == '\n') << "control byte " << int(b);
  }
  EXPECT_NE(text.find("esc \\x1b[31mred\\x1b[0m cr\\r\\nBcc: x"), std::string::npos) << text;
  EXPECT_NE(text.find("\\u202e"), std::string::npos);  // RIGHT-TO-LEFT OVERRIDE, shown
  // NOLINTNEXTLINE(misc-misleading-bidirectional): looking for U+202E, on purpose
  EXPECT_EQ(text.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(text.find("bad \xEF\xBF\xBD\xEF\xBF\xBD utf8"), std::string::npos);
  EXPECT_EQ(text.find("\nBcc:"), std::string::npos);  // no line of its own
}

TEST(DigestText, NoLinks) {
  AlertDigest d = sample();
  d.hits = {hit(6, "visit https://evil.example/fix or WWW.evil.example now")};
  const std::string text = digest_text(d);
  EXPECT_EQ(text.find("://"), std::string::npos) << text;
  EXPECT_NE(text.find("https[:]//evil.example/fix"), std::string::npos);
  EXPECT_NE(text.find("WWW[.]evil.example"), std::string::npos);
}

TEST(DigestText, CapsHitsAndLongMessages) {
  AlertDigest d = sample();
  d.hits.clear();
  for (int i = 0; i < 60; ++i) d.hits.push_back(hit(i % 60, "line " + std::to_string(i)));
  d.hits.push_back(hit(0, std::string(2000, 'x')));
  std::string text = digest_text(d, 5);
  EXPECT_NE(text.find("Hits (5 of 61):\n"), std::string::npos) << text;
  EXPECT_NE(text.find("line 4\n"), std::string::npos);
  EXPECT_EQ(text.find("line 5\n"), std::string::npos);
  EXPECT_NE(text.find("\xE2\x80\xA6 and 56 more\n"), std::string::npos);
  text = digest_text(d);  // 50 by default
  EXPECT_NE(text.find("\xE2\x80\xA6 and 11 more\n"), std::string::npos);
  text = digest_text(d, 100);
  EXPECT_NE(text.find(std::string(500, 'x') + "\xE2\x80\xA6\n"), std::string::npos);
  EXPECT_EQ(text.find(std::string(501, 'x')), std::string::npos);
}

TEST(DigestText, CapsLongFields) {
  AlertDigest d = sample();
  d.key = {{"user", std::string(1000, 'u')}};
  d.host = std::string(1000, 'h');
  const std::string text = digest_text(d);
  EXPECT_NE(text.find("user=" + std::string(256, 'u') + "\xE2\x80\xA6\n"), std::string::npos);
  EXPECT_NE(text.find(std::string(256, 'h') + "\xE2\x80\xA6\n"), std::string::npos);
  EXPECT_EQ(text.find(std::string(257, 'u')), std::string::npos);
}

TEST(DigestText, CutsOnACharacterBoundary) {
  AlertDigest d = sample();
  d.hits = {hit(6, std::string(499, 'a') + "\xC3\xA9" + "tail")};  // é straddles byte 500
  const std::string text = digest_text(d);
  EXPECT_NE(text.find(std::string(499, 'a') + "\xE2\x80\xA6\n"), std::string::npos);
}

TEST(DigestText, NoHits) {
  AlertDigest d = sample();
  d.hits.clear();
  EXPECT_EQ(digest_text(d).find("Hits"), std::string::npos);
}

}  // namespace
}  // namespace vigil::respond
