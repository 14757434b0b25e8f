#pragma once
// The report's sections, each read with its own queries (private to reports/).
// Rule ids are those of the shipped packs (packs/*.yml); the database stores no
// tags, so the groups below stand in for them (auth_failure, auth_success, …).

#include <sqlite3.h>

#include <optional>
#include <vector>

#include "reports/report.h"

namespace vigil::reports {

// SQL lists of rule names, for `rule_id IN (SELECT id FROM rule WHERE name IN …)`.
// Failed logins: one per attempt. ssh.invalid_user and the PAM lines describe the
// same attempts, so they are never added to it.
inline constexpr const char* kFailedLoginRules =
    "'ssh.failed_password','ssh.failed_publickey','ssh.failed_keyboard_interactive'";
inline constexpr const char* kInvalidUserRules = "'ssh.invalid_user'";
inline constexpr const char* kAcceptedRules = "'ssh.accepted_password','ssh.accepted_publickey'";
inline constexpr const char* kSudoCommandRules = "'sudo.command'";
inline constexpr const char* kSudoFailureRules =
    "'sudo.auth_failure','sudo.not_in_sudoers','sudo.command_not_allowed'";
inline constexpr const char* kSuRules = "'su.success','su.failed'";
inline constexpr const char* kSuFailedRules = "'su.failed'";
// Errors: journald priority err and worse, application ERROR/FATAL, failed units,
// PostgreSQL errors. One line can fire several (app.error and
// systemd.priority_err on a journald ERROR line): errors count distinct lines.
inline constexpr const char* kErrorRules =
    "'app.error','app.fatal','app.panic','app.journal_error','app.journal_fatal',"
    "'app.json_error','app.json_fatal','app.db_connection_error','systemd.priority_err',"
    "'systemd.unit_failed','systemd.failed_to_start','pg.error','pg.fatal','pg.panic'";
// The same without the rules that only repeat another's line, for the summary's
// per-rule counts (rule_hour counts hits, not lines).
inline constexpr const char* kHeadlineErrorRules =
    "'app.error','app.fatal','app.panic','app.journal_error','app.journal_fatal',"
    "'app.json_error','app.json_fatal','systemd.unit_failed','pg.error','pg.fatal','pg.panic'";
inline constexpr const char* kWarnRules = "'app.warn','app.json_warn'";
inline constexpr const char* kSlowRules = "'app.slow','app.json_slow'";

// The 7 windows before the range the baselines average over: local days for a
// day report (23 or 25 hours across DST), else the range moved back by whole days.
std::vector<ReportRange> baseline_windows(const ReportRange& range);
// The mean of `per_window` over the windows that end after `first_us` (the first
// data stored): nullopt when there is none.
std::optional<double> baseline_mean(const std::vector<ReportRange>& windows,
                                    const std::vector<int64_t>& per_window, int64_t first_us);

int hour_count(const ReportRange& range);
int hour_index(const ReportRange& range, int64_t ts_us);

void read_summary(sqlite3* db, Report& report);
void read_authentication(sqlite3* db, Report& report);
void read_privilege(sqlite3* db, Report& report);
void read_services(sqlite3* db, Report& report);
void read_alerts(sqlite3* db, Report& report);
void read_ingest(sqlite3* db, Report& report);

}  // namespace vigil::reports
