#include "store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/string_map.h"
#include "store/action_rows.h"
#include "store/checkpointer.h"
#include "store/schema.h"
#include "store/sql.h"
#include "store/statement.h"

namespace vigil::store {
namespace {

// The database holds log lines with user names and addresses: owner-only. We
// create the file ourselves because SQLite would use 0644 minus the umask; SQLite
// then gives -wal and -shm the database file's mode, whatever the umask.
// An existing file keeps the mode its owner gave it.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    throw Error(path + ": cannot create database: " + errno_message(errno));
  }
  const int rc = ::fchmod(fd, 0600);  // the umask may have cleared owner bits
  const int saved_errno = errno;
  ::close(fd);
  if (rc != 0) {
    throw Error(path + ": cannot make database owner-only: " + errno_message(saved_errno));
  }
}

// Memory statistics take a global mutex on every SQLite allocation, and
// nothing here reads them. Only possible before SQLite initialises.
void configure_sqlite() {
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  static_cast<void>(configured);
}

DbHandle open_connection(const std::string& path) {
  configure_sqlite();
  create_private_file(path);
  sqlite3* raw = nullptr;
  // NOMUTEX: a Store is used by one thread at a time, so SQLite's own locking is
  // pure overhead.
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) fail(db.get(), path, "cannot open database");
  sqlite3_extended_result_codes(db.get(), 1);
  // Readers (reports, the sqlite3 shell) may hold the lock briefly.
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

bool changed(const BatchSource& s) {
  return s.position || s.stats.lines != 0 || s.stats.bytes != 0 || s.stats.parse_failures != 0 ||
         !s.hours.empty() || !s.gaps.empty() || !s.events.empty();
}

// Start of the UTC hour holding `ts_us`, also for times before 1970.
int64_t hour_of(int64_t ts_us) {
  constexpr int64_t kHourUs = int64_t{3600} * 1'000'000;
  const int64_t rest = ts_us % kHourUs;
  return ts_us - (rest < 0 ? rest + kHourUs : rest);
}

int64_t now_us() {
  using std::chrono::duration_cast, std::chrono::microseconds, std::chrono::system_clock;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct Store::Impl {
  explicit Impl(std::string file);
  Impl(const Impl&) = delete;  // the WAL hook holds `this`
  Impl& operator=(const Impl&) = delete;
  ~Impl();

  std::optional<SourceTotals> source(std::string_view key);
  void commit(Batch& batch, const DuringCommit& during);

  std::string path;
  DbHandle db;
  int version;

 private:
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);

  void write(Batch& batch);
  void save_sources(const Batch& batch);
  int64_t save_source(const BatchSource& source, int64_t updated_us);
  void save_hits(Batch& batch);
  int64_t max_hit_id();
  void insert_hits(Batch& batch, size_t first, int64_t first_id);
  void insert_hit(Batch& batch, size_t i);
  void bind_hit(Statement& s, int row, const HitView& hit);
  void save_alerts(Batch& batch, int64_t stored_us);
  void save_actions(Batch& batch);
  void save_rule_hours();
  void save_activity(const Batch& batch);
  void save_activity(int64_t source_id, const BatchSource& source);
  int64_t rule_id(std::string_view name);  // interned: the rule table grows as rules fire
  std::optional<int64_t> find_rule(std::string_view name);
  int64_t add_rule(std::string_view name);
  void abandon() noexcept;

  // Declared after `db`, so they are finalized before the connection closes.
  Statement begin_{db.get(), path, sql::kBegin, "begin transaction"};
  Statement commit_{db.get(), path, sql::kCommit, "commit transaction"};
  Statement rollback_{db.get(), path, sql::kRollback, "roll back transaction"};
  Statement upsert_source_{db.get(), path, sql::kUpsertSource, "save source position"};
  Statement select_source_{db.get(), path, sql::kSelectSource, "read source position"};
  Statement select_rule_{db.get(), path, sql::kSelectRule, "read rule"};
  Statement insert_rule_{db.get(), path, sql::kInsertRule, "add rule"};
  Statement insert_hit_{db.get(), path, sql::kInsertHit, "insert hit"};
  Statement insert_hits_{db.get(), path, sql::insert_hits(kHitsPerInsert).c_str(), "insert hit"};
  Statement select_max_hit_id_{db.get(), path, sql::kSelectMaxHitId, "read largest hit id"};
  Statement add_rule_hour_{db.get(), path, sql::kAddRuleHour, "count hits per hour"};
  Statement insert_alert_{db.get(), path, sql::kInsertAlert, "insert alert"};
  Statement insert_alert_hit_{db.get(), path, sql::kInsertAlertHit, "link alert to hit"};
  Statement insert_action_{db.get(), path, sql::kInsertAction, "insert action"};
  Statement add_source_hour_{db.get(), path, sql::kAddSourceHour, "count lines per hour"};
  Statement insert_source_gap_{db.get(), path, sql::kInsertSourceGap, "record source gap"};
  Statement insert_source_event_{db.get(), path, sql::kInsertSourceEvent, "record source event"};

  Checkpointer checkpointer_{path};
  StringMap<int64_t> rules_;
  std::vector<std::string> rules_added_;  // in the open transaction: gone on rollback
  std::vector<int64_t> source_ids_;       // batch source index -> source.id
  std::vector<bool> hit_sources_;         // batch source index -> has hits in the batch
  std::map<std::pair<int64_t, int64_t>, int64_t> rule_hours_;  // (hour, rule_id) -> hits
};

