#include "loggen/scenes.h"

#include <array>
#include <stdexcept>
#include <unordered_set>

#include "loggen/timefmt.h"

namespace loggen {
namespace {

constexpr std::array<Account, 8> kAccounts = {{
    {"root", 0, "/root"},
    {"alice", 1000, "/home/alice"},
    {"bob", 1001, "/home/bob"},
    {"deploy", 1002, "/home/deploy"},
    {"mallory", 1003, "/home/mallory"},
    {"governance", 998, "/opt/governance-app"},
    {"postgres", 110, "/var/lib/postgresql"},
    {"www-data", 33, "/var/www"},
}};

constexpr std::string_view kHostAddress = "10.0.0.5";
constexpr std::string_view kGateway = "10.0.0.1";
constexpr int kLogindPid = 541;
constexpr int kDhclientPid = 488;
constexpr int kPostfixPickupPid = 1893;
constexpr int kPostfixQmgrPid = 1021;

int64_t ms(int64_t n) {
  return n * kUsPerMs;
}

std::string ipv4(Rng& rng) {
  static constexpr std::array<std::string_view, 3> kTestNets = {"192.0.2", "198.51.100",
                                                                "203.0.113"};
  // Braced lists are evaluated left to right, function arguments are not: every
  // value drawn below is sequenced so that all compilers produce the same output.
  if (rng.one_in(8)) {
    const std::string_view net = rng.pick(kTestNets);
    return fmt::format("{}.{}", net, rng.between(1, 254));
  }
  const std::array<int64_t, 3> octets{rng.between(18, 19), rng.between(0, 255),
                                      rng.between(1, 254)};
  return fmt::format("198.{}.{}.{}", octets[0], octets[1], octets[2]);
}

std::string ipv6(Rng& rng) {
  std::array<int64_t, 6> g{};
  const bool full = rng.one_in(3);
  for (int64_t& group : g) group = rng.between(1, 0xffff);
  if (full) {
    return fmt::format("2001:db8:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}", g[0], g[1], g[2], g[3], g[4],
                       g[5]);
  }
  return fmt::format("2001:db8:{:x}:{:x}::{:x}", g[0], g[1], g[2]);
}

std::string queue_id(Rng& rng) {
  const uint64_t high = rng.below(0x100000);
  return fmt::format("{:05X}{:05X}", high, rng.below(0x100000));
}

}  // namespace

const Account& account(std::string_view name) {
  for (const Account& a : kAccounts) {
    if (a.name == name) return a;
  }
  throw std::out_of_range(fmt::format("no account {} on the generated host", name));
}

const std::vector<std::string_view>& unknown_user_names() {
  static const std::vector<std::string_view> kNames = {
      "admin",   "ubuntu",    "test",    "user",    "oracle",   "pi",       "git",
      "guest",   "ftpuser",   "support", "debian",  "ec2-user", "jenkins",  "hadoop",
      "nagios",  "minecraft", "centos",  "test1",   "dev",      "mysql",    "tomcat",
      "ansible", "vagrant",   "zabbix",  "elastic", "steam",    "sysadmin", "administrator",
      "odoo",    "ts3",       "docker",  "nginx",   "kafka",    "sftp",     "backup",
      "service", "operator",  "web",     "demo",    "student",  "john",     "teamspeak",
  };
  return kNames;
}

std::vector<std::string> make_ip_pool(Rng& rng, size_t count, unsigned ipv6_percent) {
  std::vector<std::string> pool;
  std::unordered_set<std::string> seen;
  pool.reserve(count);
  while (pool.size() < count) {
    std::string ip = rng.below(100) < ipv6_percent ? ipv6(rng) : ipv4(rng);
    if (seen.insert(ip).second) pool.push_back(std::move(ip));
  }
  return pool;
}

std::string key_fingerprint(std::string_view user) {
  static constexpr std::string_view kBase64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint64_t seed = 1469598103934665603ULL;  // FNV-1a of the name
  for (const char ch : user) seed = (seed ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
  Rng rng(seed);
  std::string out;
  for (int i = 0; i < 43; ++i) out.push_back(kBase64[rng.below(kBase64.size())]);
  return out;
}

HostScenes::HostScenes(const HostConfig& config, Sinks sinks, Rng& rng)
    : host_(config.name),
      sinks_(sinks),
      rng_(rng),
      next_pid_(config.first_pid),
      next_session_(config.first_session),
      boot_us_(config.boot_us) {}

int HostScenes::new_pid() {
  next_pid_ += static_cast<int>(rng_.between(1, 40));
  if (next_pid_ >= 4'194'304) next_pid_ = 2000;
  return next_pid_;
}

int64_t HostScenes::failed_connection(int64_t t, msg::Login login, std::string_view ip,
                                      int attempts) {
  const int pid = new_pid();
  const Origin sshd = origin("sshd", pid);
  const msg::Peer peer{ip, any_port()};
  if (!login.valid) {
    add_auth(t, Category::kSshInvalidUser, sshd, msg::invalid_user(login.user, peer));
    t += ms(rng_.between(40, 300));
  }
  for (int i = 0; i < attempts; ++i) {
    t += ms(rng_.between(300, 2500));
    if (i == 0) {
      if (!login.valid)
        add_auth(t, Category::kPamAuthFailure, sshd, msg::check_pass_user_unknown());
      add_auth(t + ms(2), Category::kPamAuthFailure, sshd,
               msg::sshd_pam_auth_failure(login, peer.ip));
    }
    t += ms(rng_.between(1900, 2400));  // pam_faildelay
    add_auth(t, Category::kSshFailedPassword, sshd, msg::failed_password(login, peer));
  }
  t += ms(rng_.between(80, 1500));
  close_failed_connection(t, login, peer, pid, attempts);
  return t + ms(3);
}

void HostScenes::close_failed_connection(int64_t t, msg::Login login, msg::Peer peer, int sshd_pid,
                                         int attempts) {
  const Origin sshd = origin("sshd", sshd_pid);
  if (attempts >= 6) {
    add_auth(t, Category::kSshMaxAuthTries, sshd, msg::max_auth_attempts_exceeded(login, peer));
    add_auth(t + ms(1), Category::kSshPreauthUser, sshd,
             msg::disconnecting_too_many_failures(login, peer));
  } else if (rng_.one_in(2)) {
    add_auth(t, Category::kSshPreauthUser, sshd, msg::connection_closed_by_user(login, peer));
  } else {
    add_auth(t, Category::kSshProbe, sshd, msg::received_disconnect_bye(peer));
    add_auth(t + ms(1), Category::kSshPreauthUser, sshd,
             msg::disconnected_from_user_preauth(login, peer));
  }
  if (attempts > 1) {
    add_auth(t + ms(3), Category::kPamAuthFailure, sshd,
             msg::sshd_pam_more_failures(attempts - 1, login, peer.ip));
  }
}

void HostScenes::probe(int64_t t, std::string_view ip) {
  const Origin sshd = origin("sshd", new_pid());
  const msg::Peer peer{ip, any_port()};
  switch (rng_.below(4)) {
    case 0:
      add_auth(t, Category::kSshProbe, sshd, msg::connection_closed_preauth(peer));
      return;
    case 1:
      add_auth(t, Category::kSshProbe, sshd, msg::kex_connection_closed());
      add_auth(t + ms(1), Category::kSshProbe, sshd, msg::connection_closed(peer));
      return;
    case 2:
      add_auth(t, Category::kSshProbe, sshd, msg::unable_to_negotiate(peer));
      return;
    default:
      add_auth(t, Category::kSshProbe, sshd, msg::banner_invalid_format(peer));
      return;
  }
}

HostScenes::Session HostScenes::login(int64_t t, const Account& user, std::string_view ip,
                                      bool publickey, int64_t duration_us) {
  const int number = next_session_++;
  const Origin sshd = origin("sshd", new_pid());
  const Origin logind = origin("systemd-logind", kLogindPid);
  const Origin systemd = origin("systemd", 1);
  const msg::Peer peer{ip, client_port()};
  add_auth(t, Category::kSshAccepted, sshd,
           publickey ? msg::accepted_publickey(user.name, peer, key_fingerprint(user.name))
                     : msg::accepted_password(user.name, peer));
  add_auth(t + ms(3), Category::kSshSession, sshd,
           msg::pam_session_opened("sshd", user.name, user.uid, "", 0));
  add_auth(t + ms(12), Category::kLogind, logind, msg::logind_new_session(number, user.name));
  add_syslog(
      t + ms(13), Category::kSystemd, systemd,
      fmt::format("Started session-{}.scope - Session {} of User {}.", number, number, user.name));
  const int64_t end = t + duration_us;
  add_auth(end, Category::kSshSession, sshd, msg::received_disconnect_by_user(peer));
  add_auth(end + ms(1), Category::kSshSession, sshd, msg::disconnected_from_user(user.name, peer));
  add_auth(end + ms(2), Category::kSshSession, sshd, msg::pam_session_closed("sshd", user.name));
  add_auth(end + ms(5), Category::kLogind, logind, msg::logind_logged_out(number));
  add_syslog(end + ms(6), Category::kSystemd, systemd,
             fmt::format("session-{}.scope: Deactivated successfully.", number));
  add_auth(end + ms(8), Category::kLogind, logind, msg::logind_removed(number));
  return Session{number, fmt::format("pts/{}", number % 4), end};
}

void HostScenes::sudo(int64_t t, const Account& user, std::string_view tty,
                      const SudoRequest& request, int64_t duration_us) {
  const Origin sudo_origin = origin("sudo");
  const Account& runas = account(request.runas);
  const std::string fields = msg::sudo_fields(tty, request.pwd.empty() ? user.home : request.pwd,
                                              runas.name, request.command);
  add_auth(t, Category::kSudoCommand, sudo_origin, msg::sudo_command(user.name, fields));
  const std::string_view by = user.uid == 0 && tty.empty() ? "" : user.name;
  add_auth(t + ms(2), Category::kSudoSession, sudo_origin,
           msg::pam_session_opened("sudo", runas.name, runas.uid, by, user.uid));
  add_auth(t + ms(2) + duration_us, Category::kSudoSession, sudo_origin,
           msg::pam_session_closed("sudo", runas.name));
}

void HostScenes::sudo_wrong_password(int64_t t, const Account& user, std::string_view tty,
                                     const SudoRequest& request) {
  const Origin sudo_origin = origin("sudo");
  const std::string fields = msg::sudo_fields(tty, request.pwd.empty() ? user.home : request.pwd,
                                              request.runas, request.command);
  add_auth(t, Category::kSudoAuthFailure, sudo_origin,
           msg::sudo_pam_auth_failure(user.name, user.uid, tty));
  const int64_t end = t + ms(rng_.between(7000, 15000));
  add_auth(end, Category::kSudoIncorrectPassword, sudo_origin,
           msg::sudo_incorrect_attempts(user.name, 3, fields));
  add_auth(end + ms(1), Category::kSudoAuthFailure, sudo_origin,
           msg::sudo_pam_more_failures(2, user.name, user.uid, tty));
}

void HostScenes::sudo_not_in_sudoers(int64_t t, const Account& user, std::string_view tty,
                                     const SudoRequest& request) {
  const std::string fields = msg::sudo_fields(tty, request.pwd.empty() ? user.home : request.pwd,
                                              request.runas, request.command);
  add_auth(t, Category::kSudoNotInSudoers, origin("sudo"),
           msg::sudo_not_in_sudoers(user.name, fields));
}

int HostScenes::cron_job(int64_t t, const Account& user, std::string_view command,
                         int64_t duration_us) {
  const int pid = new_pid();
  const Origin cron = origin("CRON", pid);
  add_auth(t, Category::kCron, cron, msg::pam_session_opened("cron", user.name, user.uid, "", 0));
  add_syslog(t + ms(1), Category::kCron, cron, msg::cron_cmd(user.name, command));
  add_auth(t + ms(1) + duration_us, Category::kCron, cron,
           msg::pam_session_closed("cron", user.name));
  return pid;
}

void HostScenes::timer_unit(int64_t t, std::string_view unit, std::string_view description,
                            int64_t duration_us) {
  const Origin systemd = origin("systemd", 1);
  add_syslog(t, Category::kSystemd, systemd, msg::unit_starting(unit, description));
  add_syslog(t + duration_us, Category::kSystemd, systemd, msg::unit_deactivated(unit));
  add_syslog(t + duration_us + ms(1), Category::kSystemd, systemd,
             msg::unit_finished(unit, description));
}

void HostScenes::mail_to_root(int64_t t) {
  const std::string id = queue_id(rng_);
  const Civil c = civil_from_us(t);
  const std::string message_id = fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}.{}@{}", c.year,
                                             c.month, c.day, c.hour, c.minute, c.second, id, host_);
  const int size = static_cast<int>(rng_.between(600, 4200));
  add_syslog(t, Category::kPostfix, origin("postfix/pickup", kPostfixPickupPid),
             fmt::format("{}: uid=0 from=<root>", id));
  add_syslog(t + ms(4), Category::kPostfix, origin("postfix/cleanup", new_pid()),
             fmt::format("{}: message-id=<{}>", id, message_id));
  add_syslog(t + ms(9), Category::kPostfix, origin("postfix/qmgr", kPostfixQmgrPid),
             fmt::format("{}: from=<root@{}>, size={}, nrcpt=1 (queue active)", id, host_, size));
  add_syslog(t + ms(31), Category::kPostfix, origin("postfix/local", new_pid()),
             fmt::format("{}: to=<root@{}>, orig_to=<root>, relay=local, delay=0.03, "
                         "delays=0.01/0.01/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)",
                         id, host_));
  add_syslog(t + ms(33), Category::kPostfix, origin("postfix/qmgr", kPostfixQmgrPid),
             fmt::format("{}: removed", id));
}

void HostScenes::ufw_block(int64_t t, std::string_view source_ip) {
  static constexpr std::array<int, 10> kPorts = {23,   445,  3389, 8080, 5900,
                                                 1433, 6379, 2375, 81,   8443};
  const auto ttl = static_cast<int>(rng_.between(40, 250));
  const auto id = static_cast<int>(rng_.between(1, 65535));
  const int source_port = any_port();
  const int port = rng_.pick(kPorts);
  add_syslog(t, Category::kKernel, origin("kernel"),
             msg::ufw_block(uptime_us(t), source_ip, kHostAddress, ttl, id, source_port, port));
}

void HostScenes::dhcp_renewal(int64_t t) {
  const Origin dhclient = origin("dhclient", kDhclientPid);
  add_syslog(t, Category::kDhclient, dhclient, msg::dhcp_request(kHostAddress, kGateway));
  add_syslog(t + ms(7), Category::kDhclient, dhclient, msg::dhcp_ack(kHostAddress, kGateway));
  add_syslog(t + ms(19), Category::kDhclient, dhclient,
             msg::dhcp_bound(kHostAddress, static_cast<int>(rng_.between(1500, 1800))));
}

}  // namespace loggen
