// Alert mail: log text in the key or the hits must not be able to add a header
// (Bcc injection), and what is sent must be a well-formed message for sendmail -t.

#include "respond/mail.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "core/time.h"

namespace vigil::respond {
namespace {

constexpr int64_t kNow =
    (20'785LL * 86400 + 3LL * 3600 + 14LL * 60) * 1'000'000LL;  // Sat 28 Nov 2026

struct Parsed {
  std::vector<std::pair<std::string, std::string>> headers;  // unfolded
  std::string body;
  size_t count(std::string_view name) const {
    return static_cast<size_t>(std::count_if(headers.begin(), headers.end(),
                                             [&](const auto& h) { return h.first == name; }));
  }
  std::string get(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.first == name) return h.second;
    }
    return {};
  }
};

// A strict reading: "Name: value" lines, continuation lines start with a space,
// the first empty line ends the header block.
Parsed parse(const std::string& mail) {
  Parsed p;
  const size_t end = mail.find("\n\n");
  EXPECT_NE(end, std::string::npos);
  std::string_view block(mail.data(), end + 1);
  p.body = mail.substr(end + 2);
  while (!block.empty()) {
    const std::string_view line = block.substr(0, block.find('\n'));
    block.remove_prefix(line.size() + 1);
    EXPECT_LE(line.size(), 78u) << line;
    for (char c : line) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << "header byte " << int(c);
    if (line.starts_with(" ")) {
      EXPECT_FALSE(p.headers.empty());
      p.headers.back().second += std::string(line);
      continue;
    }
    const size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string::npos) << line;
    p.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return p;
}

std::string base64_decode(std::string_view in) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int n = 0;
  for (char c : in) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<uint32_t>(kAlphabet.find(c));
    if ((n += 6) >= 8) out += static_cast<char>((bits >> (n -= 8)) & 0xFF);
  }
  return out;
}

// Decodes a header of RFC 2047 B encoded-words separated by folding whitespace.
std::string decode_words(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    while (value.starts_with(" ")) value.remove_prefix(1);
    EXPECT_TRUE(value.starts_with("=?utf-8?B?")) << value;
    const size_t end = value.find("?=");
    EXPECT_LE(end + 2, 75u);
    out += base64_decode(value.substr(10, end - 10));
    value.remove_prefix(end + 2);
  }
  return out;
}

AlertDigest digest(std::string ip) {
  AlertDigest d;
  d.id = 42;
  d.threshold = "ssh-bruteforce";
  d.title = "SSH brute force";
  d.severity = "high";
  d.key = {{"ip", std::move(ip)}};
  d.count = 2;
  d.first_ts_us = kNow - 60'000'000;
  d.last_ts_us = kNow;
  d.host = "web1";
  d.hits = {{kNow - 60'000'000, "/var/log/auth.log", 10, "r", "Failed password for root", "{}"},
            {kNow, "/var/log/auth.log", 11, "r", "Failed password for\r\nBcc: evil@x", "{}"}};
  return d;
}

MailOptions options() {
  return {{"ops@example.org", "root@localhost"}, "vigil@host.example"};
}

