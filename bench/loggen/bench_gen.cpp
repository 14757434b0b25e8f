#include "loggen/bench_gen.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "loggen/messages.h"
#include "loggen/scenes.h"
#include "loggen/timefmt.h"

// Random draws are sequenced (one per statement, or in a braced list): the order in
// which a function's arguments are evaluated differs between compilers, and the
// output must not.

namespace loggen {
namespace {

int64_t ms(int64_t n) {
  return n * kUsPerMs;
}

// Produces the events of one kind of log; each call schedules one event (one or
// more lines) that starts at `now`.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual void schedule_hit(int64_t now) = 0;
  virtual void schedule_noise(int64_t now) = 0;
};

// Keeps the share of hit lines on target: random choices while the running share
// is within a few lines of it, a forced choice when it drifts further.
class HitController {
 public:
  explicit HitController(uint32_t ppm) : ppm_(ppm) {}

  bool want_hit(uint64_t hits, uint64_t lines, Rng& rng) const {
    const int64_t error = static_cast<int64_t>(hits) * 1'000'000 -
                          static_cast<int64_t>(ppm_) * static_cast<int64_t>(lines);
    if (error < -kSlack) return true;
    if (error > kSlack) return false;
    return rng.chance_ppm(ppm_);
  }

 private:
  static constexpr int64_t kSlack = int64_t{20} * 1'000'000;  // lines
  uint32_t ppm_;
};

// --- auth: one host's auth.log and syslog in one stream -------------------------------

struct AdminCommand {
  std::string_view command;
  std::string_view runas = "root";
};

constexpr std::array<AdminCommand, 16> kAdminCommands = {{
    {"/usr/bin/systemctl status governance-app"},
    {"/usr/bin/systemctl status postgresql"},
    {"/usr/bin/systemctl status nginx"},
    {"/usr/bin/systemctl restart governance-app"},
    {"/usr/bin/systemctl restart nginx"},
    {"/usr/bin/journalctl -u governance-app --since 1 day ago"},
    {"/usr/bin/grep Failed password /var/log/auth.log"},
    {"/usr/bin/tail -100 /var/log/governance-app/application.log"},
    {"/usr/bin/apt update"},
    {"/usr/bin/apt list --upgradable"},
    {"/usr/sbin/ufw status"},
    {"/usr/bin/ls -la /opt/backups/"},
    {"/usr/bin/psql -c SELECT * FROM pg_stat_activity;", "postgres"},
    {"/usr/bin/psql -c VACUUM ANALYZE;", "postgres"},
    {"/usr/sbin/logrotate -f /etc/logrotate.d/governance-app"},
    {"/usr/bin/lynis audit system"},
}};

struct TimerUnit {
  std::string_view unit;
  std::string_view description;
};

constexpr std::array<TimerUnit, 8> kTimerUnits = {{
    {"apt-daily.service", "Daily apt download activities"},
    {"apt-daily-upgrade.service", "Daily apt upgrade and clean activities"},
    {"logrotate.service", "Rotate log files"},
    {"man-db.service", "Daily man-db regeneration"},
    {"systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"},
    {"sysstat-collect.service", "system activity accounting tool"},
    {"dpkg-db-backup.service", "Daily dpkg database backup service"},
    {"e2scrub_all.service", "Online ext4 Metadata Check for All Filesystems"},
}};

class AuthSource : public EventSource {
 public:
  AuthSource(const BenchOptions& options, Timeline& timeline, Rng& rng)
      : options_(options),
        rng_(rng),
        scenes_(HostConfig{options.host, 1200, 1, options.start_us - 3 * kUsPerDay},
                Sinks{&timeline, &timeline}, rng),
        attackers_(make_ip_pool(rng, options.ip_count, options.attack ? 30 : 20)) {}

