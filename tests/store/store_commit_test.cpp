// Committing batches: hits through the `hits` view, positions, stats, rollback.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include "core/error.h"
#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::exec;
using testdb::query;
using testdb::Row;
using testdb::scalar;
using testdb::ssh_hit;
using testdb::TempDir;

class StoreCommit : public ::testing::Test {
 protected:
  StoreCommit() : path_(dir_.file("vigil.db")), store_(Store::open(path_)) {}

  sqlite3* db() { return store_->handle(); }
  std::string count_hits() { return scalar(db(), "SELECT count(*) FROM hits"); }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

SourcePosition sample_position() {
  SourcePosition p;
  p.dev = std::numeric_limits<uint64_t>::max();  // all 64 bits survive the signed column
  p.ino = 0x8000'0000'0000'0001ULL;
  p.offset = 123'456'789'012ULL;
  p.line = 987'654ULL;
  p.fingerprint_len = 4096;
  p.fingerprint = 0xdead'beef'cafe'f00dULL;
  p.cursor = "s=1a2b;i=3c4d;b=5e6f;m=7a8b;t=5f0e1d2c3b4a5;x=9c8d7e6f";
  return p;
}

void expect_same(const SourcePosition& a, const SourcePosition& b) {
  EXPECT_EQ(a.dev, b.dev);
  EXPECT_EQ(a.ino, b.ino);
  EXPECT_EQ(a.offset, b.offset);
  EXPECT_EQ(a.line, b.line);
  EXPECT_EQ(a.fingerprint_len, b.fingerprint_len);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.cursor, b.cursor);
}

TEST_F(StoreCommit, HitsRoundTripThroughTheView) {
  Batch batch;
  const uint32_t auth = batch.add_source("/var/log/auth.log", "auth.log");
  const uint32_t app = batch.add_source("journal:/var/log/journal", "journal");
  batch.add_hit(ssh_hit(auth, 42, R"({"user":"root","ip":"203.0.113.7"})"));
  HitView h;
  h.ts_us = 1'795'000'000'000'000;
  h.source = app;
  h.line = 3;
  h.offset = 7;
  h.unit = "governance-app.service";
  h.rule = "app.error";
  h.severity = "high";
  h.message = "ERROR db timeout";
  batch.add_hit(h);  // no host, program, pid or captures
  store_->commit(batch);

  const auto rows = query(db(), "SELECT * FROM hits ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "1795000000000042", "web1", "/var/log/auth.log", "42", "sshd", "812",
                          "NULL", "ssh.failed_password", "medium",
                          "Failed password for root from 203.0.113.7 port 22 ssh2",
                          R"({"user":"root","ip":"203.0.113.7"})"}));
  EXPECT_EQ(rows[1],
            (Row{"2", "1795000000000000", "NULL", "journal:/var/log/journal", "3", "NULL", "NULL",
                 "governance-app.service", "app.error", "high", "ERROR db timeout", "{}"}));
}

TEST_F(StoreCommit, AnalystsCanGroupByACapture) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  const auto ips =
      std::to_array<const char*>({"203.0.113.7", "203.0.113.7", "198.51.100.2", "203.0.113.7"});
  uint64_t line = 0;
  for (const char* ip : ips) {
    const std::string captures = std::string(R"({"user":"root","ip":")") + ip + "\"}";
    batch.add_hit(ssh_hit(src, ++line, captures));
  }
  HitView no_captures = ssh_hit(src, ++line, "");
  no_captures.rule = "sudo.command";
  batch.add_hit(no_captures);
  store_->commit(batch);

  EXPECT_EQ(query(db(),
                  "SELECT json_extract(captures,'$.ip') AS ip, count(*) FROM hits "
                  "GROUP BY ip ORDER BY count(*) DESC, ip IS NULL, ip"),
            (std::vector<Row>{{"203.0.113.7", "3"}, {"198.51.100.2", "1"}, {"NULL", "1"}}));
  EXPECT_EQ(query(db(), "SELECT rule, count(*) FROM hits GROUP BY rule ORDER BY rule"),
            (std::vector<Row>{{"ssh.failed_password", "4"}, {"sudo.command", "1"}}));
}

