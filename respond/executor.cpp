#include "respond/executor.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "respond/alert_digest.h"
#include "respond/evidence.h"
#include "respond/mail.h"
#include "respond/process.h"

namespace vigil::respond {
namespace {

constexpr size_t kDigestHits = 1000;

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> parse_argv(const std::string& json) {
  std::vector<std::string> argv;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::array array;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return {};
  if (doc.get_array().get(array) != simdjson::SUCCESS) return {};
  for (auto element : array) {
    std::string_view text;
    if (element.get_string().get(text) != simdjson::SUCCESS) return {};
    argv.emplace_back(text);
  }
  return argv;
}

AlertDigest load_digest(store::ActionLog& log, int64_t alert_id) {
  AlertDigest d;
  const std::optional<store::AlertRecord> alert = log.alert(alert_id);
  if (!alert) return d;
  d.id = alert->id;
  d.threshold = alert->threshold;
  d.title = alert->title;
  d.severity = alert->severity;
  d.key = parse_string_object(alert->key_json);
  d.count = alert->count;
  d.first_ts_us = alert->first_ts_us;
  d.last_ts_us = alert->last_ts_us;
  for (const store::StoredHit& h : log.alert_hits(alert_id, kDigestHits)) {
    if (d.host.empty()) d.host = h.host;
    d.hits.push_back(DigestHit{h.ts_us, h.source, h.line, h.rule, h.message, h.captures_json});
  }
  return d;
}

store::ActionOutcome outcome_of(const RunResult& r) {
  store::ActionOutcome o;
  o.status = r.ok() ? "done" : (r.timed_out ? "timed_out" : "failed");
  o.reason = r.error;
  if (r.started && r.signal == 0 && !r.timed_out) o.exit_status = r.exit_status;
  if (r.signal != 0 && o.reason.empty()) o.reason = "killed by signal " + std::to_string(r.signal);
  o.output = r.output;
  o.started_us = r.started_us;
  o.finished_us = r.finished_us;
  return o;
}

store::ActionOutcome capture(const Response& response, store::ActionLog& log, int64_t alert_id) {
  store::ActionOutcome o;
  o.started_us = wall_us();
  const EvidenceResult r = capture_evidence(response.evidence, alert_id, o.started_us,
                                            digest_json(load_digest(log, alert_id)));
  o.finished_us = wall_us();
  o.status = r.ok() ? "done" : "failed";
  o.reason = r.ok() ? (r.limit_hit ? "size limit reached: some files left out" : "") : r.error;
  o.output = r.dir + ": " + std::to_string(r.files) + " files, " + std::to_string(r.bytes) +
             " bytes" +
             (r.skipped.empty() ? "" : ", " + std::to_string(r.skipped.size()) + " skipped");
  o.exit_status = r.ok() ? 0 : 1;
  return o;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_string_object(const std::string& json) {
  std::vector<std::pair<std::string, std::string>> out;
  thread_local simdjson::ondemand::parser parser;  // a restart replays many hits
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return out;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return out;
  for (auto field : object) {
    std::string_view name;
    std::string_view value;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS) continue;
    if (field.value().get_string().get(value) != simdjson::SUCCESS) continue;
    out.emplace_back(name, value);
  }
  return out;
}

Executor::Executor(const RespondConfig& config, std::string db_path)
    : config_(config), db_path_(std::move(db_path)) {
  for (size_t i = 0; i < std::max<size_t>(1, config.max_concurrent); ++i) {
    workers_.emplace_back([this] { work(); });
  }
}

Executor::~Executor() {
  stop();
}

void Executor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
}

uint64_t Executor::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

void Executor::submit(const std::vector<store::ActionRecord>& actions) {
  std::map<int64_t, Job> by_alert;
  for (const store::ActionRecord& a : actions) {
    if (a.status != "planned" && a.status != "waiting") continue;
    by_alert[a.alert_id].steps.push_back(a);
  }
  // Due now (due_us 0): a fresh alert's rows carry its log time, not a wait.
  for (auto& [alert, job] : by_alert) enqueue(std::move(job));
}

void Executor::resume(const std::vector<store::ActionRecord>& stored) {
  std::set<std::pair<int64_t, std::string>> banned;  // (alert, response) whose ban is done
  for (const store::ActionRecord& a : stored) {
    if (a.kind == "ban_ip" && a.status == "done") banned.insert({a.alert_id, a.response});
  }
  auto log = store::ActionLog::open(db_path_);
  std::vector<store::ActionRecord> pending;
  for (store::ActionRecord a : stored) {
    if (a.status == "running") {
      store::ActionOutcome o;
      o.status = "failed";
      o.reason = "vigil stopped while it ran; not run again";
      o.finished_us = wall_us();
      log->finished(a.id, o);
    } else if (a.status == "waiting" && banned.contains({a.alert_id, a.response})) {
      const auto response = config_.responses.find(a.response);
      a.due_us =
          wall_us() + (response != config_.responses.end() ? response->second.undo_after_us : 0);
      a.status = "planned";
      log->schedule(a.id, a.due_us);
      enqueue(Job{a.due_us, {a}});
    } else if (a.status == "planned" && a.kind == "unban_ip") {
      enqueue(Job{a.due_us, {a}});
    } else if (a.status == "planned") {
      pending.push_back(a);
    }
  }
  submit(pending);
}

void Executor::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.emplace(job.due_us, std::move(job));
  }
  wake_.notify_one();
}

