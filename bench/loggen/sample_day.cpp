#include "loggen/sample_day.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include "loggen/messages.h"
#include "loggen/scenes.h"
#include "loggen/timefmt.h"
#include "loggen/timeline.h"

namespace loggen {
namespace {

constexpr std::string_view kHost = "web1";
constexpr std::string_view kBruteForceIp = "203.0.113.77";
constexpr std::string_view kSprayIp = "198.51.100.23";
constexpr std::string_view kScannerIp = "2001:db8:dead:beef::42";
constexpr std::string_view kAppUnit = "governance-app.service";
constexpr std::string_view kAppDescription = "BTCDecoded Governance App";
constexpr std::string_view kPgUnit = "postgresql@15-main.service";
constexpr std::string_view kPgDescription = "PostgreSQL Cluster 15-main";
constexpr int kAppPid = 1500;
constexpr std::string_view kDbRefused = "query failed: connection refused (os error 111)";

int64_t ms(int64_t n) {
  return n * kUsPerMs;
}
int64_t sec(int64_t n) {
  return n * kUsPerSec;
}

// A PostgreSQL process logging to syslog: "[seq-part] LEVEL:  text".
struct PgProcess {
  int pid;
  int seq = 0;
};

constexpr std::array<std::string_view, 7> kApiPaths = {
    "/api/proposals",    "/api/proposals/{}",        "/api/proposals/{}/votes", "/api/maintainers",
    "/api/repositories", "/api/proposals/{}/status", "/api/economic-nodes",
};

// A sudo command at a given time of the sample day.
struct TimedSudo {
  int hour;
  int minute;
  int second;
  int milli;
  SudoRequest request;
  int64_t duration_us;
};

// Scenes run in time order, so that process ids and session numbers, which the
// host hands out as time goes on, increase through the day.
class Agenda {
 public:
  using Action = std::function<void(int64_t)>;

  void plan(int64_t t, Action action) {
    entries_.push_back(Entry{t, next_seq_++, std::move(action)});
    std::push_heap(entries_.begin(), entries_.end(), later);
  }

  void run() {
    while (!entries_.empty()) {
      std::pop_heap(entries_.begin(), entries_.end(), later);
      Entry entry = std::move(entries_.back());
      entries_.pop_back();
      entry.action(entry.time_us);
    }
  }

 private:
  struct Entry {
    int64_t time_us;
    uint64_t seq;
    Action action;
  };
  static bool later(const Entry& a, const Entry& b) {
    return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
  }

  std::vector<Entry> entries_;
  uint64_t next_seq_ = 0;
};

// The app's ten pooled connections, opened when it started at boot.
std::vector<PgProcess> pool_started_with_app() {
  std::vector<PgProcess> pool;
  pool.reserve(10);
  for (int i = 0; i < 10; ++i) pool.push_back(PgProcess{kAppPid + 2 + 2 * i, 3 * i});
  return pool;
}

class SampleDay {
 public:
  explicit SampleDay(uint64_t seed)
      : rng_(seed),
        day_(us_from_civil(Civil{2026, 11, 28, 0, 0, 0, 0})),
        scenes_(HostConfig{kHost, 184'200, 41, day_ - 3 * kUsPerDay - sec(7321) - 123'457},
                Sinks{&auth_, &syslog_}, rng_) {}

  void build() {
    background_ips();
    cron_background();
    timers_background();
    network_background();
    bots_background();
    postgres_background();
    app_background();
    admin_sessions();
    brute_force();
    spray_and_compromise();
    ipv6_scanner();
    mallory();
    rsyslog_switch();
    outage();
    agenda_.run();
  }

  void write(const std::string& dir) {
    const StampPolicy syslog_policy{StampStyle::kRfc3164, rsyslog_switch_us(), true};
    write_file(dir + "/auth.log", auth_, syslog_policy);
    write_file(dir + "/syslog", syslog_, syslog_policy);
    write_file(dir + "/application.log", app_, StampPolicy{StampStyle::kApp, 0, true});
  }

 private:
  int64_t at(int h, int m, int s, int milli = 0) const {
    return day_ + h * kUsPerHour + m * kUsPerMin + sec(s) + ms(milli);
  }
  int64_t jitter_ms(int64_t max_ms) { return ms(rng_.between(0, max_ms)); }
  int64_t random_time_of_day() { return day_ + static_cast<int64_t>(rng_.below(kUsPerDay)); }

  // rsyslog is restarted with its high-precision template just after this.
  int64_t rsyslog_switch_us() const { return at(12, 0, 5, 105); }
  // governance-app writes nothing of its own between these (errors or down).
  int64_t outage_start_us() const { return at(14, 4, 58, 400); }
  int64_t recovery_us() const { return at(14, 19, 40, 600); }
  bool app_in_outage(int64_t t) const { return t >= outage_start_us() && t < recovery_us(); }
  // PostgreSQL is down between these.
  bool db_down(int64_t t) const { return t >= outage_start_us() && t < at(14, 19, 22); }