TEST_F(StoreCommit, StoresNulAndInvalidBytesWithTheirLength) {
  Batch batch;
  HitView h = ssh_hit(batch.add_source("/a", "a"), 1, "{}");
  const std::string raw("a\0b\xff\xfe", 5);
  h.message = raw;
  batch.add_hit(h);
  store_->commit(batch);
  EXPECT_EQ(scalar(db(), "SELECT length(CAST(message AS BLOB)) FROM hits"), "5");
  EXPECT_EQ(scalar(db(), "SELECT hex(CAST(message AS BLOB)) FROM hits"), "610062FFFE");
}

TEST_F(StoreCommit, UnknownSourceHasNoSavedPosition) {
  EXPECT_FALSE(store_->source("/never/seen").has_value());
}

TEST_F(StoreCommit, PositionsReadBackExactlyAfterReopen) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  batch.source(src).position = sample_position();
  store_->commit(batch);
  store_.reset();

  store_ = Store::open(path_);
  const auto saved = store_->source("/var/log/auth.log");
  ASSERT_TRUE(saved.has_value());
  expect_same(saved->position, sample_position());
}

TEST_F(StoreCommit, StatsAccumulateAndAPositionlessBatchKeepsThePosition) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  batch.source(src).position = sample_position();
  batch.source(src).stats = {100, 10'000, 2};
  store_->commit(batch);
  batch.clear();
  batch.source(src).stats = {50, 4'000, 1};  // no position: the source did not advance
  store_->commit(batch);
  batch.clear();
  store_->commit(batch);  // nothing at all

  const auto saved = store_->source("/var/log/auth.log");
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->stats.lines, 150u);
  EXPECT_EQ(saved->stats.bytes, 14'000u);
  EXPECT_EQ(saved->stats.parse_failures, 3u);
  expect_same(saved->position, sample_position());
}

TEST_F(StoreCommit, ASourceTheBatchDidNotTouchIsNotWritten) {
  Batch batch;
  const uint32_t hit_only = batch.add_source("/var/log/a.log", "a.log");
  batch.add_source("/var/log/idle.log", "idle.log");
  batch.add_hit(ssh_hit(hit_only, 1, "{}"));
  store_->commit(batch);
  EXPECT_TRUE(store_->source("/var/log/a.log").has_value());
  EXPECT_FALSE(store_->source("/var/log/idle.log").has_value());
}

TEST_F(StoreCommit, ALaterPositionReplacesTheSavedOne) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  batch.source(src).position = sample_position();
  store_->commit(batch);
  batch.clear();
  SourcePosition later = sample_position();
  later.offset += 4096;
  later.line += 40;
  later.cursor.clear();
  batch.source(src).position = later;
  store_->commit(batch);

  const auto saved = store_->source("/var/log/auth.log");
  ASSERT_TRUE(saved.has_value());
  expect_same(saved->position, later);
}

// A trigger makes SQLite itself fail in the middle of the batch's hits, after
// the source row has been written.
TEST_F(StoreCommit, AFailedCommitRollsBackHitsAndPositionsTogether) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  batch.source(src).position = sample_position();
  batch.source(src).stats = {10, 1000, 0};
  batch.add_hit(ssh_hit(src, 1, "{}"));
  store_->commit(batch);

  exec(db(),
       "CREATE TRIGGER fail_on_boom BEFORE INSERT ON hit_row WHEN NEW.message = 'boom' "
       "BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
  batch.clear();
  SourcePosition later = sample_position();
  later.offset += 500;
  batch.source(src).position = later;
  batch.source(src).stats = {5, 500, 1};
  HitView new_rule = ssh_hit(src, 2, "{}");
  new_rule.rule = "rule.first.seen.in.failed.batch";
  batch.add_hit(new_rule);
  HitView boom = ssh_hit(src, 3, "{}");
  boom.message = "boom";
  batch.add_hit(boom);
  try {
    store_->commit(batch);
    ADD_FAILURE() << "commit did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path_ + ": insert hit: forced failure");
  }

  EXPECT_EQ(count_hits(), "1");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM rule"), "1");
  EXPECT_EQ(scalar(db(), "SELECT sum(hits) FROM rule_hour"), "1");
  const auto saved = store_->source("/var/log/auth.log");
  ASSERT_TRUE(saved.has_value());
  expect_same(saved->position, sample_position());
  EXPECT_EQ(saved->stats.lines, 10u);
  EXPECT_EQ(saved->stats.parse_failures, 0u);

  // The same batch commits once the cause is gone: the rule id interned in the
  // failed transaction must not be reused.
  exec(db(), "DROP TRIGGER fail_on_boom");
  store_->commit(batch);
  EXPECT_EQ(count_hits(), "3");
  EXPECT_EQ(
      scalar(db(), "SELECT count(*) FROM hits WHERE rule = 'rule.first.seen.in.failed.batch'"),
      "1");
  EXPECT_EQ(store_->source("/var/log/auth.log")->position.offset, later.offset);
  EXPECT_EQ(store_->source("/var/log/auth.log")->stats.lines, 15u);
}

