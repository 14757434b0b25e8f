// Report assembly, the summary and the 7-day baseline.

#include <sys/time.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>

#include "core/error.h"
#include "reports/folding.h"
#include "reports/query.h"
#include "reports/sections.h"

namespace vigil::reports {
namespace {

constexpr int64_t kHourUs = 3'600'000'000LL;
constexpr int64_t kDayUs = 24 * kHourUs;
constexpr int kBaselineDays = 7;
// store/sql.h's kApplicationId ("VIGL"): refuses another program's database.
constexpr int64_t kVigilApplicationId = 0x5649474C;

std::string in_rules(const char* names) {
  return std::string("rule_id IN (SELECT id FROM rule WHERE name IN (") + names + "))";
}

// Hits of `rules` in [start, end) from the per-hour counts: a few hundred rows.
int64_t rule_hour_hits(sqlite3* db, const char* rules, int64_t start, int64_t end) {
  const std::string sql =
      "SELECT coalesce(sum(hits), 0) FROM rule_hour WHERE hour >= ?1 AND hour < ?2 AND " +
      in_rules(rules);
  Query query(db, sql.c_str());
  query.bind(1, start).bind(2, end);
  return query.step() ? query.integer(0) : 0;
}

bool is_local_day(const ReportRange& range) {
  const auto day = local_day(range.label);
  return day && day->start_us == range.start_us && day->end_us == range.end_us;
}

int64_t now_us() {
  struct timeval tv {};
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1'000'000 + tv.tv_usec;
}

}  // namespace

std::vector<ReportRange> baseline_windows(const ReportRange& range) {
  std::vector<ReportRange> windows;
  const bool day = is_local_day(range);
  ReportRange previous = range;
  for (int i = 1; i <= kBaselineDays; ++i) {
    if (day) {
      previous = local_day_of(previous.start_us - 1);
    } else {
      previous.start_us = range.start_us - i * kDayUs;
      previous.end_us = range.end_us - i * kDayUs;
    }
    windows.push_back(previous);
  }
  return windows;
}

std::optional<double> baseline_mean(const std::vector<ReportRange>& windows,
                                    const std::vector<int64_t>& per_window, int64_t first_us) {
  int64_t total = 0;
  int days = 0;
  for (size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].end_us <= first_us) continue;  // before anything was stored
    total += per_window[i];
    ++days;
  }
  if (days == 0) return std::nullopt;
  return static_cast<double>(total) / days;
}

int hour_count(const ReportRange& range) {
  return static_cast<int>((range.end_us - range.start_us + kHourUs - 1) / kHourUs);
}

int hour_index(const ReportRange& range, int64_t ts_us) {
  return static_cast<int>((ts_us - range.start_us) / kHourUs);
}

void read_summary(sqlite3* db, Report& report) {
  struct Metric {
    const char* name;
    const char* rules;
  };
  static constexpr auto kMetrics = std::to_array<Metric>({
      {"failed logins", kFailedLoginRules},
      {"invalid users tried", kInvalidUserRules},
      {"accepted logins", kAcceptedRules},
      {"sudo commands", kSudoCommandRules},
      {"sudo failures", kSudoFailureRules},
      {"su failures", kSuFailedRules},
      {"errors (app, failed units, postgres)", kHeadlineErrorRules},
      {"warnings", kWarnRules},
      {"slow operations", kSlowRules},
  });
  const int64_t first_hour = query_integer(db, "SELECT coalesce(min(hour), 0) FROM rule_hour");
  const bool stored =
      query_integer(db, "SELECT count(*) FROM (SELECT 1 FROM rule_hour LIMIT 1)") != 0;
  const auto windows = baseline_windows(report.range);
  for (const Metric& metric : kMetrics) {
    Comparison comparison{metric.name, 0, std::nullopt};
    comparison.today = rule_hour_hits(db, metric.rules, report.range.start_us, report.range.end_us);
    if (stored) {
      std::vector<int64_t> per_window;
      per_window.reserve(windows.size());
      for (const ReportRange& window : windows) {
        // Windows before anything was stored are skipped by baseline_mean.
        per_window.push_back(
            window.end_us <= first_hour
                ? 0
                : rule_hour_hits(db, metric.rules, window.start_us, window.end_us));
      }
      comparison.baseline = baseline_mean(windows, per_window, first_hour);
    }
    report.summary.push_back(comparison);
  }
}

Report build_report(sqlite3* db, const ReportRange& range) {
  Report report;
  report.range = range;
  report.generated_us = now_us();
  const int hours = hour_count(range);
  for (int i = 0; i < hours; ++i) {
    report.hour_labels.push_back(local_hhmm(range.start_us + i * kHourUs));
  }
  read_ingest(db, report);
  read_summary(db, report);
  read_authentication(db, report);
  read_privilege(db, report);
  read_services(db, report);
  read_alerts(db, report);
  return report;
}

Report build_report(const std::string& db_path, const ReportRange& range) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, &sqlite3_close);
  if (rc != SQLITE_OK) {
    throw Error(db_path +
                ": cannot open the database: " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  try {
    if (query_integer(db, "PRAGMA application_id") != kVigilApplicationId) {
      throw Error("not a vigil database (run `vigil scan --db` to create one)");
    }
    return build_report(db, range);
  } catch (const Error& e) {
    throw Error(db_path + ": " + e.what());
  }
}

}  // namespace vigil::reports