  static void write_file(const std::string& path, Timeline& timeline, StampPolicy policy) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"),
                                                         &std::fclose);
    if (!file) throw std::runtime_error(path + ": " + std::generic_category().message(errno));
    LineWriter writer(file.get(), path, policy, 0);
    drain(timeline, writer);
    writer.flush();
    print_stats(stderr, path, writer.stats(), 0.0);
  }

  // --- helpers ------------------------------------------------------------------------

  void systemd(int64_t t, Category c, std::string text) {
    syslog_.add(t, c, scenes_.origin("systemd", 1), std::move(text));
  }

  int pg(int64_t t, PgProcess& p, std::string_view level, std::string_view text) {
    ++p.seq;
    pg_part(t, p, level, text, 1);
    return p.seq;
  }
  void pg_part(int64_t t, const PgProcess& p, std::string_view level, std::string_view text,
               int part) {
    const bool fatal = level == "FATAL" || level == "PANIC";
    syslog_.add(t, fatal ? Category::kPostgresFatal : Category::kPostgres,
                scenes_.origin("postgres", p.pid),
                fmt::format("[{}-{}] {}:  {}", p.seq, part, level, text));
  }

  void app(int64_t t, Category c, std::string_view level, std::string_view target,
           std::string_view text) {
    app_.add(t, c, Origin{}, msg::app_line(level, target, text));
  }
  void app_info(int64_t t, std::string_view target, std::string_view text) {
    app(t, Category::kAppInfo, "INFO", target, text);
  }
  void app_warn(int64_t t, std::string_view target, std::string_view text) {
    app(t, Category::kAppWarn, "WARN", target, text);
  }
  void app_error(int64_t t, std::string_view target, std::string_view text) {
    app(t, Category::kAppError, "ERROR", target, text);
  }

  std::string_view next_bot_ip() {
    if (next_bot_ip_ == bot_ips_.size())
      throw std::logic_error("sample day: bot addresses used up");
    return bot_ips_[next_bot_ip_++];
  }

  // --- background -------------------------------------------------------------------------

  // Background attackers never reuse an address, so that only the story's
  // addresses cross a threshold; the story's addresses are kept out.
  void background_ips() {
    for (std::string& ip : make_ip_pool(rng_, 1000, 15)) {
      if (ip != kBruteForceIp && ip != kSprayIp && ip != kScannerIp)
        bot_ips_.push_back(std::move(ip));
    }
  }

  void cron_background() {
    const Account& governance = account("governance");
    const Account& root = account("root");
    for (int minute = 0; minute < 24 * 60; ++minute) {
      const int64_t t = at(0, minute, 0, 180) + jitter_ms(700);
      cron(t, governance, "/opt/governance-app/scripts/sync-check.sh", ms(rng_.between(300, 2500)));
    }
    for (int hour = 0; hour < 24; ++hour) {
      const int64_t t = at(hour, 17, 1, 100) + jitter_ms(300);
      cron(t, root, "cd / && run-parts --report /etc/cron.hourly", ms(rng_.between(8, 90)));
    }
    cron(at(6, 25, 1, 40), root,
         "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }", sec(41));
    mail(at(6, 25, 42, 310));
    backup_job();
  }

  void cron(int64_t t, const Account& user, std::string_view command, int64_t duration_us) {
    agenda_.plan(t, [this, &user, command, duration_us](int64_t when) {
      scenes_.cron_job(when, user, command, duration_us);
    });
  }

  void mail(int64_t t) {
    agenda_.plan(t, [this](int64_t when) { scenes_.mail_to_root(when); });
  }

  void failed_connection(int64_t t, msg::Login login, std::string_view ip, int attempts) {
    agenda_.plan(t, [this, login, ip, attempts](int64_t when) {
      scenes_.failed_connection(when, login, ip, attempts);
    });
  }

  void probe(int64_t t, std::string_view ip) {
    agenda_.plan(t, [this, ip](int64_t when) { scenes_.probe(when, ip); });
  }

  // 02:00 the backup job dumps the database through sudo -u postgres.
  void backup_job() {
    const Account& root = account("root");
    cron(at(2, 0, 1, 60), root, "/opt/governance-app/scripts/backup.sh", sec(97));
    scenes_.sudo(at(2, 0, 1, 410), root, "",
                 SudoRequest{"/usr/bin/pg_dump -d governance_production -f "
                             "/opt/backups/postgresql/governance_20261128_020001.sql",
                             "postgres", "/root"},
                 sec(95));
    mail(at(2, 1, 38, 520));
  }