  void schedule_hit(int64_t now) override {
    // attack connection, admin login, admin sudo, sudo failure, attacker login
    static constexpr std::array<uint32_t, 5> kNormal = {60, 8, 25, 3, 0};
    static constexpr std::array<uint32_t, 5> kAttack = {92, 2, 4, 1, 1};
    switch (pick_weighted(rng_, options_.attack ? kAttack : kNormal)) {
      case 0:
        attack_connection(now);
        return;
      case 1:
        admin_login(now);
        return;
      case 2:
        admin_sudo(now, admin(), "pts/0");
        return;
      case 3:
        sudo_failure(now);
        return;
      default:
        attacker_login(now);
        return;
    }
  }

  void schedule_noise(int64_t now) override {
    // cron, timer unit, mail, firewall, dhcp, ssh probe
    static constexpr std::array<uint32_t, 6> kNormal = {45, 12, 6, 15, 2, 10};
    static constexpr std::array<uint32_t, 6> kAttack = {25, 8, 3, 20, 1, 40};
    switch (pick_weighted(rng_, options_.attack ? kAttack : kNormal)) {
      case 0:
        cron(now);
        return;
      case 1: {
        const TimerUnit& timer = rng_.pick(kTimerUnits);
        scenes_.timer_unit(now, timer.unit, timer.description, ms(rng_.between(20, 4000)));
        return;
      }
      case 2:
        scenes_.mail_to_root(now);
        return;
      case 3:
        scenes_.ufw_block(now, ipv4_attacker());
        return;
      case 4:
        scenes_.dhcp_renewal(now);
        return;
      default:
        scenes_.probe(now, attacker());
        return;
    }
  }

 private:
  const std::string& attacker() { return attackers_[rng_.skewed_below(attackers_.size())]; }

  std::string_view ipv4_attacker() {
    for (int tries = 0; tries < 8; ++tries) {
      const std::string& ip = attacker();
      if (ip.find(':') == std::string::npos) return ip;
    }
    return "198.18.0.1";
  }

  const Account& admin() { return account(rng_.one_in(2) ? "alice" : "bob"); }

  SudoRequest admin_request() {
    const AdminCommand& c = rng_.pick(kAdminCommands);
    return SudoRequest{c.command, c.runas, {}};
  }

  msg::Login attack_login() {
    const uint64_t r = rng_.below(100);
    if (r < 35) return {"root", true};
    if (r < 42) return {rng_.one_in(2) ? "postgres" : "deploy", true};
    return {rng_.pick(unknown_user_names()), false};
  }

  int attack_attempts() {
    const uint64_t r = rng_.below(100);
    if (r < 55) return 1;
    if (r < 75) return 2;
    if (r < 93) return 3;
    return 6;
  }

  void attack_connection(int64_t now) {
    const msg::Login login = attack_login();
    const std::string& ip = attacker();
    const int attempts = attack_attempts();
    scenes_.failed_connection(now, login, ip, attempts);
  }

  void attacker_login(int64_t now) {
    const std::string& ip = attacker();
    const int64_t duration = rng_.between(1, 30) * kUsPerMin;
    scenes_.login(now, account("deploy"), ip, false, duration);
  }

  void admin_sudo(int64_t t, const Account& user, std::string_view tty) {
    const SudoRequest request = admin_request();
    const int64_t duration = ms(rng_.between(50, 20000));
    scenes_.sudo(t, user, tty, request, duration);
  }

  void admin_login(int64_t now) {
    const Account& user = admin();
    const auto session = scenes_.login(now, user, user.name == "alice" ? "10.0.0.15" : "10.0.0.23",
                                       true, rng_.between(2, 45) * kUsPerMin);
    const auto commands = rng_.below(3);
    for (uint64_t i = 0; i < commands; ++i) {
      const int64_t at = now + rng_.between(20, 100) * kUsPerSec * static_cast<int64_t>(i + 1);
      if (at < session.end_us) admin_sudo(at, user, session.tty);
    }
  }

