// Schema v2: alerts, the hits that made them and the actions taken, stored in
// the batch's transaction; the responder's own connection; reading back.

#include "store/alert_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sql.h"
#include "store/store.h"
#include "test_db.h"

namespace vigil::store {
namespace {

using testdb::query;
using testdb::scalar;
using testdb::ssh_hit;
using testdb::TempDir;

// Three hits; during the commit, one alert over the first two and two actions.
void commit_alert(Store& store) {
  Batch batch;
  const uint32_t source = batch.add_source("/var/log/auth.log", "auth.log");
  for (uint64_t line = 1; line <= 3; ++line) {
    batch.add_hit(ssh_hit(source, line, R"({"ip":"203.0.113.7"})"));
  }
  store.commit(batch, [](Batch& b) {
    ASSERT_GT(b.hit_id(0), 0);
    ASSERT_EQ(b.hit_id(1), b.hit_id(0) + 1);
    AlertRecord alert;
    alert.threshold = "ssh.bruteforce";
    alert.title = "SSH brute force";
    alert.severity = "high";
    alert.key_json = R"({"ip":"203.0.113.7"})";
    alert.count = 2;
    alert.first_ts_us = b.hit(0).ts_us;
    alert.last_ts_us = b.hit(1).ts_us;
    alert.hit_ids = {b.hit_id(0), b.hit_id(1)};
    b.alerts().push_back(alert);
    ActionRecord ban;
    ban.alert = 0;
    ban.response = "ban";
    ban.kind = "ban_ip";
    ban.key_json = R"({"ip":"203.0.113.7"})";
    ban.argv_json = R"(["/usr/sbin/ufw","insert","1","deny","from","203.0.113.7"])";
    ban.dry_run = false;
    ban.status = "planned";
    ban.due_us = alert.last_ts_us;
    b.actions().push_back(ban);
    ActionRecord mail = ban;
    mail.response = "mail";
    mail.kind = "notify";
    mail.dry_run = true;
    mail.status = "dry_run";
    b.actions().push_back(mail);
  });
  EXPECT_GT(batch.alerts()[0].id, 0);
  EXPECT_EQ(batch.actions()[0].alert_id, batch.alerts()[0].id);
  EXPECT_GT(batch.actions()[1].id, batch.actions()[0].id);
}

TEST(AlertLog, AlertsAndActionsCommitWithTheirHits) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  commit_alert(*store);
  sqlite3* db = store->handle();
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM hits"), "3");
  EXPECT_EQ(query(db, "SELECT threshold, key, count, severity FROM alerts"),
            (std::vector<testdb::Row>{{"ssh.bruteforce", R"({"ip":"203.0.113.7"})", "2", "high"}}));
  EXPECT_EQ(
      scalar(db, "SELECT group_concat(h.line) FROM alert_hit JOIN hits AS h ON h.id = hit_id"),
      "1,2");
  EXPECT_EQ(
      query(db, "SELECT response, dry_run, exit_status, started, status FROM actions ORDER BY id"),
      (std::vector<testdb::Row>{{"ban", "0", "NULL", "NULL", "planned"},
                                {"mail", "1", "NULL", "NULL", "dry_run"}}));
  EXPECT_EQ(scalar(db, "SELECT json_extract(argv, '$[5]') FROM actions WHERE response = 'ban'"),
            "203.0.113.7");
}

TEST(AlertLog, AFailedCommitStoresNoAlertAndNoHit) {
  TempDir dir;
  auto store = Store::open(dir.file("vigil.db"));
  Batch batch;
  batch.add_hit(ssh_hit(batch.add_source("/var/log/auth.log", "auth.log"), 1, "{}"));
  EXPECT_THROW(store->commit(batch,
                             [](Batch& b) {
                               b.alerts().push_back(AlertRecord{});
                               throw std::runtime_error("correlation failed");
                             }),
               std::runtime_error);
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hits"), "0");
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM alerts"), "0");
}

TEST(AlertLog, TheResponderRecordsOutcomesOnItsOwnConnection) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  commit_alert(*store);
  auto log = ActionLog::open(path);
  const std::vector<ActionRecord> pending = actions_since(store->handle(), path, INT64_MAX);
  ASSERT_EQ(pending.size(), 1u);  // the planned ban; the dry run is over
  EXPECT_EQ(pending[0].response, "ban");
  log->started(pending[0].id, 1000);
  ActionOutcome outcome;
  outcome.status = "done";
  outcome.exit_status = 0;
  outcome.output = "Rule inserted\n";
  outcome.started_us = 1000;
  outcome.finished_us = 2000;
  log->finished(pending[0].id, outcome);
  EXPECT_EQ(query(store->handle(),
                  "SELECT status, exit_status, started, finished, output FROM actions WHERE id = " +
                      std::to_string(pending[0].id)),
            (std::vector<testdb::Row>{{"done", "0", "1000", "2000", "Rule inserted\n"}}));

