#pragma once
// Multi-line scenes of one host: an SSH client failing passwords, a login session,
// sudo, a cron job, a timer unit … Each schedules all of its lines (some in the
// future, like a session's logout) on the host's timelines: `auth` receives what
// rsyslog writes to /var/log/auth.log, `syslog` what it writes to /var/log/syslog.
// Both may be the same timeline.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loggen/messages.h"
#include "loggen/rng.h"
#include "loggen/timeline.h"

namespace loggen {

struct Account {
  std::string_view name;
  int uid;
  std::string_view home;
};

// The host's accounts: root, alice, bob, deploy, mallory, governance, postgres,
// www-data. Throws std::out_of_range for another name.
const Account& account(std::string_view name);
// User names that attackers try and that do not exist on the host.
const std::vector<std::string_view>& unknown_user_names();

// Distinct addresses from ranges reserved for documentation and benchmarks:
// IPv4 from 198.18.0.0/15 and the TEST-NETs, IPv6 from 2001:db8::/32.
std::vector<std::string> make_ip_pool(Rng& rng, size_t count, unsigned ipv6_percent);

struct SudoRequest {
  // Implicit on purpose: scenes and the sample day's tables write a request as
  // {"/usr/bin/apt update"} or {"/usr/bin/psql ...", "postgres"}.
  // cppcheck-suppress noExplicitConstructor ; see above
  // NOLINTNEXTLINE(google-explicit-constructor): see above
  SudoRequest(std::string_view command_line, std::string_view run_as = "root",
              std::string_view working_dir = {})
      : command(command_line), runas(run_as), pwd(working_dir) {}

  std::string_view command;
  std::string_view runas;
  std::string_view pwd;  // empty: the user's home
};

struct Sinks {
  Timeline* auth;
  Timeline* syslog;
};

struct HostConfig {
  std::string_view name;  // must outlive the scenes
  int first_pid = 1000;
  int first_session = 1;
  int64_t boot_us = 0;
};

class HostScenes {
 public:
  HostScenes(const HostConfig& config, Sinks sinks, Rng& rng);

  Origin origin(std::string_view program, int pid = -1) const { return {host_, program, pid}; }
  int new_pid();
  int client_port() { return static_cast<int>(rng_.between(32768, 60999)); }
  int any_port() { return static_cast<int>(rng_.between(1024, 65535)); }

  // A client that tries `attempts` passwords for `login` on one connection
  // (0: offers the user name, then leaves). Returns the time of its last line.
  int64_t failed_connection(int64_t t, msg::Login login, std::string_view ip, int attempts);
  // A connection that never gets to authentication (scanner, banner grabber).
  void probe(int64_t t, std::string_view ip);

  struct Session {
    int number = 0;
    std::string tty;  // "pts/0"
    int64_t end_us = 0;
  };
  // A successful login and, `duration_us` later, its logout.
  Session login(int64_t t, const Account& user, std::string_view ip, bool publickey,
                int64_t duration_us);

  void sudo(int64_t t, const Account& user, std::string_view tty, const SudoRequest& request,
            int64_t duration_us);
  // Three wrong passwords: sudo gives up with "3 incorrect password attempts".
  void sudo_wrong_password(int64_t t, const Account& user, std::string_view tty,
                           const SudoRequest& request);
  void sudo_not_in_sudoers(int64_t t, const Account& user, std::string_view tty,
                           const SudoRequest& request);

  // Returns the cron process id (the CMD line and the session lines share it).
  int cron_job(int64_t t, const Account& user, std::string_view command, int64_t duration_us);
  void timer_unit(int64_t t, std::string_view unit, std::string_view description,
                  int64_t duration_us);
  void mail_to_root(int64_t t);
  void ufw_block(int64_t t, std::string_view source_ip);
  void dhcp_renewal(int64_t t);

  int64_t uptime_us(int64_t t) const { return t - boot_us_; }

 private:
  void add_auth(int64_t t, Category c, const Origin& o, std::string text) const {
    sinks_.auth->add(t, c, o, std::move(text));
  }
  void add_syslog(int64_t t, Category c, const Origin& o, std::string text) const {
    sinks_.syslog->add(t, c, o, std::move(text));
  }
  void close_failed_connection(int64_t t, msg::Login login, msg::Peer peer, int sshd_pid,
                               int attempts);

  std::string_view host_;
  Sinks sinks_;
  Rng& rng_;
  int next_pid_;
  int next_session_;
  int64_t boot_us_;
};

// A stable 43-character base64 key fingerprint for a user name.
std::string key_fingerprint(std::string_view user);

}  // namespace loggen
