// Hit ids when a batch's hits go through the multi-row insert: the same rows and
// ids as one single-row insert per hit, in order; rollback; alert links; ids near
// the largest rowid.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::exec;
using testdb::query;
using testdb::Row;
using testdb::scalar;
using testdb::TempDir;

constexpr auto kChunk = static_cast<size_t>(Store::kHitsPerInsert);
constexpr int64_t kMaxRowid = std::numeric_limits<int64_t>::max();

constexpr std::array<const char*, 5> kSeverities = {"info", "low", "medium", "high", "critical"};

// Every column differs from one line to the next, and some are NULL, so a value
// bound to another row or column shows in the stored rows. Rules 0 and 4 are
// first seen after the first three lines.
void add_varied_hit(Batch& batch, uint64_t line) {
  const std::string rule = "rule." + std::to_string(line % 5);
  const std::string message = "message " + std::to_string(line);
  const std::string captures = line % 2 == 0 ? "" : R"({"n":)" + std::to_string(line) + "}";
  HitView h;
  h.ts_us = 1'795'000'000'000'000 + static_cast<int64_t>(line) * 600'000'000;  // 10 minutes
  h.source = static_cast<uint32_t>(line % 2);
  h.line = line;
  h.offset = line * 100;
  h.host = line % 3 == 0 ? "" : "web1";
  h.program = line % 4 == 0 ? "" : "sshd";
  h.pid = line % 3 == 1 ? -1 : static_cast<int32_t>(line);
  h.unit = line % 5 == 0 ? "ssh.service" : "";
  h.rule = rule;
  h.severity = kSeverities[line % 5];
  h.message = message;
  h.captures_json = captures;
  batch.add_hit(h);
}

Batch make_batch() {
  Batch batch;
  batch.add_source("/var/log/auth.log", "auth.log");
  batch.add_source("/var/log/syslog", "syslog");
  return batch;
}

// Lines first_line .. first_line + hits - 1.
Batch make_batch(size_t hits, uint64_t first_line) {
  Batch batch = make_batch();
  for (uint64_t line = first_line; line < first_line + hits; ++line) add_varied_hit(batch, line);
  return batch;
}

std::vector<int64_t> ids_of(const Batch& batch) {
  std::vector<int64_t> ids;
  for (size_t i = 0; i < batch.hit_count(); ++i) ids.push_back(batch.hit_id(i));
  return ids;
}

// Three hits, the last then moved to id 1000: new ids must follow the largest
// id, not the number of rows.
void prime(Store& store) {
  Batch batch = make_batch(3, 1);
  store.commit(batch);
  exec(store.handle(), "UPDATE hit_row SET id = 1000 WHERE id = 3");
}

// What single-row inserts give: one batch per hit, which never fills a chunk.
std::vector<int64_t> commit_one_by_one(Store& store, size_t hits, uint64_t first_line) {
  std::vector<int64_t> ids;
  Batch one = make_batch();
  for (uint64_t line = first_line; line < first_line + hits; ++line) {
    add_varied_hit(one, line);
    store.commit(one);
    ids.push_back(one.hit_id(0));
    one.clear();
  }
  return ids;
}

// Everything the commits of hits wrote, but the sources' wall-clock time.
std::vector<Row> stored(Store& store) {
  std::vector<Row> rows = query(store.handle(), "SELECT * FROM hits ORDER BY id");
  for (const char* sql : {"SELECT * FROM rule ORDER BY id", "SELECT * FROM rule_hour ORDER BY 1, 2",
                          "SELECT id, key, lines FROM source ORDER BY id"}) {
    for (Row& row : query(store.handle(), sql)) rows.push_back(std::move(row));
  }
  return rows;
}

class HitIds : public ::testing::TestWithParam<size_t> {
 protected:
  HitIds()
      : chunked_(Store::open(dir_.file("chunked.db"))),
        single_(Store::open(dir_.file("single.db"))) {
    prime(*chunked_);
    prime(*single_);
  }

  TempDir dir_;
  std::unique_ptr<Store> chunked_;
  std::unique_ptr<Store> single_;
};

TEST_P(HitIds, SameRowsAndIdsAsOneInsertPerHit) {
  const size_t hits = GetParam();
  Batch batch = make_batch(hits, 10);
  chunked_->commit(batch);
  const std::vector<int64_t> expected = commit_one_by_one(*single_, hits, 10);

  EXPECT_EQ(ids_of(batch), expected);
  EXPECT_EQ(stored(*chunked_), stored(*single_));
  // Contiguous from the largest id, each holding its own hit.
  std::vector<Row> id_lines;
  for (size_t i = 0; i < hits; ++i) {
    EXPECT_EQ(batch.hit_id(i), 1001 + static_cast<int64_t>(i)) << i;
    id_lines.push_back({std::to_string(1001 + i), std::to_string(10 + i)});
  }
  EXPECT_EQ(query(chunked_->handle(), "SELECT id, line FROM hit_row WHERE id > 1000 ORDER BY id"),
            id_lines);
}