  void timers_background() {
    for (int slot = 0; slot < 24 * 6; ++slot) {
      const int64_t t = at(0, slot * 10, 0, 400) + jitter_ms(400);
      scenes_.timer_unit(t, "sysstat-collect.service", "system activity accounting tool",
                         ms(rng_.between(20, 60)));
    }
    scenes_.timer_unit(at(0, 0, 2, 110), "logrotate.service", "Rotate log files", sec(2));
    scenes_.timer_unit(at(0, 0, 2, 130), "dpkg-db-backup.service",
                       "Daily dpkg database backup service", ms(640));
    scenes_.timer_unit(at(0, 7, 10, 220), "man-db.service", "Daily man-db regeneration", sec(3));
    scenes_.timer_unit(at(6, 12, 44, 30), "apt-daily.service", "Daily apt download activities",
                       sec(9));
    scenes_.timer_unit(at(6, 31, 2, 500), "apt-daily-upgrade.service",
                       "Daily apt upgrade and clean activities", sec(14));
    scenes_.timer_unit(at(15, 22, 31, 80), "systemd-tmpfiles-clean.service",
                       "Cleanup of Temporary Directories", ms(90));
  }

  void network_background() {
    for (int64_t t = at(0, 11, 23); t < day_ + kUsPerDay; t += sec(rng_.between(1500, 1800))) {
      scenes_.dhcp_renewal(t);
    }
    for (int i = 0; i < 320; ++i) {
      std::string_view ip = next_bot_ip();
      while (ip.find(':') != std::string_view::npos) ip = next_bot_ip();
      scenes_.ufw_block(random_time_of_day(), ip);
    }
  }

  // Internet background radiation: one connection per address, at most two passwords.
  void bots_background() {
    for (int i = 0; i < 160; ++i) {
      const bool root = rng_.below(100) < 40;
      const msg::Login login =
          root ? msg::Login{"root", true} : msg::Login{rng_.pick(unknown_user_names()), false};
      const int64_t t = random_time_of_day();
      failed_connection(t, login, next_bot_ip(), static_cast<int>(rng_.between(1, 2)));
    }
    for (int i = 0; i < 110; ++i) probe(random_time_of_day(), next_bot_ip());
  }

  void postgres_background() {
    for (int slot = 0; slot < 24 * 4; ++slot) {
      agenda_.plan(at(0, slot * 15 + 4, 12, 300) + jitter_ms(900), [this](int64_t when) {
        if (!db_down(when)) checkpoint(when);
      });
    }
  }

  void checkpoint(int64_t t) {
    const int64_t buffers = rng_.between(8, 400);
    const int64_t write_ms = buffers * 100 + rng_.between(0, 99);
    const int64_t sync_ms = rng_.between(2, 9);
    const int64_t total_ms = write_ms + sync_ms + rng_.between(1, 20);
    pg(t, checkpointer_, "LOG", "checkpoint starting: time");
    pg(t + ms(total_ms), checkpointer_, "LOG",
       fmt::format("checkpoint complete: wrote {} buffers ({}.{}%); 0 WAL file(s) added, 0 "
                   "removed, 0 recycled; write={}.{:03} s, sync=0.{:03} s, total={}.{:03} s; sync "
                   "files={}, longest=0.00{} s, average=0.001 s; distance={} kB, estimate={} kB",
                   buffers, buffers * 100 / 16384, buffers * 1000 / 16384 % 10, write_ms / 1000,
                   write_ms % 1000, sync_ms, total_ms / 1000, total_ms % 1000, buffers / 12 + 1,
                   sync_ms / 2 + 1, buffers * 8, buffers * 9));
  }

  std::string api_path() {
    const std::string_view pattern = rng_.pick(kApiPaths);
    return fmt::format(fmt::runtime(pattern), rng_.between(1, 180));
  }

  // Every random draw below gets its own statement: the order in which a
  // function's arguments are evaluated differs between compilers, the output must not.
  void app_background() {
    for (int minute = 0; minute < 24 * 60; ++minute) {
      const int64_t t = at(0, minute, 30, 5) + jitter_ms(40);
      if (!app_in_outage(t)) app_info(t, "governance_app::api", "GET /health 200 in 1ms");
    }
    for (int slot = 0; slot < 24 * 12; ++slot) {
      const int64_t t = at(0, slot * 5, 15, 200) + jitter_ms(300);
      if (app_in_outage(t)) continue;
      const int64_t proposals = rng_.between(0, 16);
      app_info(t, "governance_app::sync",
               fmt::format("synced {} proposals in {}ms", proposals, rng_.between(40, 420)));
    }
    app_requests();
    app_webhooks();
    app_slow_queries();
    for (const int64_t t : {at(2, 14, 9, 331), at(10, 7, 45, 120), at(21, 33, 2, 808)}) {
      app_error(t, "governance_app::github", "webhook delivery failed: timeout after 30s");
    }
  }