Store::Impl::Impl(std::string file)
    : path(std::move(file)), db(open_connection(path)), version(prepare_schema(db.get(), path)) {
  // Replaces SQLite's automatic checkpoints on this connection.
  sqlite3_wal_hook(db.get(), &Impl::on_wal_commit, this);
}

Store::Impl::~Impl() {
  // Best effort: a failure only means the planner keeps older statistics.
  sqlite3_exec(db.get(), sql::kOptimize, nullptr, nullptr, nullptr);
  sqlite3_wal_hook(db.get(), nullptr, nullptr);
}

int Store::Impl::on_wal_commit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
  static_cast<Impl*>(self)->checkpointer_.wal_grew(pages);
  return SQLITE_OK;
}

std::optional<SourceTotals> Store::Impl::source(std::string_view key) {
  Statement& s = select_source_;
  Statement::Scope scope(s);
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  SourceTotals t;
  t.position.dev = s.column_uint64(0);
  t.position.ino = s.column_uint64(1);
  t.position.offset = s.column_uint64(2);
  t.position.line = s.column_uint64(3);
  t.position.fingerprint_len = static_cast<uint32_t>(s.column_uint64(4));
  t.position.fingerprint = s.column_uint64(5);
  t.position.cursor = s.column_text(6);
  t.stats.lines = s.column_uint64(7);
  t.stats.bytes = s.column_uint64(8);
  t.stats.parse_failures = s.column_uint64(9);
  // Prepared here, not with the connection: preparing it marks source_hour for
  // `PRAGMA optimize`, which only connections that resume a source need.
  Statement last(db.get(), path, sql::kSelectSourceLastTs, "read source's latest time",
                 /*persistent=*/false);
  Statement::Scope last_scope(last);
  last.bind(1, key);
  if (last.step()) t.last_log_ts_us = last.column_int64(0);
  return t;
}

void Store::Impl::commit(Batch& batch, const DuringCommit& during) {
  checkpointer_.before_transaction();
  begin_.run();
  try {
    write(batch);
    if (during) during(batch);
    save_alerts(batch, now_us());
    save_actions(batch);
    commit_.run();
  } catch (...) {
    abandon();
    throw;
  }
  rules_added_.clear();
}

void Store::Impl::write(Batch& batch) {
  save_sources(batch);
  save_activity(batch);
  rule_hours_.clear();
  save_hits(batch);
  save_rule_hours();
}

void Store::Impl::save_alerts(Batch& batch, int64_t stored_us) {
  for (AlertRecord& alert : batch.alerts()) {
    Statement& s = insert_alert_;
    s.bind(1, alert.threshold);
    s.bind(2, alert.key_json);
    s.bind(3, alert.count);
    s.bind(4, alert.first_ts_us);
    s.bind(5, alert.last_ts_us);
    s.bind(6, alert.severity);
    s.bind(7, alert.title);
    s.bind(8, stored_us);
    s.run();
    alert.id = sqlite3_last_insert_rowid(db.get());
    for (const int64_t hit : alert.hit_ids) {
      if (hit <= 0) continue;  // a hit that was never stored (no database before)
      insert_alert_hit_.bind(1, alert.id);
      insert_alert_hit_.bind(2, hit);
      insert_alert_hit_.run();
    }
  }
}