INSTANTIATE_TEST_SUITE_P(BatchSizes, HitIds,
                         ::testing::Values(size_t{0}, size_t{1}, kChunk - 1, kChunk, kChunk + 1,
                                           2 * kChunk, 2 * kChunk + 1, 3 * kChunk + 5));

// A trigger makes SQLite fail on one hit: inside the first or a later chunk, or
// among the hits inserted one by one after them.
class HitIdsRollback : public ::testing::TestWithParam<size_t> {};

TEST_P(HitIdsRollback, AFailedHitStoresNothingAndTheRetryGetsTheSameIds) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  prime(*store);
  const std::vector<Row> before = stored(*store);
  exec(store->handle(),
       "CREATE TRIGGER fail_on_boom BEFORE INSERT ON hit_row WHEN NEW.message = 'boom' "
       "BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
  const size_t hits = 2 * kChunk + 3;
  Batch batch = make_batch(hits, 10);
  Batch failing = make_batch();
  for (size_t i = 0; i < hits; ++i) {
    HitView h = batch.hit(i);
    if (i == GetParam()) h.message = "boom";
    failing.add_hit(h);
  }

  try {
    store->commit(failing);
    ADD_FAILURE() << "commit did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": insert hit: forced failure");
  }
  EXPECT_EQ(stored(*store), before);  // no hit, rule, count or source total

  exec(store->handle(), "DROP TRIGGER fail_on_boom");
  store->commit(batch);
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hit_row"), std::to_string(3 + hits));
  for (size_t i = 0; i < hits; ++i) EXPECT_EQ(batch.hit_id(i), 1001 + static_cast<int64_t>(i));
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM rule"), "5");
}

INSTANTIATE_TEST_SUITE_P(FailingHit, HitIdsRollback,
                         ::testing::Values(size_t{0}, kChunk - 1, kChunk + 5, 2 * kChunk + 1));

TEST(HitIdsAlerts, AnAlertLinksTheHitsWhoseIdsItNames) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  prime(*store);
  Batch batch = make_batch(2 * kChunk + 1, 10);
  const std::vector<size_t> linked = {0, kChunk - 1, kChunk, 2 * kChunk};
  store->commit(batch, [&](Batch& b) {
    AlertRecord alert;
    alert.threshold = "ssh.bruteforce";
    alert.title = "SSH brute force";
    alert.severity = "high";
    alert.key_json = "{}";
    alert.count = linked.size();
    for (const size_t i : linked) alert.hit_ids.push_back(b.hit_id(i));
    b.alerts().push_back(alert);
  });

  std::vector<Row> lines;
  lines.reserve(linked.size());
  for (const size_t i : linked) lines.push_back({std::to_string(10 + i)});
  EXPECT_EQ(query(store->handle(),
                  "SELECT h.line FROM alert_hit AS a JOIN hits AS h ON h.id = a.hit_id "
                  "ORDER BY h.id"),
            lines);
}

// From the largest possible id on SQLite picks free ids at random. The hits that
// still fit in order get those ids, in chunks while a whole chunk fits; the rest
// get whatever SQLite picks, and each hit's id still names its row.
TEST(HitIdsNearTheLargestRowid, HitsPastItGetTheIdsSQLitePicks) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  prime(*store);
  const int64_t largest = kMaxRowid - static_cast<int64_t>(kChunk) - 1;
  exec(store->handle(), "UPDATE hit_row SET id = " + std::to_string(largest) + " WHERE id = 1000");
  const size_t hits = 2 * kChunk + 2;
  Batch batch = make_batch(hits, 10);
  store->commit(batch);

  for (size_t i = 0; i <= kChunk; ++i) {
    EXPECT_EQ(batch.hit_id(i), largest + 1 + static_cast<int64_t>(i)) << i;
  }
  std::set<int64_t> distinct;
  for (size_t i = 0; i < hits; ++i) {
    distinct.insert(batch.hit_id(i));
    EXPECT_EQ(scalar(store->handle(),
                     "SELECT line FROM hit_row WHERE id = " + std::to_string(batch.hit_id(i))),
              std::to_string(10 + i));
  }
  EXPECT_EQ(distinct.size(), hits);
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hit_row"), std::to_string(3 + hits));
}

// The ids of a chunk are derived, not read back: should anything give its rows
// other ids (here a trigger adding a row of its own), the commit fails whole
// rather than link alerts to the wrong hits.
TEST(HitIdsChecked, ARowInsertedAmidAChunkFailsTheCommit) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  prime(*store);
  const std::vector<Row> before = stored(*store);
  exec(store->handle(),
       "CREATE TRIGGER extra_row BEFORE INSERT ON hit_row WHEN NEW.line = 12 BEGIN "
       "INSERT INTO hit_row(ts, source_id, line, offset, rule_id, severity, captures, message) "
       "VALUES(0, 1, 0, 0, 1, 'info', '{}', 'extra'); END");
  Batch batch = make_batch(kChunk, 10);

  try {
    store->commit(batch);
    ADD_FAILURE() << "commit did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": insert hit: the rows did not get ids 1001 to " +
                                         std::to_string(1000 + kChunk));
  }
  EXPECT_EQ(stored(*store), before);
}

}  // namespace
}  // namespace vigil::store