  // More traffic in working hours than at night.
  int64_t busy_time_of_day() {
    static constexpr std::array<uint32_t, 24> kHourWeights = {1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 8,
                                                              7, 8, 9, 9, 8, 7, 5, 4, 3, 2, 2, 1};
    const auto hour = static_cast<int64_t>(pick_weighted(rng_, kHourWeights));
    return day_ + hour * kUsPerHour + static_cast<int64_t>(rng_.below(kUsPerHour));
  }

  std::string api_request() {
    static constexpr std::array<uint32_t, 4> kStatusWeights = {86, 7, 4, 3};
    static constexpr std::array<int, 4> kStatuses = {200, 304, 404, 401};
    if (rng_.one_in(12)) {
      const int64_t proposal = rng_.between(1, 180);
      return fmt::format("POST /api/proposals/{}/votes 201 in {}ms", proposal, rng_.between(9, 80));
    }
    const int status = kStatuses[pick_weighted(rng_, kStatusWeights)];
    const std::string target = api_path();
    return fmt::format("GET {} {} in {}ms", target, status, rng_.between(2, 140));
  }

  void app_requests() {
    for (int i = 0; i < 1500; ++i) {
      const int64_t t = busy_time_of_day();
      const std::string request = api_request();
      if (!app_in_outage(t)) app_info(t, "governance_app::api", request);
    }
  }

  void app_webhooks() {
    for (int i = 0; i < 90; ++i) {
      const int64_t t = busy_time_of_day();
      const uint64_t delivery = rng_.below(0x100000000);
      const uint64_t part = rng_.below(0x10000);
      if (app_in_outage(t)) continue;
      app_info(t, "governance_app::github",
               fmt::format("webhook received: pull_request.synchronize delivery={:08x}-{:04x}",
                           delivery, part));
    }
  }

  // WARN slow query (≥ 500 ms) in the app; PostgreSQL logs those over 1 s itself.
  void app_slow_queries() {
    for (int i = 0; i < 36; ++i) {
      const int64_t t = busy_time_of_day();
      if (app_in_outage(t)) continue;
      const int64_t took = rng_.between(500, 4800);
      const std::string_view query = rng_.pick(msg::kSlowQueries);
      app_warn(t, "governance_app::db", fmt::format("slow query took {}ms: {}", took, query));
      if (took < 1000) continue;
      agenda_.plan(t - ms(1), [this, took, query](int64_t when) {
        PgProcess& backend = pool_backends_[rng_.below(pool_backends_.size())];
        const uint64_t micros = rng_.below(1000);
        pg(when, backend, "LOG",
           fmt::format("duration: {}.{:03} ms  execute <unnamed>: {}", took, micros, query));
      });
    }
  }

  // --- story ------------------------------------------------------------------------------

  // A login at `start` (publickey unless `password`), sudo commands at their
  // times, and the logout `duration` later.
  void session(int64_t start, std::string_view user, std::string_view ip, int64_t duration,
               std::vector<TimedSudo> commands, bool password = false) {
    agenda_.plan(
        start, [this, user, ip, duration, password, commands = std::move(commands)](int64_t when) {
          const Account& who = account(user);
          const auto opened = scenes_.login(when, who, ip, !password, duration);
          for (const TimedSudo& c : commands) {
            scenes_.sudo(at(c.hour, c.minute, c.second, c.milli), who, opened.tty, c.request,
                         c.duration_us);
          }
        });
  }