  ActionRecord unban = pending[0];
  unban.response = "ban";
  unban.kind = "unban_ip";
  unban.status = "planned";
  unban.due_us = 5000;
  const int64_t id = log->add(unban);
  EXPECT_EQ(scalar(store->handle(),
                   "SELECT kind || ' ' || due || ' ' || alert_id FROM actions "
                   "WHERE id = " +
                       std::to_string(id)),
            "unban_ip 5000 " + std::to_string(pending[0].alert_id));
}

TEST(AlertLog, ReadsBackWhatARestartNeeds) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto store = Store::open(path);
  EXPECT_FALSE(latest_hit_ts(store->handle(), path).has_value());
  commit_alert(*store);
  const int64_t newest = ssh_hit(0, 3, "").ts_us;
  EXPECT_EQ(latest_hit_ts(store->handle(), path), newest);

  std::vector<uint64_t> lines;
  for_each_hit_since(store->handle(), path, newest - 1, [&](const StoredHit& h) {
    lines.push_back(h.line);
    EXPECT_EQ(h.captures_json, R"({"ip":"203.0.113.7"})");
    EXPECT_EQ(h.rule, "ssh.failed_password");
  });
  EXPECT_EQ(lines, (std::vector<uint64_t>{2, 3}));

  EXPECT_EQ(alerts_since(store->handle(), path, newest).size(), 0u);
  const std::vector<AlertRecord> alerts = alerts_since(store->handle(), path, newest - 1);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].threshold, "ssh.bruteforce");
  EXPECT_EQ(alerts[0].key_json, R"({"ip":"203.0.113.7"})");

  auto log = ActionLog::open(path);
  ASSERT_TRUE(log->alert(alerts[0].id).has_value());
  EXPECT_FALSE(log->alert(alerts[0].id + 1).has_value());
  const std::vector<StoredHit> hits = log->alert_hits(alerts[0].id, 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].message, "Failed password for root from 203.0.113.7 port 22 ssh2");
  EXPECT_EQ(log->alert_hits(alerts[0].id, 1).size(), 1u);
}

TEST(AlertLog, AVersionOneDatabaseGainsTheTablesAndKeepsItsHits) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    testdb::exec(raw, sql::kSchemaV1);
    testdb::exec(raw,
                 "PRAGMA user_version = 1; PRAGMA application_id = 1447642956;"
                 "INSERT INTO source(key, display, updated_us) VALUES('/a', 'a', 0);"
                 "INSERT INTO rule(name) VALUES('r');"
                 "INSERT INTO hit_row(ts, source_id, line, offset, rule_id, severity, "
                 "captures, message) VALUES(1, 1, 1, 0, 1, 'low', '{}', 'm');");
    sqlite3_close(raw);
  }
  auto store = Store::open(path);
  EXPECT_EQ(store->schema_version(), 3);
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM hits"), "1");
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM alerts"), "0");
  EXPECT_EQ(scalar(store->handle(), "SELECT count(*) FROM actions"), "0");
}

}  // namespace
}  // namespace vigil::store
