#include "app/run_service.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>
#include <vector>

#include "app/alert_stage.h"
#include "app/batch_writer.h"
#include "app/event_loop.h"
#include "ingest/file_follower.h"
#include "ingest/journal_source.h"
#include "ingest/json_parser.h"
#include "ingest/parser.h"
#include "respond/executor.h"
#include "store/alert_log.h"
#include "store/source_activity.h"
#include "store/store.h"

namespace vigil::app {
namespace {

// Work done per source before the loop looks at signals and timers again.
constexpr size_t kLinesPerRound = 16384;
constexpr size_t kEntriesPerRound = 16384;
// Lines that produced no hit still advance the checkpoint, at most this often.
constexpr int64_t kPositionFlushUs = 1'000'000;

// One followed file's state between flushes.
struct FileState {
  std::string key;  // the absolute path: the store's identity of the source
  std::unique_ptr<ingest::LineParser> parser;
  SourceStats unflushed;
  uint64_t failures_flushed = 0;
  std::optional<SourcePosition> flushed;
  store::SourceActivity activity;  // lines per hour and gaps since the last flush
};

struct JournalState {
  std::string key;
  uint64_t entries = 0;  // read so far, over the source's life: the hits' "line"
  SourceStats unflushed;
  store::SourceActivity activity;
  // A first start stands at the journal's tail: that cursor is stored even before
  // an entry is read, so entries written while vigil is stopped are not skipped.
  bool position_pending = false;
};

// What the follower saw happen to a file that the ingest-health report lists.
bool is_recorded(ingest::FollowEvent event) {
  using ingest::FollowEvent;
  return event == FollowEvent::kRotated || event == FollowEvent::kTruncated ||
         event == FollowEvent::kDeleted || event == FollowEvent::kResumedRotated ||
         event == FollowEvent::kAppeared;
}

int64_t wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool same_position(const std::optional<SourcePosition>& a, const SourcePosition& b) {
  return a && a->dev == b.dev && a->ino == b.ino && a->offset == b.offset && a->line == b.line &&
         a->fingerprint_len == b.fingerprint_len;
}

class Service final : public ingest::FollowSink, public ingest::JournalSink, public rules::HitSink {
 public:
  Service(const RunSetup& setup, std::unique_ptr<rules::Matcher> matcher);
  int run();

  void on_line(size_t file, const ingest::Line& line) override;
  void on_event(size_t file, ingest::FollowEvent event, std::string_view detail) override;
  void on_entry(const Event& event) override;
  void on_hit(const Event& event, const rules::Hit& hit) override;

 private:
  void open_sources(store::Store& db);
  void start_alerting(store::Store& db);
  void open_journal(store::Store& db);
  void watch_sources();
  bool read_round();
  void flush();
  void add_positions(store::Batch& batch);
  void arm_timer();
  void on_timer();
  void on_signal();
  void reload();
  void notify_watchdog();
  store::Batch& batch();

  const RunSetup& setup_;
  RunConfig config_;
  SignalReader signals_{SIGTERM, SIGINT, SIGHUP};
  std::unique_ptr<rules::Matcher> matcher_;
  std::unique_ptr<rules::Matcher::Context> context_;
  std::unique_ptr<AlertStage> alerts_;           // used on the writer's thread
  std::unique_ptr<respond::Executor> executor_;  // null in dry-run mode
  std::unique_ptr<BatchWriter> writer_;
  EventLoop loop_;
  Timer timer_;

  std::unique_ptr<ingest::FileFollower> follower_;
  std::vector<FileState> files_;
  std::unique_ptr<ingest::JournalSource> journal_;
  JournalState journal_state_;
  ingest::JsonLineParser json_;  // JSON carried in a journald MESSAGE

