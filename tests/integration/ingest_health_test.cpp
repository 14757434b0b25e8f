// Ingest health end to end: the real binary scans or follows, `vigil report`
// reads back silences (gaps) and rotation events. Every wait has a deadline.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <array>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "tests/integration/vigil_cli.h"
#include "tests/support/child.h"
#include "tests/support/temp_dir.h"
#include "tests/support/time_zone.h"

namespace vigil::test {
namespace {

constexpr int64_t kMinute = 60'000'000;

std::string iso(int64_t us) {
  const auto seconds = static_cast<std::time_t>(us / 1'000'000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  std::array<char, 32> text{};
  const size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return {text.data(), n};
}

// A failed password (a hit of basic.yml) at `us`, one per minute in [from, to].
std::string minutes(int64_t from, int64_t to) {
  std::string text;
  for (int64_t t = from; t <= to; t += kMinute) {
    text += iso(t) + " web1 sshd[812]: Failed password for root from 203.0.113.7 port 22 ssh2\n";
  }
  return text;
}

int64_t at(int h, int m) {
  return utc_us(2026, 11, 28, h, m, 0);
}

int64_t hits_or_zero(const std::string& db) {
  if (!std::filesystem::exists(db)) return 0;
  const std::string n = query_one(db, "SELECT count(*) FROM hits");
  return n.empty() || n[0] < '0' || n[0] > '9' ? 0 : std::stoll(n);
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The "ingest" sources of a JSON report, through simdjson.
class JsonReport {
 public:
  explicit JsonReport(std::string text) : text_(std::move(text)) {
    ok_ = parser_.parse(text_).get(doc_) == simdjson::SUCCESS;
  }
  bool ok() const { return ok_; }
  simdjson::dom::array gaps(size_t source) {
    return {doc_["ingest"]["sources"].at(source)["gaps"].get_array()};
  }
  simdjson::dom::array events(size_t source) {
    return {doc_["ingest"]["sources"].at(source)["events"].get_array()};
  }

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element doc_;
  bool ok_ = false;
};

class ScanIngestHealth : public ::testing::Test {
 protected:
  ProcessResult scan() { return scan_basic({"--db", db_, log_}); }
  ProcessResult report(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"report", "--db", db_};
    all.insert(all.end(), args.begin(), args.end());
    return vigil(all);
  }

  TempDir dir_;
  std::string db_ = dir_.file("vigil.db");
  // 08:00-09:00, then nothing for two hours, then 11:00-12:00.
  std::string log_ =
      dir_.write("auth.log", minutes(at(8, 0), at(9, 0)) + minutes(at(11, 0), at(12, 0)));
};

TEST_F(ScanIngestHealth, ATwoHourSilenceIsReportedInJsonAndText) {
  ASSERT_EQ(scan().exit_status, 0);
  const ProcessResult json = report({"--day", "2026-11-28", "--format", "json"});
  ASSERT_EQ(json.exit_status, 0) << json.err;
  JsonReport parsed(json.out);
  ASSERT_TRUE(parsed.ok()) << json.out;
  simdjson::dom::array gaps = parsed.gaps(0);
  // The silence, then the source quiet from 12:00 to the day's end (no baseline: >= 1 h).
  ASSERT_EQ(gaps.size(), 2u) << json.out;
  EXPECT_EQ(gaps.at(0)["start_us"].get_int64().value(), at(9, 0));
  EXPECT_EQ(gaps.at(0)["end_us"].get_int64().value(), at(11, 0));
  EXPECT_EQ(gaps.at(0)["length_us"].get_int64().value(), 120 * kMinute);
  EXPECT_EQ(gaps.at(1)["start_us"].get_int64().value(), at(12, 0));
  EXPECT_TRUE(gaps.at(1)["still_quiet"].get_bool().value());

  const ProcessResult text = report({"--day", "2026-11-28", "--format", "text"});
  ASSERT_EQ(text.exit_status, 0) << text.err;
  EXPECT_NE(text.out.find("Ingest health"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2026-11-28 09:00:00"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2026-11-28 11:00:00"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2 h"), std::string::npos) << text.out;
}

TEST_F(ScanIngestHealth, AResumedReScanRecordsNothingTwiceAndSeesTheSilenceAcrossScans) {
  ASSERT_EQ(scan().exit_status, 0);
  ASSERT_EQ(scan().exit_status, 0);  // resumes at the end: nothing new
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM source_gap"), "1");
  EXPECT_EQ(query_one(db_, "SELECT sum(lines) FROM source_hour"), "122");
  // Two hours after the last line of the first scan: a silence across two scans.
  std::ofstream(log_, std::ios::app) << minutes(at(14, 0), at(14, 9));
  ASSERT_EQ(scan().exit_status, 0);
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM source_gap"), "2");
  EXPECT_EQ(query_one(db_, "SELECT start_ts FROM source_gap ORDER BY start_ts DESC LIMIT 1"),
            std::to_string(at(12, 0)));
  EXPECT_EQ(query_one(db_, "SELECT sum(lines) FROM source_hour"), "132");
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM source_event"), "0");
}

// The events of the report over the last and next hour (they have wall-clock time).
std::string events_now(const std::string& db) {
  const int64_t now = now_us();
  const ProcessResult json = vigil({"report", "--db", db, "--since", iso(now - 60 * kMinute),
                                    "--until", iso(now + 60 * kMinute), "--format", "json"});
  EXPECT_EQ(json.exit_status, 0) << json.err;
  JsonReport parsed(json.out);
  EXPECT_TRUE(parsed.ok()) << json.out;
  if (!parsed.ok()) return {};
  std::string kinds;
  for (simdjson::dom::element e : parsed.events(0)) {
    if (!kinds.empty()) kinds += ',';
    kinds += std::string_view(e["kind"].get_string().value());
    EXPECT_NE(std::string_view(e["detail"].get_string().value()).find("checkpoint at line 122"),
              std::string_view::npos);
  }
  return kinds;
}

TEST_F(ScanIngestHealth, ARotatedFileReScannedIsARotatedEvent) {
  ASSERT_EQ(scan().exit_status, 0);
  std::filesystem::rename(log_, dir_.file("auth.log.1"));
  dir_.write("auth.log", minutes(at(13, 0), at(13, 5)));
  ASSERT_EQ(scan().exit_status, 0);
  EXPECT_EQ(events_now(db_), "rotated");
  ASSERT_EQ(scan().exit_status, 0);  // resumed: no second event
  EXPECT_EQ(query_one(db_, "SELECT count(*) FROM source_event"), "1");
}

TEST_F(ScanIngestHealth, ATruncatedFileReScannedIsATruncatedEvent) {
  ASSERT_EQ(scan().exit_status, 0);
  dir_.write("auth.log", minutes(at(13, 0), at(13, 5)));  // same inode, shorter
  ASSERT_EQ(scan().exit_status, 0);
  EXPECT_EQ(events_now(db_), "truncated");
}

TEST(RunIngestHealth, ARotationWhileFollowingIsRecorded) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  std::ofstream(log) << "";
  Child run({VIGIL_BINARY, "run", "--db", db, "--rules", fixture("basic.yml"), "--follow", log});
  ASSERT_TRUE(wait_until([&] { return run.stderr_text().find("running:") != std::string::npos; }))
      << run.stderr_text();
  std::ofstream(log, std::ios::app) << failed_password(1) << std::flush;
  ASSERT_TRUE(wait_until([&] { return hits_or_zero(db) >= 1; })) << run.stderr_text();
  std::filesystem::rename(log, log + ".1");
  std::ofstream(log) << failed_password(2) << std::flush;  // the new file holds data
  EXPECT_TRUE(wait_until([&] {
    return query_one(db, "SELECT group_concat(kind) FROM source_event").find("rotated") !=
           std::string::npos;
  })) << run.stderr_text();
  run.signal(SIGTERM);
  EXPECT_EQ(run.wait(), 0) << run.stderr_text();
  EXPECT_EQ(query_one(db, "SELECT count(*) FROM source_event WHERE kind = 'rotated'"), "1");
  EXPECT_NE(query_one(db, "SELECT sum(lines) FROM source_hour"), "");
}

}  // namespace
}  // namespace vigil::test