  void admin_sessions() {
    session(
        at(8, 2, 13, 412), "alice", "10.0.0.15", 26 * kUsPerMin,
        {{8, 3, 2, 611, {"/usr/bin/systemctl status governance-app"}, ms(180)},
         {8, 3, 20, 148, {"/usr/bin/systemctl status postgresql"}, ms(150)},
         {8, 3, 31, 902, {"/usr/bin/systemctl status nginx"}, ms(140)},
         {8, 5, 12, 377, {"/usr/bin/journalctl -u governance-app --since 1 day ago"}, sec(21)},
         {8, 6, 40, 530, {"/usr/bin/grep Failed password /var/log/auth.log"}, ms(90)},
         {8, 7, 55, 219, {"/usr/bin/tail -100 /var/log/governance-app/application.log"}, ms(20)},
         {8, 9, 10, 764, {"/usr/bin/ls -la /opt/backups/"}, ms(10)},
         {8, 10, 30, 85, {"/opt/governance-app/scripts/verify-backup.sh"}, sec(48)}});
    session(at(9, 15, 30, 88), "bob", "10.0.0.23", 33 * kUsPerMin,
            {{9, 16, 2, 431, {"/usr/bin/apt update"}, sec(11)},
             {9, 17, 30, 690, {"/usr/bin/apt list --upgradable"}, sec(2)},
             {9, 18, 10, 12, {"/usr/bin/apt upgrade -y"}, sec(174)}});
    session(at(10, 30, 2, 77), "deploy", "10.0.0.40", 5 * kUsPerMin + sec(12), {});
    // bob turns on rsyslog's high-precision timestamps (see rsyslog_switch()).
    session(at(11, 55, 10, 301), "bob", "10.0.0.23", 15 * kUsPerMin,
            {{11, 56, 20, 257, {"/usr/bin/vi /etc/rsyslog.conf"}, sec(200)},
             {12, 0, 5, 41, {"/usr/bin/systemctl restart rsyslog"}, ms(300)}});
    // alice is paged during the outage and restarts the database, then the app.
    session(at(14, 18, 40, 250), "alice", "10.0.0.15", 14 * kUsPerMin,
            {{14, 18, 58, 866, {"/usr/bin/systemctl status governance-app"}, ms(210)},
             {14, 19, 4, 318, {"/usr/bin/journalctl -u governance-app -n 50"}, ms(400)},
             {14, 19, 20, 50, {"/usr/bin/systemctl restart postgresql"}, sec(2)},
             {14, 19, 40, 40, {"/usr/bin/systemctl restart governance-app"}, ms(600)},
             {14, 21, 5, 873, {"/usr/bin/systemctl status governance-app"}, ms(190)}});
    session(at(15, 45, 11, 530), "deploy", "10.0.0.40", 4 * kUsPerMin + sec(3), {});
    session(at(17, 30, 5, 700), "alice", "10.0.0.15", 22 * kUsPerMin,
            {{17,
              31,
              40,
              522,
              {"/usr/bin/psql -c SELECT * FROM pg_stat_activity;", "postgres"},
              ms(120)},
             {17, 35, 2, 199, {"/usr/sbin/ufw status"}, ms(300)}});
    session(at(20, 10, 44, 15), "bob", "10.0.0.23", 21 * kUsPerMin,
            {{20, 11, 10, 704, {"/usr/bin/systemctl status governance-app"}, ms(170)},
             {20, 12, 0, 461, {"/usr/bin/grep Failed password /var/log/auth.log"}, ms(80)},
             {20, 14, 30, 933, {"/usr/bin/lynis audit system"}, sec(118)}});
  }