  BatchPtr batch_;
  uint64_t batch_lines_ = 0;
  HitRecorder recorder_;
  HitOrigin origin_;
  // Follower events of each file (by index) not yet in a batch: they happen
  // also before the writer exists (at start), so they wait here.
  std::vector<std::pair<size_t, store::SourceEventRecord>> pending_events_;
  int64_t last_flush_us_ = 0;  // monotonic
  bool unflushed_lines_ = false;
  int64_t watchdog_interval_us_ = 0;
  int64_t next_watchdog_us_ = 0;
  bool stopping_ = false;
};

Service::Service(const RunSetup& setup, std::unique_ptr<rules::Matcher> matcher)
    : setup_(setup),
      config_(setup.config),
      matcher_(std::move(matcher)),
      context_(matcher_->make_context()) {
  // Checkpoints are read before the writer thread takes the connection over.
  std::unique_ptr<store::Store> db = store::Store::open(config_.database);
  open_sources(*db);
  start_alerting(*db);
  BatchWriter::AfterCommit after_commit;
  if (executor_) {
    after_commit = [this](const store::Batch& b) { executor_->submit(b.actions()); };
  }
  writer_ =
      std::make_unique<BatchWriter>(std::move(db), nullptr, alerts_.get(), std::move(after_commit));
  watch_sources();
  uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
    watchdog_interval_us_ = static_cast<int64_t>(watchdog_usec / 2);
  }
}

// Thresholds rebuilt from the store; responses resumed where a previous run
// left them. Threads start here, after the signals are blocked.
void Service::start_alerting(store::Store& db) {
  const AlertingConfig& alerting = config_.alerting;
  alerts_ = std::make_unique<AlertStage>(matcher_->rules(), alerting, /*force_dry_run=*/false);
  alerts_->rebuild(db, config_.database);
  if (alerting.respond.dry_run) {
    if (!alerting.respond.on_threshold.empty()) {
      spdlog::warn("responses are in dry-run mode: recorded, not run (respond: dry_run: false)");
    }
    return;
  }
  executor_ = std::make_unique<respond::Executor>(alerting.respond, config_.database);
  // Bans done within two days may still have an unban waiting.
  constexpr int64_t kResumeHorizonUs = int64_t{48} * 3600 * 1'000'000;
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  executor_->resume(store::actions_since(db.handle(), config_.database, now - kResumeHorizonUs));
}

void Service::open_sources(store::Store& db) {
  if (!config_.files.empty()) {
    std::vector<std::string> paths;
    for (const FileSourceConfig& f : config_.files) paths.push_back(f.path);
    ingest::FollowOptions options;
    options.idle_flush_us = config_.idle_flush_us;
    options.start_at_end = config_.start_at_end;
    follower_ = std::make_unique<ingest::FileFollower>(paths, options);
    for (size_t i = 0; i < config_.files.size(); ++i) {
      FileState state;
      state.key = follower_->path(i);
      std::optional<SourcePosition> saved;
      if (auto totals = db.source(state.key)) {
        saved = totals->position;
        state.activity.resume_after(totals->last_log_ts_us);
      }
      follower_->start(i, saved, *this);
      state.parser = std::make_unique<ingest::LineParser>(
          config_.files[i].format, config_.files[i].path, follower_->reference_time_us(i),
          config_.files[i].json_fields);
      files_.push_back(std::move(state));
    }
  }
  if (config_.journal.enabled) open_journal(db);
}

void Service::open_journal(store::Store& db) {
  const JournalConfig& j = config_.journal;
  ingest::JournalOptions options;
  options.directory = j.directory;
  options.filter.units = j.units;
  options.filter.identifiers = j.identifiers;
  options.filter.max_priority = j.max_priority;
  options.follow = true;
  // Journald fields the rules select on are read in the same pass as the rest.
  for (const rules::Rule& rule : matcher_->rules().rules) {
    for (const auto& [name, values] : rule.select.fields) {
      if (!name.empty() && name.front() != '/' && name != ingest::kDurationField &&
          std::find(options.fields.begin(), options.fields.end(), name) == options.fields.end()) {
        options.fields.push_back(name);
      }
    }
  }
  // The same key as `vigil scan --journal-dir`: one checkpoint per journal.
  journal_state_.key = ingest::journal_source_name(options.directory);
  const auto totals = db.source(journal_state_.key);
  if (totals) journal_state_.activity.resume_after(totals->last_log_ts_us);
  if (totals && !totals->position.cursor.empty()) {
    options.start.after_cursor = totals->position.cursor;
    journal_state_.entries = totals->stats.lines;
  } else {
    options.start.since_us = j.since_us;  // none: only entries to come
    journal_state_.position_pending = true;
    unflushed_lines_ = true;
  }
  journal_ = std::make_unique<ingest::JournalSource>(options);
  spdlog::info("reading {} ({})", journal_->name(),
               options.start.after_cursor.empty() ? "first start" : "after the saved cursor");
}

void Service::watch_sources() {
  loop_.watch(signals_.fd(), [this] { on_signal(); });
  loop_.watch(timer_.fd(), [this] { on_timer(); });
  // Readiness only wakes the loop; each round reads every source anyway.
  if (follower_) loop_.watch(follower_->fd(), [] {});
  if (journal_) loop_.watch(journal_->fd(), [this] { journal_->process(); });
}

store::Batch& Service::batch() {
  if (!batch_) {
    batch_ = writer_->take_empty();
    if (!batch_) writer_->finish();  // rethrows the writer's failure
    for (const FileState& f : files_) batch_->add_source(f.key, f.key);
    if (journal_) batch_->add_source(journal_state_.key, journal_->name());
  }
  return *batch_;
}

void Service::on_line(size_t file, const ingest::Line& line) {
  FileState& f = files_[file];
  Event event;
  const bool parsed = f.parser->parse(line.text, event);
  f.activity.add(event.ts_us, parsed);
  ++f.unflushed.lines;
  f.unflushed.bytes += line.text.size() + 1;
  ++batch_lines_;
  unflushed_lines_ = true;
  origin_ = HitOrigin{static_cast<uint32_t>(file), line.number, line.offset};
  matcher_->match(event, *context_, *this);
  if (batch_is_full(batch(), batch_lines_)) flush();
}

void Service::on_event(size_t file, ingest::FollowEvent event, std::string_view detail) {
  const std::string& path = config_.files[file].path;
  if (event == ingest::FollowEvent::kError) {
    spdlog::error("{}: {}", path, detail);
  } else {
    spdlog::info("{}: {} ({})", path, ingest::to_string(event), detail);
  }
  if (is_recorded(event)) {
    pending_events_.emplace_back(
        file,
        store::SourceEventRecord{wall_clock_us(), ingest::to_string(event), std::string(detail)});
  }
  unflushed_lines_ = true;  // the position may have moved without a line
}

void Service::on_entry(const Event& event) {
  ++journal_state_.entries;
  ++journal_state_.unflushed.lines;
  journal_state_.activity.add(event.ts_us, event.parsed);
  journal_state_.unflushed.bytes += event.message.size();
  ++batch_lines_;
  unflushed_lines_ = true;
  origin_ = HitOrigin{static_cast<uint32_t>(files_.size()), journal_state_.entries, 0};
  // A service that logs JSON to journald: its message, level and members count.
  if (!event.message.empty() && event.message.front() == '{') {
    Event structured = event;
    if (json_.parse_message_json(event.message, structured)) {
      matcher_->match(structured, *context_, *this);
      if (batch_is_full(batch(), batch_lines_)) flush();
      return;
    }
  }
  matcher_->match(event, *context_, *this);
  if (batch_is_full(batch(), batch_lines_)) flush();
}

void Service::on_hit(const Event& event, const rules::Hit& hit) {
  recorder_.add(batch(), event, hit, origin_);
}

void Service::add_positions(store::Batch& b) {
  for (size_t i = 0; i < files_.size(); ++i) {
    FileState& f = files_[i];
    store::BatchSource& source = b.source(static_cast<uint32_t>(i));
    const SourcePosition position = follower_->position(i);
    if (!same_position(f.flushed, position)) source.position = position;
    f.flushed = position;
    source.stats = f.unflushed;
    source.stats.parse_failures = f.parser->failures() - f.failures_flushed;
    f.failures_flushed = f.parser->failures();
    f.unflushed = {};
    f.activity.take(source);
  }
  for (auto& [file, event] : pending_events_) {
    b.source(static_cast<uint32_t>(file)).events.push_back(std::move(event));
  }
  pending_events_.clear();
  if (journal_) {
    store::BatchSource& source = b.source(static_cast<uint32_t>(files_.size()));
    if (journal_state_.unflushed.lines > 0 || journal_state_.position_pending) {
      SourcePosition position;
      position.cursor = journal_->cursor();
      if (!position.cursor.empty()) {
        source.position = position;
        journal_state_.position_pending = false;
      }
    }
    source.stats = journal_state_.unflushed;
    journal_state_.unflushed = {};
    journal_state_.activity.take(source);
  }
}

// Hands the batch to the writer with the positions every source has reached.
void Service::flush() {
  add_positions(batch());
  if (!writer_->submit(std::move(batch_))) writer_->finish();
  batch_lines_ = 0;
  unflushed_lines_ = false;
  last_flush_us_ = ingest::monotonic_us();
}

// Reads what the sources have; true when more is waiting.
bool Service::read_round() {
  bool more = false;
  for (size_t i = 0; i < files_.size(); ++i) {
    files_[i].parser->set_reference_time(follower_->reference_time_us(i));
  }
  if (follower_) more = follower_->process(*this, kLinesPerRound) || more;
  if (journal_) more = journal_->read(kEntriesPerRound, *this) == kEntriesPerRound || more;
  return more;
}

void Service::arm_timer() {
  std::vector<int64_t> deadlines;
  if (follower_) deadlines.push_back(follower_->next_deadline_us());
  if (journal_) {
    if (auto at = journal_->wakeup_deadline_us()) deadlines.push_back(static_cast<int64_t>(*at));
  }
  if (unflushed_lines_) deadlines.push_back(last_flush_us_ + kPositionFlushUs);
  if (watchdog_interval_us_ > 0) deadlines.push_back(next_watchdog_us_);
  std::erase_if(deadlines, [](int64_t d) { return d < 0; });
  if (deadlines.empty()) {
    timer_.disarm();
  } else {
    timer_.arm_at(*std::min_element(deadlines.begin(), deadlines.end()));
  }
}

void Service::on_timer() {
  timer_.acknowledge();
  const int64_t now = ingest::monotonic_us();
  if (follower_) follower_->on_timer(*this, now);
  if (unflushed_lines_ && now >= last_flush_us_ + kPositionFlushUs) flush();
  if (watchdog_interval_us_ > 0 && now >= next_watchdog_us_) notify_watchdog();
}

void Service::notify_watchdog() {
  sd_notify(0, "WATCHDOG=1");
  next_watchdog_us_ = ingest::monotonic_us() + watchdog_interval_us_;
}

void Service::on_signal() {
  while (const int signal = signals_.next()) {
    if (signal == SIGHUP) {
      reload();
    } else {
      spdlog::info("{} received: committing what was read, then stopping",
                   signal == SIGINT ? "SIGINT" : "SIGTERM");
      stopping_ = true;
    }
  }
}

// The new rules replace the old only when all of them load; a broken pack keeps
// the running rules, with the errors logged.
void Service::reload() {
  sd_notify(0, "RELOADING=1");
  std::vector<Diagnostic> errors;
  RunConfig next = setup_.reload_config(errors);
  for (const Diagnostic& e : errors) spdlog::error("reload: {}", e.str());
  std::unique_ptr<rules::Matcher> matcher = errors.empty() ? setup_.load_rules(next) : nullptr;
  if (!matcher) {
    spdlog::error("reload failed: keeping the running configuration and rules");
  } else {
    if (batch_ && batch_->hit_count() > 0) flush();  // hits of the old rules go out first
    matcher_ = std::move(matcher);
    context_ = matcher_->make_context();
    spdlog::set_level(spdlog::level::from_str(next.log_level));
    // The writer's thread holds the thresholds and responses: they stay as at start.
    spdlog::info("reloaded: {} rules (thresholds, allowlists and responses change at restart)",
                 matcher_->rules().rules.size());
    if (next.files.size() != config_.files.size() || next.database != config_.database ||
        next.journal.enabled != config_.journal.enabled) {
      spdlog::warn("changes to sources or the database take effect at the next restart");
    }
  }
  sd_notify(0, "READY=1");
}

int Service::run() {
  sd_notify(0, "READY=1");
  if (watchdog_interval_us_ > 0) notify_watchdog();
  spdlog::info("running: {} file(s){}, {} rules, database {}", files_.size(),
               journal_ ? " and the journal" : "", matcher_->rules().rules.size(),
               config_.database);
  while (!stopping_) {
    const bool more = read_round();
    if (!more && batch_ && batch_->hit_count() > 0) flush();  // idle: commit hits now
    arm_timer();
    loop_.wait_once(more ? 0 : -1);
  }
  sd_notify(0, "STOPPING=1");
  flush();
  writer_->finish();
  if (executor_) executor_->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int run_service(const RunSetup& setup) {
  std::unique_ptr<rules::Matcher> matcher = setup.load_rules(setup.config);
  if (!matcher) return 2;
  Service service(setup, std::move(matcher));
  return service.run();
}

}  // namespace vigil::app