void Store::Impl::save_actions(Batch& batch) {
  for (ActionRecord& action : batch.actions()) {
    const int64_t alert_id = action.alert != ActionRecord::kNoAlert
                                 ? batch.alerts().at(action.alert).id
                                 : action.alert_id;
    action.id = insert_action(insert_action_, db.get(), action, alert_id);
    action.alert_id = alert_id;
  }
}

// Rolls back whatever part of the batch was written, and forgets rule ids that
// existed only inside the transaction, so a retry neither loses nor half-stores.
void Store::Impl::abandon() noexcept {
  // Some errors (disk full, I/O) have rolled back already.
  if (sqlite3_get_autocommit(db.get()) == 0) {
    rollback_.try_run();
  }
  for (const std::string& name : rules_added_) rules_.erase(name);
  rules_added_.clear();
}

// A batch keeps every source it ever saw (a scan of many files adds one after
// another); only those this batch advanced, counted or hit are written.
void Store::Impl::save_sources(const Batch& batch) {
  const int64_t updated_us = now_us();
  const std::vector<BatchSource>& sources = batch.sources();
  source_ids_.assign(sources.size(), 0);
  hit_sources_.assign(sources.size(), false);
  for (size_t i = 0; i < batch.hit_count(); ++i) hit_sources_[batch.hit(i).source] = true;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (hit_sources_[i] || changed(sources[i])) {
      source_ids_[i] = save_source(sources[i], updated_us);
    }
  }
}

int64_t Store::Impl::save_source(const BatchSource& source, int64_t updated_us) {
  Statement& s = upsert_source_;
  Statement::Scope scope(s);
  const SourcePosition none;
  const SourcePosition& p = source.position ? *source.position : none;
  s.bind(1, source.key);
  s.bind(2, source.display);
  s.bind(3, p.dev);
  s.bind(4, p.ino);
  s.bind(5, p.offset);
  s.bind(6, p.line);
  s.bind(7, int64_t{p.fingerprint_len});
  s.bind(8, p.fingerprint);
  s.bind(9, p.cursor);
  s.bind(10, source.stats.lines);
  s.bind(11, source.stats.bytes);
  s.bind(12, source.stats.parse_failures);
  s.bind(13, updated_us);
  s.bind(14, int64_t{source.position.has_value() ? 1 : 0});
  if (!s.step()) throw Error(path + ": save source position: no id returned");
  return s.column_int64(0);
}

// Full chunks of kHitsPerInsert hits go through the multi-row insert, the rest
// one by one, as before. Only a batch with a full chunk reads the largest id, so
// the service's batches of a hit or two pay nothing more.
void Store::Impl::save_hits(Batch& batch) {
  constexpr auto kChunk = static_cast<size_t>(kHitsPerInsert);
  constexpr int64_t kMaxRowid = std::numeric_limits<int64_t>::max();
  const size_t count = batch.hit_count();
  size_t i = 0;
  if (count >= kChunk) {
    int64_t max_id = max_hit_id();
    // Near the largest rowid SQLite picks free ids at random: those hits are
    // left to the one-by-one inserts, which read back each id.
    while (count - i >= kChunk && max_id <= kMaxRowid - kHitsPerInsert) {
      insert_hits(batch, i, max_id + 1);
      i += kChunk;
      max_id += kHitsPerInsert;
    }
  }
  for (; i < count; ++i) insert_hit(batch, i);
}

// Read inside the write transaction: its write lock keeps other connections
// from inserting until the commit.
int64_t Store::Impl::max_hit_id() {
  Statement::Scope scope(select_max_hit_id_);
  // max(id) of no rows is NULL, which reads as 0: SQLite's first id is 1.
  return select_max_hit_id_.step() ? select_max_hit_id_.column_int64(0) : 0;
}

// kHitsPerInsert hits from `first` in one statement. A multi-row insert reports
// only its last id, but SQLite gives each new row one more than the largest id
// (except at the largest possible one, which the caller rules out), so the rows
// hold first_id onwards, in order. Checked, since hit ids link alerts to hits.
void Store::Impl::insert_hits(Batch& batch, size_t first, int64_t first_id) {
  for (int row = 0; row < kHitsPerInsert; ++row) {
    bind_hit(insert_hits_, row, batch.hit(first + static_cast<size_t>(row)));
  }
  insert_hits_.run();
  const int64_t last_id = first_id + kHitsPerInsert - 1;
  if (sqlite3_last_insert_rowid(db.get()) != last_id) {
    throw Error(path + ": insert hit: the rows did not get ids " + std::to_string(first_id) +
                " to " + std::to_string(last_id));
  }
  for (int row = 0; row < kHitsPerInsert; ++row) {
    batch.set_hit_id(first + static_cast<size_t>(row), first_id + row);
  }
}

