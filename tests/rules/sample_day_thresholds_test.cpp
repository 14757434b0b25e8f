// The shipped packs' thresholds over the bundled sample day (samples/README.md,
// "The story"): exactly the alerts the story implies, and nothing for the 270
// one-off bots. The three files are matched, their hits merged by time (as a
// service following them would see them) and fed to one Correlator.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/time.h"
#include "ingest/parser.h"
#include "rules/correlator.h"
#include "rules/loader.h"
#include "rules/matcher.h"
#include "tests/rules/rules_test_util.h"

namespace vigil::rules::test {
namespace {

struct SampleHit {
  int64_t ts_us = 0;
  size_t rule_index = 0;
  std::vector<std::pair<std::string, std::string>> captures;
};

class CollectingSink : public HitSink {
 public:
  explicit CollectingSink(std::vector<SampleHit>& out) : out_(out) {}
  void on_hit(const Event& event, const Hit& hit) override {
    SampleHit h{event.ts_us, hit.rule_index, {}};
    for (const Capture& c : hit.captures) h.captures.emplace_back(c.name, c.value);
    out_.push_back(std::move(h));
  }

 private:
  std::vector<SampleHit>& out_;
};

constexpr int64_t kDayUs = int64_t{86400} * 1000000;

// The day's end: RFC 3164 lines ("Nov 28 …") are placed in 2026.
int64_t sample_reference_us() {
  return days_from_civil(2026, 11, 29) * kDayUs;
}

int64_t at(int hour, int minute, int second) {
  return days_from_civil(2026, 11, 28) * kDayUs +
         ((int64_t{hour} * 60 + minute) * 60 + second) * 1000000;
}

void match_file(const Matcher& matcher, const std::string& name, std::vector<SampleHit>& out) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/samples/" + name);
  ASSERT_TRUE(in) << name;
  ingest::LineParser parser(ingest::Format::kAuto, name, sample_reference_us());
  auto ctx = matcher.make_context();
  CollectingSink sink(out);
  std::string line;
  Event parsed;
  while (std::getline(in, line)) {
    ASSERT_TRUE(parser.parse(line, parsed)) << name << ": " << line;
    matcher.match(parsed, *ctx, sink);
  }
}

struct Fired {
  std::string threshold;
  AlertKey key;
  int64_t last_ts_us = 0;
  uint64_t count = 0;
};

std::string describe(const std::vector<Fired>& alerts) {
  std::string out;
  for (const Fired& a : alerts) {
    out += a.threshold + " {";
    for (const auto& [name, value] : a.key) out += name + "=" + value + " ";
    out += "} at " + std::to_string(a.last_ts_us) + " count " + std::to_string(a.count) + "\n";
  }
  return out;
}

class SampleDay : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadResult loaded = load_packs({std::string(VIGIL_SOURCE_DIR) + "/packs"});
    ASSERT_TRUE(loaded.ok()) << messages(loaded.errors);
    std::vector<Diagnostic> errors;
    matcher_ = Matcher::compile(std::move(loaded.rules), errors).release();
    ASSERT_NE(matcher_, nullptr) << messages(errors);
    hits_ = new std::vector<SampleHit>;
    for (const char* file : {"auth.log", "syslog", "application.log"}) {
      match_file(*matcher_, file, *hits_);
    }
    // Each file is in time order; merged by time, ties keep file order.
    std::stable_sort(hits_->begin(), hits_->end(),
                     [](const SampleHit& a, const SampleHit& b) { return a.ts_us < b.ts_us; });
  }
  static void TearDownTestSuite() {
    delete matcher_;
    delete hits_;
  }

  static std::vector<Fired> correlate(const CorrelatorOptions& options = {}) {
    Correlator correlator(matcher_->rules(), options);
    std::vector<Alert> alerts;
    std::vector<Capture> captures;
    for (size_t i = 0; i < hits_->size(); ++i) {
      const SampleHit& h = (*hits_)[i];
      if (!correlator.wants(h.rule_index)) continue;
      captures.clear();
      for (const auto& [name, value] : h.captures) captures.push_back(Capture{name, value});
      correlator.observe(CorrelatorHit{h.ts_us, h.rule_index, static_cast<int64_t>(i), captures},
                         alerts);
    }
    std::vector<Fired> out;
    out.reserve(alerts.size());
    for (Alert& a : alerts) {
      out.push_back(Fired{a.threshold->id, std::move(a.key), a.last_ts_us, a.count});
    }
    return out;
  }

  static const Matcher* matcher_;
  static std::vector<SampleHit>* hits_;
};

const Matcher* SampleDay::matcher_ = nullptr;
std::vector<SampleHit>* SampleDay::hits_ = nullptr;

AlertKey by(const char* name, const char* value) {
  return {{name, value}};
}