TEST_F(StoreCommit, ManyBatchesKeepEveryHitOnce) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  uint64_t line = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 1000; ++i) batch.add_hit(ssh_hit(src, ++line, R"({"ip":"203.0.113.7"})"));
    store_->commit(batch);
    batch.clear();
  }
  EXPECT_EQ(count_hits(), "5000");
  EXPECT_EQ(scalar(db(), "SELECT count(DISTINCT line) FROM hits"), "5000");
  // The writer does not enforce foreign keys; every row must still satisfy them.
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM pragma_foreign_key_check"), "0");
}

TEST_F(StoreCommit, CountsHitsPerRuleAndHourAcrossCommits) {
  constexpr int64_t kHour = int64_t{3600} * 1'000'000;
  const int64_t day = 1'795'046'400'000'000;  // a UTC midnight
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/auth.log", "auth.log");
  const auto times = std::to_array<int64_t>({day, day + kHour - 1, day + kHour, -1});
  uint64_t line = 0;
  for (const int64_t ts : times) {
    HitView h = ssh_hit(src, ++line, "{}");
    h.ts_us = ts;
    batch.add_hit(h);
  }
  store_->commit(batch);
  batch.clear();
  HitView other = ssh_hit(src, ++line, "{}");
  other.ts_us = day + 10;
  batch.add_hit(other);
  other.rule = "sudo.command";
  batch.add_hit(other);
  store_->commit(batch);

  EXPECT_EQ(query(db(),
                  "SELECT h.hour, r.name, h.hits FROM rule_hour AS h JOIN rule AS r "
                  "ON r.id = h.rule_id ORDER BY h.hour, r.name"),
            (std::vector<Row>{{std::to_string(-kHour), "ssh.failed_password", "1"},
                              {std::to_string(day), "ssh.failed_password", "3"},
                              {std::to_string(day), "sudo.command", "1"},
                              {std::to_string(day + kHour), "ssh.failed_password", "1"}}));
}

std::string plan(sqlite3* db, const std::string& sql) {
  std::string text;
  for (const Row& row : query(db, "EXPLAIN QUERY PLAN " + sql)) text += row.back() + "\n";
  return text;
}

TEST_F(StoreCommit, TimeRangeQueriesUseTheTsIndex) {
  const std::string p = plan(db(), "SELECT * FROM hits WHERE ts BETWEEN 1 AND 2");
  EXPECT_NE(p.find("USING INDEX hit_row_ts (ts>? AND ts<?)"), std::string::npos) << p;
}

// Counting through the view must not read the wide hit rows.
TEST_F(StoreCommit, TimeRangeCountsReadOnlyTheIndex) {
  const std::string p = plan(db(), "SELECT count(*) FROM hits WHERE ts BETWEEN 1 AND 2");
  EXPECT_NE(p.find("USING COVERING INDEX hit_row_ts"), std::string::npos) << p;
}

TEST_F(StoreCommit, RuleAndTimeQueriesUseTheRuleTsIndex) {
  const std::string p = plan(
      db(), "SELECT count(*) FROM hits WHERE rule = 'ssh.failed_password' AND ts >= 1 AND ts < 2");
  EXPECT_NE(p.find("hit_row_rule_ts (rule_id=? AND ts>? AND ts<?)"), std::string::npos) << p;
}

}  // namespace
}  // namespace vigil::store