void Executor::work() {
  std::unique_ptr<store::ActionLog> log;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (jobs_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const int64_t now = wall_us();
    if (jobs_.begin()->first > now) {
      wake_.wait_for(lock, std::chrono::microseconds(jobs_.begin()->first - now));
      continue;
    }
    Job job = std::move(jobs_.begin()->second);
    jobs_.erase(jobs_.begin());
    lock.unlock();
    try {
      if (!log) log = store::ActionLog::open(db_path_);
      run_job(*log, job);
    } catch (const std::exception& e) {
      spdlog::error("respond: {}", e.what());
    }
    lock.lock();
  }
}

void Executor::run_job(store::ActionLog& log, Job& job) {
  std::set<std::string> failed;  // responses with a failed step: the rest is skipped
  for (store::ActionRecord& step : job.steps) {
    const auto found = config_.responses.find(step.response);
    const Response* response = found != config_.responses.end() ? &found->second : nullptr;
    if (step.status == "waiting") {  // an unban: once its ban has succeeded
      if (failed.contains(step.response) || response == nullptr) {
        log.finished(step.id,
                     {"skipped", "the ban did not succeed", std::nullopt, "", 0, wall_us()});
      } else {
        step.due_us = wall_us() + response->undo_after_us;
        step.status = "planned";
        log.schedule(step.id, step.due_us);
        enqueue(Job{step.due_us, {step}});
      }
      continue;
    }
    if (failed.contains(step.response)) {
      log.finished(step.id, {"skipped", "an earlier step of this response failed", std::nullopt, "",
                             0, wall_us()});
      continue;
    }
    run_step(log, step, response);
    if (step.status != "done") failed.insert(step.response);
  }
}

void Executor::run_step(store::ActionLog& log, store::ActionRecord& step,
                        const Response* response) {
  store::ActionOutcome outcome;
  if (response == nullptr) {
    outcome = {"skipped", "the response is no longer configured", std::nullopt, "", 0, wall_us()};
  } else {
    log.started(step.id, wall_us());
    if (response->kind == ResponseKind::kEvidence) {
      outcome = capture(*response, log, step.alert_id);
    } else {
      RunLimits limits;
      limits.timeout_us = response->timeout_us;
      if (response->kind == ResponseKind::kNotify) {
        limits.stdin_data =
            compose_mail(response->mail, load_digest(log, step.alert_id), wall_us());
      }
      const std::vector<std::string> argv = parse_argv(step.argv_json);
      outcome = argv.empty() || argv.front().empty() || argv.front()[0] != '/'
                    ? store::ActionOutcome{"failed",
                                           "no program resolved for this command",
                                           std::nullopt,
                                           "",
                                           0,
                                           wall_us()}
                    : outcome_of(run_command(argv, limits));
    }
  }
  log.finished(step.id, outcome);
  step.status = outcome.status;
  std::lock_guard lock(mutex_);
  ++finished_;
}

}  // namespace vigil::respond