// In firing order. Where the story gives the moment, it is checked too.
TEST_F(SampleDay, ShippedThresholdsYieldExactlyTheStorysAlerts) {
  const std::vector<Fired> alerts = correlate();
  std::vector<std::pair<std::string, AlertKey>> got;
  got.reserve(alerts.size());
  for (const Fired& a : alerts) got.emplace_back(a.threshold, a.key);
  const std::vector<std::pair<std::string, AlertKey>> expected = {
      // (a) 203.0.113.77: 60 failed passwords within 4 minutes; 10 user names are a
      // brute force's short list, not a spray.
      {"ssh.bruteforce", by("ip", "203.0.113.77")},
      // (a) 198.51.100.23: 40 failures in 58 minutes, some 10 minutes holding 7 of
      // them (more than 5), for 40 distinct users.
      {"ssh.bruteforce", by("ip", "198.51.100.23")},
      {"ssh.password_spray", by("ip", "198.51.100.23")},
      // (c) the spray's address logs in 49 minutes after its last failure.
      {"ssh.compromise_likely", by("ip", "198.51.100.23")},
      // (a) the IPv6 scanner's 6 failed passwords (its 20 "Invalid user" probes
      // tried no password).
      {"ssh.bruteforce", by("ip", "2001:db8:dead:beef::42")},
      // (d) PostgreSQL fails at 14:05:00; the app's errors pass 20 a minute soon
      // after; the app fails at 14:06:30 and keeps failing while systemd restarts it.
      {"service.outage", by("unit", "postgresql@15-main.service")},
      {"app.error_rate", {}},
      {"service.outage", by("unit", "governance-app.service")},
      // (b) mallory: 3 incorrect password attempts, then refused by sudoers.
      {"sudo.failed_auth", by("user", "mallory")},
      {"sudo.denied", by("user", "mallory")},
  };
  EXPECT_EQ(got, expected) << describe(alerts);
  ASSERT_EQ(alerts.size(), expected.size());

  EXPECT_EQ(alerts[3].last_ts_us, at(5, 47, 12));  // the accepted login
  EXPECT_GE(alerts[3].count, 3u);
  EXPECT_GE(alerts[4].last_ts_us, at(9, 48, 35));  // among the 6 failed passwords
  EXPECT_LE(alerts[4].last_ts_us, at(9, 49, 31));
  EXPECT_EQ(alerts[5].last_ts_us / 1000000, at(14, 5, 0) / 1000000);
  EXPECT_GE(alerts[6].last_ts_us, at(14, 5, 0));
  EXPECT_EQ(alerts[7].last_ts_us / 1000000, at(14, 6, 30) / 1000000);
  EXPECT_EQ(alerts[8].last_ts_us / 1000000, at(16, 42, 9) / 1000000);
  EXPECT_EQ(alerts[8].count, 3u);  // the attempts the one line reports
  EXPECT_EQ(alerts[9].last_ts_us / 1000000, at(16, 43, 30) / 1000000);
}

// The story's counts as the engine sees them: the failures the thresholds count
// per address, so that a change in the packs that moves them shows here first.
TEST_F(SampleDay, FailureCountsMatchTheStory) {
  const std::vector<Rule>& rules = matcher_->rules().rules;
  const Cidr office = *parse_cidr("10.0.0.0/24");
  std::map<std::string, int> failures;  // by address, every sshd address included
  for (const SampleHit& h : *hits_) {
    const Rule& hit_rule = rules[h.rule_index];
    if (hit_rule.pack != "sshd") continue;
    const bool failure = std::find(hit_rule.tags.begin(), hit_rule.tags.end(),
                                   "ssh_auth_failure") != hit_rule.tags.end();
    for (const auto& [name, value] : h.captures) {
      if (name == "ip") failures[value] += failure ? 1 : 0;
    }
  }
  EXPECT_EQ(failures["203.0.113.77"], 60);
  EXPECT_EQ(failures["198.51.100.23"], 40);
  EXPECT_EQ(failures["2001:db8:dead:beef::42"], 6);
  size_t bots = 0;
  for (const auto& [ip, n] : failures) {
    if (ip == "203.0.113.77" || ip == "198.51.100.23" || ip == "2001:db8:dead:beef::42" ||
        office.contains(*parse_ip(ip))) {
      continue;
    }
    EXPECT_LE(n, 2) << ip;
    ++bots;
  }
  // 270 bots, minus those that only connect and close (a line no rule matches).
  EXPECT_LE(bots, 270u);
  EXPECT_GE(bots, 200u);
}

// An allowlist removes exactly what it names: the spray's address, and mallory.
TEST_F(SampleDay, AllowlistedAddressAndUserRaiseNothing) {
  CorrelatorOptions options;
  options.global.cidrs = {*parse_cidr("198.51.100.0/24")};
  options.per_threshold["sudo.denied"].users = {"mallory"};
  std::vector<std::string> ids;
  for (const Fired& a : correlate(options)) ids.push_back(a.threshold);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"ssh.bruteforce", "ssh.bruteforce", "service.outage",
                                      "app.error_rate", "service.outage", "sudo.failed_auth"}));
}

}  // namespace
}  // namespace vigil::rules::test