  void sudo_failure(int64_t now) {
    const Account& user = account("mallory");
    const SudoRequest request{
        rng_.one_in(2) ? "/bin/bash" : "/usr/bin/cat /etc/shadow", "root", {}};
    if (rng_.one_in(2)) {
      scenes_.sudo_wrong_password(now, user, "pts/1", request);
    } else {
      scenes_.sudo_not_in_sudoers(now, user, "pts/1", request);
    }
  }

  void cron(int64_t now) {
    if (rng_.one_in(4)) {
      scenes_.cron_job(now, account("root"), "cd / && run-parts --report /etc/cron.hourly",
                       ms(rng_.between(5, 300)));
    } else {
      scenes_.cron_job(now, account("governance"), "/opt/governance-app/scripts/sync-check.sh",
                       ms(rng_.between(200, 3000)));
    }
  }

  const BenchOptions& options_;
  Rng& rng_;
  HostScenes scenes_;
  std::vector<std::string> attackers_;
};

// --- app: governance-app's application.log --------------------------------------------

constexpr std::array<std::string_view, 8> kGetPaths = {
    "/api/proposals",      "/api/proposals/{}",     "/api/proposals/{}/votes",
    "/api/maintainers",    "/api/repositories",     "/api/proposals/{}/status",
    "/api/economic-nodes", "/api/governance/tiers",
};

class AppSource : public EventSource {
 public:
  AppSource(const BenchOptions& options, Timeline& timeline, Rng& rng)
      : options_(options),
        timeline_(timeline),
        rng_(rng),
        clients_(make_ip_pool(rng, options.ip_count, options.attack ? 30 : 20)) {}

  void schedule_hit(int64_t now) override {
    // slow query, slow request, rate limit, bad webhook signature, db error,
    // webhook timeout, 500
    static constexpr std::array<uint32_t, 7> kNormal = {30, 15, 5, 3, 25, 10, 12};
    static constexpr std::array<uint32_t, 7> kAttack = {6, 4, 50, 25, 5, 3, 7};
    switch (pick_weighted(rng_, options_.attack ? kAttack : kNormal)) {
      case 0: {
        const int64_t took = rng_.between(500, 6000);
        warn(now, "governance_app::db",
             fmt::format("slow query took {}ms: {}", took, rng_.pick(msg::kSlowQueries)));
        return;
      }
      case 1: {
        const std::string target = path();
        warn(now, "governance_app::api",
             fmt::format("slow request: GET {} took {}ms", target, rng_.between(1000, 9000)));
        return;
      }
      case 2: {
        const std::string& ip = client();
        warn(now, "governance_app::api",
             fmt::format("rate limit exceeded for {}: {} requests in 60s", ip,
                         rng_.between(121, 900)));
        return;
      }
      case 3:
        warn(now, "governance_app::github",
             fmt::format("rejected webhook from {}: invalid signature", client()));
        return;
      case 4:
        error(now, "governance_app::db", "query failed: connection refused (os error 111)");
        return;
      case 5:
        error(now, "governance_app::github", "webhook delivery failed: timeout after 30s");
        return;
      default: {
        const int64_t proposal = rng_.between(1, 400);
        error(now, "governance_app::api",
              fmt::format("POST /api/proposals/{}/votes 500 in {}ms: internal error", proposal,
                          rng_.between(5, 5000)));
        return;
      }
    }
  }

