// Ingest health in the store (schema v3): SourceActivity's counting on the
// reader's side, and source_hour, source_gap and source_event committed with
// the batch, once; the migration from v2.

#include "store/source_activity.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "store/sql.h"
#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::exec;
using testdb::query;
using testdb::Row;
using testdb::scalar;
using testdb::TempDir;

constexpr int64_t kMinute = 60'000'000;
constexpr int64_t kHour = 60 * kMinute;
// 2026-11-28T00:00:00Z
constexpr int64_t kDay = 1'795'824'000'000'000;

TEST(SourceActivity, CountsLinesPerHourOfLogTime) {
  SourceActivity activity;
  activity.add(kDay + 5 * kMinute, true);
  activity.add(kDay + 6 * kMinute, false);  // a parse failure, in the same hour
  activity.add(kDay + kHour + 1, true);
  activity.add(kDay + 7 * kMinute, true);  // late: back into the first hour's row
  BatchSource source;
  activity.take(source);
  ASSERT_EQ(source.hours.size(), 2u);
  EXPECT_EQ(source.hours[0].hour_us, kDay);
  EXPECT_EQ(source.hours[0].lines, 3u);
  EXPECT_EQ(source.hours[0].parse_failures, 1u);
  EXPECT_EQ(source.hours[0].first_ts_us, kDay + 5 * kMinute);
  EXPECT_EQ(source.hours[0].last_ts_us, kDay + 7 * kMinute);
  EXPECT_EQ(source.hours[1].hour_us, kDay + kHour);
  EXPECT_EQ(source.hours[1].lines, 1u);
  // 00:05 to 01:00: the unparsed line at 00:06 did not end the silence.
  ASSERT_EQ(source.gaps.size(), 1u);
  EXPECT_EQ(source.gaps[0].start_us, kDay + 5 * kMinute);
}

TEST(SourceActivity, AGapIsAForwardJumpOverTheFloor) {
  SourceActivity activity;
  activity.add(kDay, true);
  activity.add(kDay + 10 * kMinute, true);  // exactly the floor: no gap
  activity.add(kDay + 30 * kMinute, true);  // 20 minutes: a gap
  activity.add(kDay + 2 * kMinute, true);   // out of order: never a gap...
  activity.add(kDay + 31 * kMinute, true);  // ...nor the way back to the latest time
  activity.add(kDay + 3 * kHour, false);    // an unparsed line has no time of its own
  activity.add(kDay + 2 * kHour, true);     // 89 minutes after 00:31
  BatchSource source;
  activity.take(source);
  ASSERT_EQ(source.gaps.size(), 2u);
  EXPECT_EQ(source.gaps[0].start_us, kDay + 10 * kMinute);
  EXPECT_EQ(source.gaps[0].end_us, kDay + 30 * kMinute);
  EXPECT_EQ(source.gaps[1].start_us, kDay + 31 * kMinute);
  EXPECT_EQ(source.gaps[1].end_us, kDay + 2 * kHour);
  EXPECT_EQ(activity.last_ts_us(), kDay + 2 * kHour);
}

TEST(SourceActivity, TakeEmptiesItAndAResumedSourceSeesTheSilenceAcrossRestarts) {
  SourceActivity activity;
  activity.add(kDay, true);
  BatchSource first;
  activity.take(first);
  BatchSource second;
  activity.take(second);
  EXPECT_TRUE(second.hours.empty());
  activity.add(kDay + 1, true);  // the same hour again: a new row for the new batch
  activity.take(second);
  ASSERT_EQ(second.hours.size(), 1u);
  EXPECT_EQ(second.hours[0].lines, 1u);

  SourceActivity restarted;
  restarted.resume_after(kDay);
  restarted.add(kDay + kHour, true);
  BatchSource after;
  restarted.take(after);
  ASSERT_EQ(after.gaps.size(), 1u);
  EXPECT_EQ(after.gaps[0].start_us, kDay);
}

TEST(SourceActivity, HourOfTimesBefore1970) {
  EXPECT_EQ(hour_start_of(-1), -kHour);
  EXPECT_EQ(hour_start_of(kDay + kHour - 1), kDay);
}

class SourceHealthCommit : public ::testing::Test {
 protected:
  SourceHealthCommit() : path_(dir_.file("vigil.db")), store_(Store::open(path_)) {}
  sqlite3* db() { return store_->handle(); }

