#pragma once
// The message texts (what follows "program[pid]: ") in the shapes the real programs
// write them on Debian 12: OpenSSH 9.2 sshd, sudo 1.9, Linux-PAM 1.5 pam_unix,
// systemd 252, cron, postfix, PostgreSQL 15, rsyslog 8.2302, and governance-app.

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace loggen::msg {

// A name an SSH client offered: a host account (`valid`) or not.
struct Login {
  std::string_view user;
  bool valid = false;
};

struct Peer {
  std::string_view ip;
  int port = 0;
};

// "root" or "invalid user admin", as sshd names who is authenticating.
inline std::string who(const Login& login) {
  return login.valid ? std::string(login.user) : fmt::format("invalid user {}", login.user);
}

// --- sshd -------------------------------------------------------------------------

inline std::string failed_password(const Login& login, Peer peer) {
  return fmt::format("Failed password for {} from {} port {} ssh2", who(login), peer.ip, peer.port);
}
inline std::string invalid_user(std::string_view user, Peer peer) {
  return fmt::format("Invalid user {} from {} port {}", user, peer.ip, peer.port);
}
inline std::string check_pass_user_unknown() {
  return "pam_unix(sshd:auth): check pass; user unknown";
}
inline std::string sshd_pam_auth_failure(const Login& login, std::string_view ip) {
  std::string text = fmt::format(
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
      "ruser= rhost={}",
      ip);
  if (login.valid) text += fmt::format("  user={}", login.user);
  return text;
}
// Logged by pam_unix when the handle ends, hence the bare "PAM" prefix.
inline std::string sshd_pam_more_failures(int count, const Login& login, std::string_view ip) {
  std::string text = fmt::format(
      "PAM {} more authentication failure{}; logname= uid=0 euid=0 tty=ssh ruser= rhost={}", count,
      count == 1 ? "" : "s", ip);
  if (login.valid) text += fmt::format("  user={}", login.user);
  return text;
}
inline std::string connection_closed_by_user(const Login& login, Peer peer) {
  return fmt::format("Connection closed by {} {} port {} [preauth]",
                     login.valid ? fmt::format("authenticating user {}", login.user) : who(login),
                     peer.ip, peer.port);
}
inline std::string disconnected_from_user_preauth(const Login& login, Peer peer) {
  return fmt::format("Disconnected from {} {} port {} [preauth]",
                     login.valid ? fmt::format("authenticating user {}", login.user) : who(login),
                     peer.ip, peer.port);
}
inline std::string received_disconnect_bye(Peer peer) {
  return fmt::format("Received disconnect from {} port {}:11: Bye Bye [preauth]", peer.ip,
                     peer.port);
}
inline std::string max_auth_attempts_exceeded(const Login& login, Peer peer) {
  return fmt::format(
      "error: maximum authentication attempts exceeded for {} from {} port {} ssh2 "
      "[preauth]",
      who(login), peer.ip, peer.port);
}
inline std::string disconnecting_too_many_failures(const Login& login, Peer peer) {
  return fmt::format("Disconnecting {} {} port {}: Too many authentication failures [preauth]",
                     login.valid ? fmt::format("authenticating user {}", login.user) : who(login),
                     peer.ip, peer.port);
}
inline std::string accepted_publickey(std::string_view user, Peer peer,
                                      std::string_view fingerprint) {
  return fmt::format("Accepted publickey for {} from {} port {} ssh2: ED25519 SHA256:{}", user,
                     peer.ip, peer.port, fingerprint);
}
inline std::string accepted_password(std::string_view user, Peer peer) {
  return fmt::format("Accepted password for {} from {} port {} ssh2", user, peer.ip, peer.port);
}
inline std::string received_disconnect_by_user(Peer peer) {
  return fmt::format("Received disconnect from {} port {}:11: disconnected by user", peer.ip,
                     peer.port);
}
inline std::string disconnected_from_user(std::string_view user, Peer peer) {
  return fmt::format("Disconnected from user {} {} port {}", user, peer.ip, peer.port);
}
inline std::string connection_closed_preauth(Peer peer) {
  return fmt::format("Connection closed by {} port {} [preauth]", peer.ip, peer.port);
}
inline std::string kex_connection_closed() {
  return "error: kex_exchange_identification: Connection closed by remote host";
}
inline std::string connection_closed(Peer peer) {
  return fmt::format("Connection closed by {} port {}", peer.ip, peer.port);
}
inline std::string unable_to_negotiate(Peer peer) {
  return fmt::format(
      "Unable to negotiate with {} port {}: no matching key exchange method found. Their offer: "
      "diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 "
      "[preauth]",
      peer.ip, peer.port);
}
inline std::string banner_invalid_format(Peer peer) {
  return fmt::format("banner exchange: Connection from {} port {}: invalid format", peer.ip,
                     peer.port);
}

// --- pam_unix sessions, systemd-logind ------------------------------------------------

// "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"; `by_user`
// is empty when the calling process has no login name (cron, sshd).
inline std::string pam_session_opened(std::string_view service, std::string_view user, int uid,
                                      std::string_view by_user, int by_uid) {
  return fmt::format("pam_unix({}:session): session opened for user {}(uid={}) by {}(uid={})",
                     service, user, uid, by_user, by_uid);
}
inline std::string pam_session_closed(std::string_view service, std::string_view user) {
  return fmt::format("pam_unix({}:session): session closed for user {}", service, user);
}
inline std::string logind_new_session(int session, std::string_view user) {
  return fmt::format("New session {} of user {}.", session, user);
}
inline std::string logind_logged_out(int session) {
  return fmt::format("Session {} logged out. Waiting for processes to exit.", session);
}
inline std::string logind_removed(int session) {
  return fmt::format("Removed session {}.", session);
}

// --- sudo ---------------------------------------------------------------------------

// sudo right-aligns the user in eight columns: "   alice : TTY=pts/0 ; …".
inline std::string sudo_fields(std::string_view tty, std::string_view pwd, std::string_view runas,
                               std::string_view command) {
  std::string text;
  if (!tty.empty()) text += fmt::format("TTY={} ; ", tty);
  text += fmt::format("PWD={} ; USER={} ; COMMAND={}", pwd, runas, command);
  return text;
}
inline std::string sudo_command(std::string_view user, std::string_view fields) {
  return fmt::format("{:>8} : {}", user, fields);
}
inline std::string sudo_incorrect_attempts(std::string_view user, int attempts,
                                           std::string_view fields) {
  return fmt::format("{:>8} : {} incorrect password attempt{} ; {}", user, attempts,
                     attempts == 1 ? "" : "s", fields);
}
inline std::string sudo_not_in_sudoers(std::string_view user, std::string_view fields) {
  return fmt::format("{:>8} : user NOT in sudoers ; {}", user, fields);
}
inline std::string sudo_pam_auth_failure(std::string_view user, int uid, std::string_view tty) {
  return fmt::format(
      "pam_unix(sudo:auth): authentication failure; logname={} uid={} euid=0 tty=/dev/{} "
      "ruser={} rhost=  user={}",
      user, uid, tty, user, user);
}
inline std::string sudo_pam_more_failures(int count, std::string_view user, int uid,
                                          std::string_view tty) {
  return fmt::format(
      "PAM {} more authentication failure{}; logname={} uid={} euid=0 tty=/dev/{} ruser={} "
      "rhost=  user={}",
      count, count == 1 ? "" : "s", user, uid, tty, user, user);
}

// --- cron, systemd ----------------------------------------------------------------------

inline std::string cron_cmd(std::string_view user, std::string_view command) {
  return fmt::format("({}) CMD ({})", user, command);
}
inline std::string unit_starting(std::string_view unit, std::string_view description) {
  return fmt::format("Starting {} - {}...", unit, description);
}
inline std::string unit_started(std::string_view unit, std::string_view description) {
  return fmt::format("Started {} - {}.", unit, description);
}
inline std::string unit_finished(std::string_view unit, std::string_view description) {
  return fmt::format("Finished {} - {}.", unit, description);
}
inline std::string unit_stopping(std::string_view unit, std::string_view description) {
  return fmt::format("Stopping {} - {}...", unit, description);
}
inline std::string unit_stopped(std::string_view unit, std::string_view description) {
  return fmt::format("Stopped {} - {}.", unit, description);
}
inline std::string unit_deactivated(std::string_view unit) {
  return fmt::format("{}: Deactivated successfully.", unit);
}
inline std::string unit_consumed(std::string_view unit, std::string_view cpu) {
  return fmt::format("{}: Consumed {} CPU time.", unit, cpu);
}
inline std::string unit_main_exited(std::string_view unit, int status) {
  return fmt::format("{}: Main process exited, code=exited, status={}/FAILURE", unit, status);
}
inline std::string unit_failed_result(std::string_view unit, std::string_view result) {
  return fmt::format("{}: Failed with result '{}'.", unit, result);
}
inline std::string unit_scheduled_restart(std::string_view unit, int counter) {
  return fmt::format("{}: Scheduled restart job, restart counter is at {}.", unit, counter);
}
inline std::string unit_start_too_quickly(std::string_view unit) {
  return fmt::format("{}: Start request repeated too quickly.", unit);
}
inline std::string unit_failed_to_start(std::string_view unit, std::string_view description) {
  return fmt::format("Failed to start {} - {}.", unit, description);
}

// --- kernel, dhclient, postfix ------------------------------------------------------------

// "[ 1234.567890] " as the kernel prefixes its messages with the uptime.
inline std::string kernel_uptime(int64_t uptime_us) {
  return fmt::format("[{:>5}.{:06}] ", uptime_us / 1'000'000, uptime_us % 1'000'000);
}
inline std::string ufw_block(int64_t uptime_us, std::string_view src, std::string_view dst, int ttl,
                             int id, int spt, int dpt) {
  return kernel_uptime(uptime_us) +
         fmt::format(
             "[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:3a:1c:7e:fe:ff:ff:ff:ff:ff:08:00 "
             "SRC={} DST={} LEN=44 TOS=0x00 PREC=0x00 TTL={} ID={} PROTO=TCP SPT={} "
             "DPT={} WINDOW=1024 RES=0x00 SYN URGP=0",
             src, dst, ttl, id, spt, dpt);
}
inline std::string dhcp_request(std::string_view ip, std::string_view server) {
  return fmt::format("DHCPREQUEST for {} on eth0 to {} port 67", ip, server);
}
inline std::string dhcp_ack(std::string_view ip, std::string_view server) {
  return fmt::format("DHCPACK of {} from {}", ip, server);
}
inline std::string dhcp_bound(std::string_view ip, int renewal_s) {
  return fmt::format("bound to {} -- renewal in {} seconds.", ip, renewal_s);
}

// --- application (governance-app's own log) -----------------------------------------------

inline std::string app_line(std::string_view level, std::string_view target,
                            std::string_view text) {
  return fmt::format("{} [{}] {}", level, target, text);
}

// Queries governance-app logs as slow, shared by the benchmark and the sample day.
inline constexpr std::array<std::string_view, 5> kSlowQueries = {
    "SELECT p.id, p.title, p.status FROM proposals p JOIN votes v ON v.proposal_id = p.id "
    "WHERE p.status = $1 ORDER BY p.created_at DESC",
    "SELECT count(*) FROM votes WHERE proposal_id = $1 AND signature_valid",
    "UPDATE proposals SET status = $1, updated_at = now() WHERE id = $2",
    "SELECT m.login, m.tier FROM maintainers m WHERE m.active ORDER BY m.login",
    "INSERT INTO webhook_events (delivery_id, event, payload) VALUES ($1, $2, $3)",
};

}  // namespace loggen::msg