  void schedule_noise(int64_t now) override {
    // request, health check, sync, webhook received, pool stats
    static constexpr std::array<uint32_t, 5> kWeights = {70, 12, 6, 6, 6};
    switch (pick_weighted(rng_, kWeights)) {
      case 0:
        info(now, "governance_app::api", request());
        return;
      case 1:
        info(now, "governance_app::api",
             fmt::format("GET /health 200 in {}ms", rng_.between(0, 3)));
        return;
      case 2: {
        const int64_t proposals = rng_.between(0, 40);
        info(now, "governance_app::sync",
             fmt::format("synced {} proposals in {}ms", proposals, rng_.between(20, 480)));
        return;
      }
      case 3: {
        const uint64_t delivery = rng_.below(0x100000000);
        info(now, "governance_app::github",
             fmt::format("webhook received: pull_request.synchronize delivery={:08x}-{:04x}",
                         delivery, rng_.below(0x10000)));
        return;
      }
      default: {
        const int64_t idle = rng_.between(0, 10);
        line(now, Category::kAppDebug, "DEBUG", "governance_app::db",
             fmt::format("pool stats: size=10 idle={} in_use={}", idle, 10 - idle));
        return;
      }
    }
  }

 private:
  std::string path() {
    const std::string_view pattern = rng_.pick(kGetPaths);
    return fmt::format(fmt::runtime(pattern), rng_.between(1, 400));
  }

  std::string request() {
    static constexpr std::array<uint32_t, 5> kStatusWeights = {80, 8, 5, 4, 3};
    static constexpr std::array<int, 5> kStatuses = {200, 304, 404, 401, 201};
    const int status = kStatuses[pick_weighted(rng_, kStatusWeights)];
    if (status == 201) {
      const int64_t proposal = rng_.between(1, 400);
      return fmt::format("POST /api/proposals/{}/votes 201 in {}ms", proposal, rng_.between(8, 90));
    }
    const std::string target = path();
    return fmt::format("GET {} {} in {}ms", target, status, rng_.between(1, 120));
  }

  const std::string& client() { return clients_[rng_.skewed_below(clients_.size())]; }

  void line(int64_t now, Category c, std::string_view level, std::string_view target,
            const std::string& text) {
    timeline_.add(now, c, Origin{}, msg::app_line(level, target, text));
  }
  void info(int64_t now, std::string_view target, const std::string& text) {
    line(now, Category::kAppInfo, "INFO", target, text);
  }
  void warn(int64_t now, std::string_view target, const std::string& text) {
    line(now, Category::kAppWarn, "WARN", target, text);
  }
  void error(int64_t now, std::string_view target, const std::string& text) {
    line(now, Category::kAppError, "ERROR", target, text);
  }

  const BenchOptions& options_;
  Timeline& timeline_;
  Rng& rng_;
  std::vector<std::string> clients_;
};

std::unique_ptr<EventSource> make_source(const BenchOptions& options, Timeline& timeline,
                                         Rng& rng) {
  if (options.kind == BenchKind::kApp) return std::make_unique<AppSource>(options, timeline, rng);
  return std::make_unique<AuthSource>(options, timeline, rng);
}

}  // namespace

void run_bench(const BenchOptions& options, LineWriter& writer) {
  Rng rng(options.seed);
  Timeline timeline;
  const auto source = make_source(options, timeline, rng);
  const HitController controller(options.hit_ppm);
  const int64_t mean_gap_us =
      std::max<int64_t>(1, options.span_us / static_cast<int64_t>(options.lines));
  int64_t now = options.start_us;
  while (writer.stats().lines < options.lines) {
    while (!timeline.empty() && timeline.next_time() <= now &&
           writer.stats().lines < options.lines) {
      writer.write(timeline.pop());
    }
    if (writer.stats().lines >= options.lines) break;
    const uint64_t before = timeline.scheduled_lines();
    if (controller.want_hit(timeline.scheduled_hits(), before, rng)) {
      source->schedule_hit(now);
    } else {
      source->schedule_noise(now);
    }
    // The source schedules into `timeline` (it holds a reference), which cppcheck
    // does not see: to it scheduled_lines() is still `before`.
    // cppcheck-suppress duplicateExpression ; see above
    const auto added = static_cast<int64_t>(timeline.scheduled_lines() - before);
    // cppcheck-suppress knownArgument ; see above
    now += static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * mean_gap_us * added) + 1));
  }
}

}  // namespace loggen