void Store::Impl::insert_hit(Batch& batch, size_t i) {
  bind_hit(insert_hit_, 0, batch.hit(i));
  insert_hit_.run();
  batch.set_hit_id(i, sqlite3_last_insert_rowid(db.get()));
}

// Binds the hit as row `row` of `s` (see sql::insert_hits), and counts it
// for rule_hour.
void Store::Impl::bind_hit(Statement& s, int row, const HitView& hit) {
  const int64_t rule = rule_id(hit.rule);
  const int p = row * sql::kHitColumns;  // the row's ?1 is p + 1
  s.bind(p + 1, hit.ts_us);
  s.bind(p + 2, source_ids_[hit.source]);
  s.bind(p + 3, hit.line);
  s.bind(p + 4, hit.offset);
  s.bind(p + 5, rule);
  s.bind(p + 6, hit.severity);
  s.bind_or_null(p + 7, hit.host);
  s.bind_or_null(p + 8, hit.program);
  if (hit.pid >= 0) {
    s.bind(p + 9, int64_t{hit.pid});
  } else {
    s.bind_null(p + 9);
  }
  s.bind_or_null(p + 10, hit.unit);
  // Every row holds valid JSON, so json_extract over the whole table never fails.
  s.bind(p + 11, hit.captures_json.empty() ? std::string_view("{}") : hit.captures_json);
  s.bind(p + 12, hit.message);
  ++rule_hours_[{hour_of(hit.ts_us), rule}];
}

void Store::Impl::save_activity(const Batch& batch) {
  const std::vector<BatchSource>& sources = batch.sources();
  for (size_t i = 0; i < sources.size(); ++i) {
    if (source_ids_[i] != 0) save_activity(source_ids_[i], sources[i]);
  }
}

// Lines per hour, gaps and events of one source: stored with its position.
void Store::Impl::save_activity(int64_t source_id, const BatchSource& source) {
  for (const HourCount& h : source.hours) {
    Statement& s = add_source_hour_;
    s.bind(1, source_id);
    s.bind(2, h.hour_us);
    s.bind(3, h.lines);
    s.bind(4, h.parse_failures);
    s.bind(5, h.first_ts_us);
    s.bind(6, h.last_ts_us);
    s.run();
  }
  for (const GapRecord& g : source.gaps) {
    Statement& s = insert_source_gap_;
    s.bind(1, source_id);
    s.bind(2, g.start_us);
    s.bind(3, g.end_us);
    s.run();
  }
  for (const SourceEventRecord& e : source.events) {
    Statement& s = insert_source_event_;
    s.bind(1, source_id);
    s.bind(2, e.ts_us);
    s.bind(3, e.kind);
    s.bind(4, e.detail);
    s.run();
  }
}

void Store::Impl::save_rule_hours() {
  Statement& s = add_rule_hour_;
  for (const auto& [key, hits] : rule_hours_) {
    s.bind(1, key.first);
    s.bind(2, key.second);
    s.bind(3, hits);
    s.run();
  }
}

int64_t Store::Impl::rule_id(std::string_view name) {
  if (auto it = rules_.find(name); it != rules_.end()) return it->second;
  const std::optional<int64_t> found = find_rule(name);
  const int64_t id = found ? *found : add_rule(name);
  rules_.emplace(name, id);
  return id;
}

std::optional<int64_t> Store::Impl::find_rule(std::string_view name) {
  Statement::Scope scope(select_rule_);
  select_rule_.bind(1, name);
  if (!select_rule_.step()) return std::nullopt;
  return select_rule_.column_int64(0);
}

int64_t Store::Impl::add_rule(std::string_view name) {
  insert_rule_.bind(1, name);
  insert_rule_.run();
  rules_added_.emplace_back(name);
  return sqlite3_last_insert_rowid(db.get());
}

std::unique_ptr<Store> Store::open(const std::string& path) {
  return std::unique_ptr<Store>(new Store(std::make_unique<Impl>(path)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::optional<SourceTotals> Store::source(std::string_view key) {
  return impl_->source(key);
}
void Store::commit(Batch& batch, const DuringCommit& during) {
  impl_->commit(batch, during);
}
int Store::schema_version() const {
  return impl_->version;
}
sqlite3* Store::handle() {
  return impl_->db.get();
}

}  // namespace vigil::store