  // A batch of `src` with one hour, one gap and one event.
  static void fill(Batch& batch, uint32_t src, uint64_t lines) {
    BatchSource& s = batch.source(src);
    s.stats.lines = lines;
    SourcePosition p;
    p.line = lines;
    s.position = p;
    s.hours.push_back(HourCount{kDay, lines, 1, kDay + 5, kDay + 50 * kMinute});
    s.gaps.push_back(GapRecord{kDay + 5, kDay + 40 * kMinute});
    s.events.push_back(SourceEventRecord{kDay + 7, "rotated", "checkpoint discarded"});
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SourceHealthCommit, HoursGapsAndEventsCommitWithTheBatch) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/app.log", "app.log");
  fill(batch, src, 7);
  store_->commit(batch);
  EXPECT_EQ(query(db(), "SELECT hour, lines, parse_failures, first_ts, last_ts FROM source_hour"),
            (std::vector<Row>{{std::to_string(kDay), "7", "1", std::to_string(kDay + 5),
                               std::to_string(kDay + 50 * kMinute)}}));
  EXPECT_EQ(query(db(), "SELECT start_ts, end_ts FROM source_gap"),
            (std::vector<Row>{{std::to_string(kDay + 5), std::to_string(kDay + 40 * kMinute)}}));
  EXPECT_EQ(query(db(), "SELECT ts, kind, detail FROM source_event"),
            (std::vector<Row>{{std::to_string(kDay + 7), "rotated", "checkpoint discarded"}}));
  EXPECT_EQ(store_->source("/var/log/app.log")->last_log_ts_us, kDay + 50 * kMinute);

  // A second batch adds to the hour; the cleared batch carries nothing twice.
  batch.clear();
  EXPECT_TRUE(batch.source(src).hours.empty());
  store_->commit(batch);  // nothing changed: not even the source row is written
  batch.source(src).hours.push_back(HourCount{kDay, 3, 0, kDay + 1, kDay + 55 * kMinute});
  store_->commit(batch);
  EXPECT_EQ(scalar(db(), "SELECT lines || ',' || first_ts || ',' || last_ts FROM source_hour"),
            "10," + std::to_string(kDay + 1) + "," + std::to_string(kDay + 55 * kMinute));
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_gap"), "1");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_event"), "1");
}

TEST_F(SourceHealthCommit, AFailedCommitStoresNoneOfThemAndARetryStoresThemOnce) {
  Batch batch;
  const uint32_t src = batch.add_source("/var/log/app.log", "app.log");
  fill(batch, src, 7);
  exec(db(),
       "CREATE TRIGGER fail BEFORE INSERT ON source_event BEGIN SELECT RAISE(ABORT, 'forced'); "
       "END");
  EXPECT_THROW(store_->commit(batch), Error);
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_hour"), "0");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_gap"), "0");
  EXPECT_FALSE(store_->source("/var/log/app.log").has_value());
  exec(db(), "DROP TRIGGER fail");
  store_->commit(batch);
  EXPECT_EQ(scalar(db(), "SELECT sum(lines) FROM source_hour"), "7");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_gap"), "1");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM source_event"), "1");
}

TEST(SourceHealthMigration, AVersionTwoDatabaseGainsTheTablesAndKeepsItsData) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    exec(raw, sql::kSchemaV1);
    exec(raw, sql::kSchemaV2);
    exec(raw,
         "PRAGMA user_version = 2; PRAGMA application_id = 1447642956;"
         "INSERT INTO source(key, display, lines, updated_us) VALUES('/a', 'a', 42, 0);"
         "INSERT INTO rule(name) VALUES('r');"
         "INSERT INTO hit_row(ts, source_id, line, offset, rule_id, severity, "
         "captures, message) VALUES(1, 1, 1, 0, 1, 'low', '{}', 'm');"
         "INSERT INTO alert_row(threshold, key, count, first_ts, last_ts, severity, title, "
         "stored) VALUES('t', '{}', 1, 1, 1, 'high', 'x', 1);");
    sqlite3_close(raw);
  }
  auto store = Store::open(path);
  EXPECT_EQ(store->schema_version(), 3);
  EXPECT_EQ(scalar(store->handle(), "PRAGMA user_version"), "3");
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hits"), "1");
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM alerts"), "1");
  EXPECT_EQ(store->source("/a")->stats.lines, 42u);
  EXPECT_FALSE(store->source("/a")->last_log_ts_us.has_value());  // no hours before v3
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM source_hour"), "0");

  Batch batch;
  const uint32_t src = batch.add_source("/a", "a");
  batch.source(src).hours.push_back(HourCount{kDay, 2, 0, kDay, kDay + 1});
  store->commit(batch);
  EXPECT_EQ(scalar(store->handle(),
                   "SELECT h.lines FROM source_hour AS h JOIN source AS s ON s.id = h.source_id "
                   "WHERE s.key = '/a'"),
            "2");
}

}  // namespace
}  // namespace vigil::store