  // (a) 20 connections of 3 passwords each: 60 failed passwords in under 4 minutes.
  void brute_force() {
    static constexpr std::array<msg::Login, 20> kLogins = {{
        {"root", true},  {"admin", false}, {"root", true},     {"ubuntu", false}, {"root", true},
        {"test", false}, {"admin", false}, {"root", true},     {"oracle", false}, {"pi", false},
        {"root", true},  {"user", false},  {"postgres", true}, {"root", true},    {"ubuntu", false},
        {"git", false},  {"root", true},   {"support", false}, {"admin", false},  {"root", true},
    }};
    int64_t t = at(3, 12, 3, 118);
    for (const msg::Login& login : kLogins) {
      failed_connection(t, login, kBruteForceIp, 3);
      t += ms(11'400) + jitter_ms(200);
    }
  }

  // (a) One password per user for 40 users over an hour; (c) later the address
  // logs in as deploy with a password.
  void spray_and_compromise() {
    std::vector<msg::Login> logins = {{"alice", true},    {"bob", true},      {"deploy", true},
                                      {"postgres", true}, {"www-data", true}, {"mallory", true}};
    const auto& unknown = unknown_user_names();
    for (size_t i = 0; logins.size() < 40; ++i) logins.push_back({unknown[i], false});
    for (size_t i = 0; i < logins.size(); ++i) {
      const size_t j = i + rng_.below(logins.size() - i);
      std::swap(logins[i], logins[j]);
    }
    int64_t t = at(4, 0, 17, 402);
    for (const msg::Login& login : logins) {
      failed_connection(t, login, kSprayIp, 1);
      t += sec(80) + jitter_ms(15'000);
    }
    session(at(5, 47, 12, 640), "deploy", kSprayIp, 11 * kUsPerMin + sec(28), {}, true);
  }

  // (a) An IPv6 scanner: probes, 20 user names without a password, then root.
  void ipv6_scanner() {
    int64_t t = at(9, 40, 2, 11);
    for (int i = 0; i < 6; ++i) {
      probe(t, kScannerIp);
      t += ms(2'500) + jitter_ms(2'000);
    }
    const auto& unknown = unknown_user_names();
    for (size_t i = 0; i < 20; ++i) {
      failed_connection(t, {unknown[unknown.size() - 1 - i], false}, kScannerIp, 0);
      t += ms(14'000) + jitter_ms(6'000);
    }
    failed_connection(at(9, 48, 31, 907), {"root", true}, kScannerIp, 3);
    failed_connection(at(9, 49, 20, 311), {"root", true}, kScannerIp, 3);
  }

  // (b) mallory fails sudo three times, then is refused as not in sudoers.
  void mallory() {
    agenda_.plan(at(16, 35, 20, 905), [this](int64_t when) {
      const Account& user = account("mallory");
      const auto opened = scenes_.login(when, user, "10.0.0.31", false, 11 * kUsPerMin + sec(41));
      scenes_.sudo_wrong_password(at(16, 41, 58, 126), user, opened.tty,
                                  {"/usr/bin/cat /etc/shadow"});
      scenes_.sudo_not_in_sudoers(at(16, 43, 30, 774), user, opened.tty, {"/bin/bash"});
    });
  }

  // bob restarts rsyslog after enabling its high-precision (RFC 3339) template.
  void rsyslog_switch() {
    const Origin rsyslogd = scenes_.origin("rsyslogd");
    const int64_t t = at(12, 0, 5, 102);
    systemd(t, Category::kSystemd, msg::unit_stopping("rsyslog.service", "System Logging Service"));
    syslog_.add(t + ms(2), Category::kRsyslog, rsyslogd,
                "[origin software=\"rsyslogd\" swVersion=\"8.2302.0\" x-pid=\"498\" "
                "x-info=\"https://www.rsyslog.com\"] exiting on signal 15.");
    systemd(t + ms(8), Category::kSystemd, msg::unit_deactivated("rsyslog.service"));
    systemd(t + ms(9), Category::kSystemd,
            msg::unit_stopped("rsyslog.service", "System Logging Service"));
    systemd(t + ms(13), Category::kSystemd,
            msg::unit_starting("rsyslog.service", "System Logging Service"));
    syslog_.add(t + ms(78), Category::kRsyslog, rsyslogd,
                "imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from "
                "systemd.  [v8.2302.0]");
    syslog_.add(t + ms(79), Category::kRsyslog, rsyslogd,
                "[origin software=\"rsyslogd\" swVersion=\"8.2302.0\" x-pid=\"23817\" "
                "x-info=\"https://www.rsyslog.com\"] start");
    systemd(t + ms(80), Category::kSystemd,
            msg::unit_started("rsyslog.service", "System Logging Service"));
  }

  // --- (d) the outage -----------------------------------------------------------------------

  void outage() {
    pool_exhaustion();
    agenda_.plan(outage_start_us(), [this](int64_t when) { postgres_crash(when); });
    app_fails_requests();
    plan_restart(app_main_exits(at(14, 6, 30, 512)) + sec(30), 1);
    agenda_.plan(at(14, 19, 20, 180), [this](int64_t when) { postgres_restart(when); });
    agenda_.plan(recovery_us(), [this](int64_t when) { app_recovers(when); });
  }

  // systemd's restart `counter` of the app; after five, the start limit is hit.
  void plan_restart(int64_t t, int counter) {
    agenda_.plan(t, [this, counter](int64_t when) {
      if (counter > 5) {
        app_start_limit_hit(when);
        return;
      }
      plan_restart(app_restart_fails(when, counter) + sec(30), counter + 1);
    });
  }

  // 14:02-14:04: the pool is exhausted and PostgreSQL turns clients away.
  void pool_exhaustion() {
    for (int i = 0; i < 6; ++i) {
      const int64_t t = at(14, 2, 10 + i * 21, static_cast<int>(rng_.below(1000)));
      app_warn(t, "governance_app::db",
               fmt::format("connection pool exhausted: 10/10 connections in use, request waited "
                           "{}ms",
                           rng_.between(4000, 5000)));
    }
    for (int i = 0; i < 8; ++i) {
      const bool app_saw_it = i % 2 == 0;
      agenda_.plan(at(14, 3, 5 + i * 13, static_cast<int>(rng_.below(1000))),
                   [this, app_saw_it](int64_t when) {
                     refused_backend(when, "sorry, too many clients already", app_saw_it);
                   });
    }
  }

  // A new backend refuses its client; the app logs the error when it was its client.
  void refused_backend(int64_t t, std::string_view reason, bool app_saw_it) {
    PgProcess backend{scenes_.new_pid()};
    pg(t, backend, "FATAL", reason);
    if (app_saw_it) {
      app_error(t + ms(2), "governance_app::db",
                fmt::format("query failed: error returned from database: {}", reason));
    }
  }

  // 14:04:58 the OOM killer kills a backend; the postmaster cannot reinitialise.
  void postgres_crash(int64_t t) {
    const int victim = pool_backends_[6].pid;
    kernel(t - ms(3),
           "postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|"
           "__GFP_COMP), order=0, oom_score_adj=0");
    kernel(t - ms(2), fmt::format("Out of memory: Killed process {} (postgres) "
                                  "total-vm:4521340kB, anon-rss:3012264kB, file-rss:1204kB, "
                                  "shmem-rss:141232kB, UID:110 pgtables:6120kB oom_score_adj:0",
                                  victim));
    systemd(t - ms(1), Category::kUnitFailure,
            fmt::format("{}: A process of this unit has been killed by the OOM killer.", kPgUnit));
    PgProcess& pm = postmaster_;
    pg(t + ms(100), pm, "LOG",
       fmt::format("server process (PID {}) was terminated by signal 9: Killed", victim));
    pg_part(t + ms(100), pm, "DETAIL",
            "Failed process was running: SELECT p.id, p.title, p.status FROM proposals p JOIN "
            "votes v ON v.proposal_id = p.id WHERE p.status = $1 ORDER BY p.created_at DESC",
            2);
    pg(t + ms(101), pm, "LOG", "terminating any other active server processes");
    for (int i = 0; i < 2; ++i) {
      refused_backend(t + ms(180 + i * 90), "the database system is in recovery mode", true);
    }
    pg(t + ms(420), pm, "LOG", "all server processes terminated; reinitializing");
    pg(t + ms(431), pm, "FATAL", "could not map anonymous shared memory: Cannot allocate memory");
    pg_part(t + ms(431), pm, "HINT",
            "This error usually means that PostgreSQL's request for a shared memory segment "
            "exceeded available memory, swap space, or huge pages. To reduce the request size "
            "(currently 148471808 bytes), reduce PostgreSQL's shared memory usage, perhaps by "
            "reducing shared_buffers or max_connections.",
            2);
    for (int i = 0; i < 4; ++i) {
      refused_backend(t + ms(500 + i * 260), "the database system is shutting down", i % 2 == 0);
    }
    pg(t + ms(1'530), pm, "LOG", "database system is shut down");
    const int64_t exit = t + ms(1'640);
    systemd(exit, Category::kUnitFailure, msg::unit_main_exited(kPgUnit, 1));
    systemd(exit + ms(1), Category::kUnitFailure, msg::unit_failed_result(kPgUnit, "oom-kill"));
    systemd(exit + ms(2), Category::kSystemd, msg::unit_consumed(kPgUnit, "2h 13min 4.512s"));
  }

  void kernel(int64_t t, std::string_view text) {
    syslog_.add(t, Category::kKernelOom, scenes_.origin("kernel"),
                msg::kernel_uptime(scenes_.uptime_us(t)) + std::string(text));
  }

  // 14:05-14:06:30: every request of the still-running app fails.
  void app_fails_requests() {
    for (int64_t t = at(14, 5, 0, 120); t < at(14, 6, 30); t += ms(rng_.between(200, 1400))) {
      app_error(t, "governance_app::db", kDbRefused);
    }
  }

  int64_t app_main_exits(int64_t t) {
    app_error(t, "governance_app", "database unavailable for 90s, shutting down");
    syslog_.add(t + ms(18), Category::kAppError, scenes_.origin("governance-app", kAppPid),
                "Error: database unavailable: connection refused (os error 111)");
    const int64_t exit = t + ms(90);
    systemd(exit, Category::kUnitFailure, msg::unit_main_exited(kAppUnit, 1));
    systemd(exit + ms(1), Category::kUnitFailure, msg::unit_failed_result(kAppUnit, "exit-code"));
    systemd(exit + ms(2), Category::kSystemd, msg::unit_consumed(kAppUnit, "1h 2min 3.456s"));
    return exit;
  }

  // systemd restarts the app (RestartSec=30s); it gives up on the database after
  // three attempts. Returns the time the process exits.
  int64_t app_restart_fails(int64_t t, int counter) {
    systemd(t, Category::kUnitFailure, msg::unit_scheduled_restart(kAppUnit, counter));
    systemd(t + ms(2), Category::kSystemd, msg::unit_stopped(kAppUnit, kAppDescription));
    systemd(t + ms(5), Category::kSystemd, msg::unit_started(kAppUnit, kAppDescription));
    const int pid = scenes_.new_pid();
    app_info(t + ms(240), "governance_app",
             fmt::format("starting governance-app 0.4.2 (pid {})", pid));
    app_info(t + ms(251), "governance_app::db",
             "connecting to postgres://governance@localhost:5432/governance_production");
    int64_t attempt = t + ms(262);
    for (int i = 0; i < 3; ++i) {
      app_error(attempt, "governance_app::db", kDbRefused);
      attempt += sec(int64_t{1} << i) + ms(3);
    }
    app_error(attempt, "governance_app", "database unreachable after 3 attempts, exiting");
    syslog_.add(attempt + ms(4), Category::kAppError, scenes_.origin("governance-app", pid),
                "Error: database unreachable after 3 attempts");
    const int64_t exit = attempt + ms(40);
    systemd(exit, Category::kUnitFailure, msg::unit_main_exited(kAppUnit, 1));
    systemd(exit + ms(1), Category::kUnitFailure, msg::unit_failed_result(kAppUnit, "exit-code"));
    return exit;
  }

  void app_start_limit_hit(int64_t t) {
    systemd(t, Category::kUnitFailure, msg::unit_scheduled_restart(kAppUnit, 6));
    systemd(t + ms(2), Category::kSystemd, msg::unit_stopped(kAppUnit, kAppDescription));
    systemd(t + ms(3), Category::kUnitFailure, msg::unit_start_too_quickly(kAppUnit));
    systemd(t + ms(4), Category::kUnitFailure, msg::unit_failed_result(kAppUnit, "exit-code"));
    systemd(t + ms(5), Category::kUnitFailure,
            msg::unit_failed_to_start(kAppUnit, kAppDescription));
  }

  // 14:19:20 alice's `systemctl restart postgresql`: crash recovery, then ready.
  void postgres_restart(int64_t t) {
    systemd(t, Category::kSystemd, msg::unit_stopping("postgresql.service", "PostgreSQL RDBMS"));
    systemd(t + ms(3), Category::kSystemd, msg::unit_deactivated("postgresql.service"));
    systemd(t + ms(4), Category::kSystemd,
            msg::unit_stopped("postgresql.service", "PostgreSQL RDBMS"));
    systemd(t + ms(9), Category::kSystemd, msg::unit_starting(kPgUnit, kPgDescription));
    postmaster_ = PgProcess{scenes_.new_pid()};
    PgProcess startup{scenes_.new_pid()};
    checkpointer_ = PgProcess{scenes_.new_pid()};
    PgProcess& pm = postmaster_;
    pg(t + ms(402), pm, "LOG",
       "starting PostgreSQL 15.10 (Debian 15.10-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc "
       "(Debian 12.2.0-14) 12.2.0, 64-bit");
    pg(t + ms(403), pm, "LOG", "listening on IPv4 address \"127.0.0.1\", port 5432");
    pg(t + ms(405), pm, "LOG", "listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\"");
    pg(t + ms(412), startup, "LOG",
       "database system was interrupted; last known up at 2026-11-28 14:00:12 UTC");
    pg(t + ms(520), startup, "LOG",
       "database system was not properly shut down; automatic recovery in progress");
    pg(t + ms(524), startup, "LOG", "redo starts at 0/5A3B2C8");
    pg(t + ms(693), startup, "LOG", "invalid record length at 0/5A71F10: wanted 24, got 0");
    pg(t + ms(694), startup, "LOG",
       "redo done at 0/5A71ED8 system usage: CPU: user: 0.09 s, system: 0.03 s, elapsed: 0.17 s");
    pg(t + ms(811), pm, "LOG", "database system is ready to accept connections");
    systemd(t + ms(1'502), Category::kSystemd, msg::unit_started(kPgUnit, kPgDescription));
    systemd(t + ms(1'506), Category::kSystemd,
            msg::unit_starting("postgresql.service", "PostgreSQL RDBMS"));
    systemd(t + ms(1'511), Category::kSystemd,
            msg::unit_finished("postgresql.service", "PostgreSQL RDBMS"));
  }

  // 14:19:40 alice's `systemctl restart governance-app`.
  void app_recovers(int64_t t) {
    systemd(t - ms(400), Category::kSystemd, msg::unit_started(kAppUnit, kAppDescription));
    const int pid = scenes_.new_pid();
    app_info(t, "governance_app", fmt::format("starting governance-app 0.4.2 (pid {})", pid));
    app_info(t + ms(11), "governance_app::db",
             "connecting to postgres://governance@localhost:5432/governance_production");
    for (PgProcess& backend : pool_backends_) backend = PgProcess{scenes_.new_pid()};
    app_info(t + ms(38), "governance_app::db", "connected to database (pool size 10)");
    app_info(t + ms(41), "governance_app::api", "listening on 127.0.0.1:8080");
  }

  Rng rng_;
  int64_t day_;
  Agenda agenda_;
  Timeline auth_;
  Timeline syslog_;
  Timeline app_;
  HostScenes scenes_;
  std::vector<std::string> bot_ips_;
  size_t next_bot_ip_ = 0;
  // PostgreSQL's processes; replaced when alice restarts it.
  PgProcess postmaster_{1234, 2};
  PgProcess checkpointer_{1239, 1026};
  std::vector<PgProcess> pool_backends_ = pool_started_with_app();
};

}  // namespace

void write_sample_day(uint64_t seed, const std::string& dir) {
  SampleDay day(seed);
  day.build();
  day.write(dir);
}

}  // namespace loggen