TEST(Mail, WellFormedMessage) {
  const std::string mail = compose_mail(options(), digest("203.0.113.77"), kNow);
  EXPECT_EQ(mail.find('\r'), std::string::npos);
  const Parsed p = parse(mail);
  for (const char* name : {"To", "From", "Subject", "Date", "Message-ID", "MIME-Version",
                           "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"}) {
    EXPECT_EQ(p.count(name), 1u) << name;
  }
  EXPECT_EQ(p.get("To"), "ops@example.org, root@localhost");
  EXPECT_EQ(p.get("From"), "vigil@host.example");
  EXPECT_EQ(p.get("Subject"), "[vigil] high: SSH brute force ip=203.0.113.77 (2 hits)");
  EXPECT_EQ(p.get("Date"), "Sat, 28 Nov 2026 03:14:00 +0000");
  EXPECT_EQ(p.get("Message-ID"), "<vigil.42." + std::to_string(kNow) + "@host.example>");
  EXPECT_EQ(p.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(p.get("Content-Transfer-Encoding"), "8bit");
  EXPECT_EQ(p.get("Auto-Submitted"), "auto-generated");
  EXPECT_NE(p.body.find("Key:       ip=203.0.113.77\n"), std::string::npos) << p.body;
  EXPECT_NE(p.body.find("2026-11-28T03:13:00Z /var/log/auth.log:10 Failed password for root\n"),
            std::string::npos);
  EXPECT_NE(p.body.find("/var/log/auth.log:11 Failed password for\\r\\nBcc: evil@x\n"),
            std::string::npos);
}

TEST(Mail, KeyCannotInjectAHeader) {
  const std::string mail =
      compose_mail(options(), digest("203.0.113.77\r\nBcc: evil@x\n\nbody"), kNow);
  const Parsed p = parse(mail);
  EXPECT_EQ(p.count("Bcc"), 0u);
  EXPECT_EQ(p.headers.size(), 10u);
  EXPECT_EQ(p.get("Subject"),
            "[vigil] high: SSH brute force ip=203.0.113.77 Bcc: evil@x body (2 hits)");
  EXPECT_EQ(p.body.find("\nBcc:"), std::string::npos);
}

TEST(Mail, NonAsciiSubjectIsEncoded) {
  const std::string ip = "M\xC3\xBCller \xE7\x94\xA8\xE6\x88\xB7 \xF0\x9F\x94\x91 \xff";
  const Parsed p = parse(compose_mail(options(), digest(ip), kNow));
  const std::string subject = decode_words(p.get("Subject"));
  EXPECT_EQ(subject,
            "[vigil] high: SSH brute force ip=M\xC3\xBCller \xE7\x94\xA8\xE6\x88\xB7 "
            "\xF0\x9F\x94\x91 \xEF\xBF\xBD (2 hits)");
  EXPECT_NE(p.body.find("ip=M\xC3\xBCller"), std::string::npos);
}

TEST(Mail, EncodedWordLookalikeIsEncodedToo) {
  const Parsed p = parse(compose_mail(options(), digest("=?utf-8?B?QmNjOiBldmls?="), kNow));
  EXPECT_EQ(decode_words(p.get("Subject")),
            "[vigil] high: SSH brute force ip==?utf-8?B?QmNjOiBldmls?= (2 hits)");
}

TEST(Mail, LongSubjectIsCut) {
  const Parsed p = parse(compose_mail(options(), digest(std::string(1000, 'a')), kNow));
  const std::string subject = decode_words(p.get("Subject"));  // "…" makes it non-ASCII
  EXPECT_LE(subject.size(), 160u);
  EXPECT_TRUE(subject.ends_with("\xE2\x80\xA6"));
}

TEST(Mail, BodyLinesAreBoundedAndNeverALoneDot) {
  AlertDigest d = digest("203.0.113.77");
  d.title = std::string(3000, 't');
  d.hits[0].message = std::string(400, '.');
  const std::string mail = compose_mail(options(), d, kNow);
  size_t start = 0;
  while (start < mail.size()) {
    const size_t nl = mail.find('\n', start);
    ASSERT_NE(nl, std::string::npos);
    EXPECT_LE(nl - start, 998u);
    EXPECT_NE(mail.substr(start, nl - start), ".");
    start = nl + 1;
  }
}

TEST(Mail, AddressesAreChecked) {
  for (const char* ok : {"root@localhost", "ops.team+vigil@mail.example.org", "a_b%c@x-y.z"}) {
    EXPECT_TRUE(valid_mail_address(ok)) << ok;
  }
  for (const char* bad : {"",          "root",    "@x",      "a@",      "a b@x", "a@x y",
                          "<a@x>",     "a@x,b@y", "a;b@x",   "\"a\"@x", "a@@x",  "a@x\r\nBcc: e@x",
                          "-oQ/tmp@x", ".a@x",    "a.@x",    "a..b@x",  "a@-x",  "a@x-",
                          "a@x..y",    "a@x.",    "a\x01@x", "a:b@x"}) {
    EXPECT_FALSE(valid_mail_address(bad)) << bad;
  }
  EXPECT_FALSE(valid_mail_address(std::string(65, 'a') + "@x"));
}

TEST(Mail, BadOptionsThrow) {
  MailOptions o = options();
  o.to.emplace_back("evil@x\nBcc: e@x");
  EXPECT_THROW(compose_mail(o, digest("1"), kNow), Error);
  o = options();
  o.to.clear();
  EXPECT_THROW(compose_mail(o, digest("1"), kNow), Error);
  o = options();
  o.from = "vigil";
  EXPECT_THROW(compose_mail(o, digest("1"), kNow), Error);
}

}  // namespace
}  // namespace vigil::respond
