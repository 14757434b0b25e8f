// vigil-journalgen: a seeded, deterministic stream of journal entries in the
// journal export format, for the journald benchmark (systemd-journal-remote turns
// it into journal files). A few hosts, as a collector receives them; each entry
// carries the fields journald really records for its transport (syslog, stdout,
// PID 1's structured messages, kernel), so an entry is ~20 fields as on a real host.
//
// The mix: sshd, sudo, cron, systemd, systemd-logind, the kernel, PostgreSQL and
// governance-app. `--hit-ratio` (default 0.1) is the share of entries written as
// something a shipped rule reports (failed passwords, invalid users, sudo commands,
// application errors and slow queries, PostgreSQL authentication failures, failed
// units). At the end, stderr gets "vigil-journalgen: FILE entries=… bytes=…
// hit_entries=… hit_ratio=…".

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "loggen/messages.h"
#include "loggen/rng.h"
#include "loggen/timefmt.h"

namespace {

using loggen::Rng;
namespace msg = loggen::msg;

struct Host {
  std::string name;
  std::string machine_id;
  std::string boot_id;
  int64_t boot_us = 0;
  int next_pid = 2000;
  int sshd_pid = 0, app_pid = 0, pg_pid = 0, cron_pid = 0, logind_pid = 0;
  std::string sshd_invocation, app_invocation, pg_invocation, app_stream;
};

std::string hex_id(Rng& rng) {
  return fmt::format("{:016x}{:016x}", rng.next(), rng.next());
}

constexpr std::array<std::string_view, 6> kHostNames = {"web1", "web2", "db1",
                                                        "web3", "db2",  "gw1"};
constexpr std::array<std::string_view, 6> kUsers = {"alice", "bob",     "deploy",
                                                    "root",  "mallory", "governance"};
constexpr std::array<std::string_view, 8> kBadUsers = {"admin", "test",    "oracle", "ubuntu",
                                                       "user",  "ftpuser", "git",    "support"};
constexpr std::array<std::string_view, 5> kSudoCommands = {
    "/usr/bin/systemctl status governance-app", "/usr/bin/systemctl restart nginx",
    "/usr/bin/journalctl -u governance-app --since 1 day ago", "/usr/bin/apt update",
    "/usr/sbin/ufw status"};
constexpr std::array<std::string_view, 4> kTimers = {
    "logrotate.service", "man-db.service", "apt-daily.service", "systemd-tmpfiles-clean.service"};

// Appends one entry in the export format: "NAME=value" lines, a blank line after.
class EntryWriter {
 public:
  void begin(const Host& host, int64_t t) {
    field("__REALTIME_TIMESTAMP", std::to_string(t));
    field("__MONOTONIC_TIMESTAMP", std::to_string(t - host.boot_us));
    field("_BOOT_ID", host.boot_id);
    field("_MACHINE_ID", host.machine_id);
    field("_HOSTNAME", host.name);
  }
  void field(std::string_view name, std::string_view value) {
    out_.append(name).append("=").append(value).append("\n");
  }
  void end() { out_ += '\n'; }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

// Fields of a process logging through syslog(3) from a service (sshd, sudo, cron).
struct Process {
  std::string_view identifier, comm, exe, cmdline, unit, invocation;
  int pid = 0;
  int uid = 0;
  int facility = 10;  // authpriv
};

class Generator {
 public:
  Generator(uint64_t seed, int host_count, int64_t start_us) : rng_(seed) {
    for (int i = 0; i < host_count; ++i) {
      Host h;
      h.name = kHostNames[static_cast<size_t>(i) % kHostNames.size()];
      if (i >= static_cast<int>(kHostNames.size())) h.name += std::to_string(i);
      h.machine_id = hex_id(rng_);
      h.boot_id = hex_id(rng_);
      h.boot_us =
          start_us - 3 * loggen::kUsPerDay - static_cast<int64_t>(rng_.below(3600)) * 1000000;
      h.sshd_pid = 600 + i;
      h.app_pid = 900 + i;
      h.pg_pid = 700 + i;
      h.cron_pid = 500 + i;
      h.logind_pid = 400 + i;
      h.sshd_invocation = hex_id(rng_);
      h.app_invocation = hex_id(rng_);
      h.pg_invocation = hex_id(rng_);
      h.app_stream = hex_id(rng_);
      hosts_.push_back(std::move(h));
    }
  }

  // Writes one entry at `t`; returns whether it was written as a hit.
  bool entry(int64_t t, bool hit) {
    const Host& host = hosts_[rng_.skewed_below(hosts_.size())];
    w_.begin(host, t);
    if (hit) {
      static constexpr std::array<uint32_t, 8> kHits = {40, 18, 14, 10, 8, 5, 3, 2};
      switch (loggen::pick_weighted(rng_, kHits)) {
        case 0:
          ssh_failed_password(host, t);
          break;
        case 1:
          ssh_invalid_user(host, t);
          break;
        case 2:
          sudo_command(host, t);
          break;
        case 3:
          app_error(host, t);
          break;
        case 4:
          app_slow(host, t);
          break;
        case 5:
          pg_auth_failed(host, t);
          break;
        case 6:
          ssh_accepted(host, t);
          break;
        default:
          unit_failed(host, t);
          break;
      }
    } else {
      static constexpr std::array<uint32_t, 8> kNoise = {25, 16, 14, 12, 10, 9, 8, 6};
      switch (loggen::pick_weighted(rng_, kNoise)) {
        case 0:
          app_info(host, t);
          break;
        case 1:
          ssh_session(host, t);
          break;
        case 2:
          cron(host, t);
          break;
        case 3:
          systemd_timer(host, t);
          break;
        case 4:
          pg_log(host, t);
          break;
        case 5:
          kernel_ufw(host, t);
          break;
        case 6:
          logind(host, t);
          break;
        default:
          ssh_preauth_disconnect_by_user(host, t);
          break;
      }
    }
    w_.end();
    return hit;
  }

  std::string& text() { return w_.text(); }

 private:
  std::string ip() { return fmt::format("198.18.{}.{}", rng_.below(256), 1 + rng_.below(254)); }
  int port() { return static_cast<int>(rng_.between(32768, 60999)); }

  void syslog(const Host& host, int64_t t, const Process& p, int priority, std::string_view text) {
    w_.field("_TRANSPORT", "syslog");
    w_.field("PRIORITY", std::to_string(priority));
    w_.field("SYSLOG_FACILITY", std::to_string(p.facility));
    w_.field("SYSLOG_IDENTIFIER", p.identifier);
    w_.field("SYSLOG_PID", std::to_string(p.pid));
    std::string stamp;
    loggen::append_rfc3164(stamp, t);
    w_.field("SYSLOG_TIMESTAMP", stamp + " ");
    process_fields(host, p);
    w_.field("_SOURCE_REALTIME_TIMESTAMP", std::to_string(t - 37));
    w_.field("MESSAGE", text);
  }

  void process_fields(const Host& host, const Process& p) {
    w_.field("_PID", std::to_string(p.pid));
    w_.field("_UID", std::to_string(p.uid));
    w_.field("_GID", std::to_string(p.uid));
    w_.field("_COMM", p.comm);
    w_.field("_EXE", p.exe);
    w_.field("_CMDLINE", p.cmdline);
    w_.field("_CAP_EFFECTIVE", p.uid == 0 ? "1ffffffffff" : "0");
    w_.field("_SYSTEMD_CGROUP", fmt::format("/system.slice/{}", p.unit));
    w_.field("_SYSTEMD_UNIT", p.unit);
    w_.field("_SYSTEMD_SLICE", "system.slice");
    if (!p.invocation.empty()) w_.field("_SYSTEMD_INVOCATION_ID", p.invocation);
    (void)host;
  }

  Process sshd(const Host& host, bool child) {
    return {"sshd",
            "sshd",
            "/usr/sbin/sshd",
            child ? "sshd: [accepted]" : "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
            "ssh.service",
            host.sshd_invocation,
            child ? 10000 + static_cast<int>(rng_.below(50000)) : host.sshd_pid,
            0,
            4};
  }

  void ssh_failed_password(const Host& host, int64_t t) {
    const bool valid = rng_.one_in(3);
    const std::string_view user = valid ? rng_.pick(kUsers) : rng_.pick(kBadUsers);
    const std::string addr = ip();
    syslog(host, t, sshd(host, true), 6, msg::failed_password({user, valid}, {addr, port()}));
  }
  void ssh_invalid_user(const Host& host, int64_t t) {
    const std::string addr = ip();
    syslog(host, t, sshd(host, true), 6, msg::invalid_user(rng_.pick(kBadUsers), {addr, port()}));
  }
  void ssh_accepted(const Host& host, int64_t t) {
    const std::string_view user = rng_.pick(kUsers);
    const std::string addr = ip();
    syslog(host, t, sshd(host, true), 6,
           msg::accepted_publickey(user, {addr, port()}, hex_id(rng_)));
  }
  void ssh_session(const Host& host, int64_t t) {
    const std::string_view user = rng_.pick(kUsers);
    syslog(host, t, sshd(host, true), 6,
           rng_.one_in(2) ? msg::pam_session_opened("sshd", user, 1000, "", 0)
                          : msg::pam_session_closed("sshd", user));
  }
  void ssh_preauth_disconnect_by_user(const Host& host, int64_t t) {
    const std::string addr = ip();
    syslog(host, t, sshd(host, true), 6, msg::received_disconnect_by_user({addr, port()}));
  }

  void sudo_command(const Host& host, int64_t t) {
    const std::string_view user = rng_.pick(kUsers);
    const Process p{"sudo",
                    "sudo",
                    "/usr/bin/sudo",
                    "sudo -i",
                    "session-4.scope",
                    "",
                    30000 + static_cast<int>(rng_.below(20000)),
                    0,
                    10};
    syslog(host, t, p, 5,
           msg::sudo_command(user, msg::sudo_fields("pts/0", fmt::format("/home/{}", user), "root",
                                                    rng_.pick(kSudoCommands))));
  }

  void cron(const Host& host, int64_t t) {
    const Process p{"CRON",
                    "cron",
                    "/usr/sbin/cron",
                    "/usr/sbin/CRON -f",
                    "cron.service",
                    "",
                    host.cron_pid + 10 + static_cast<int>(rng_.below(9000)),
                    0,
                    9};
    syslog(host, t, p, 6,
           rng_.one_in(2)
               ? msg::cron_cmd("root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1")
               : msg::pam_session_opened("cron", "root", 0, "", 0));
  }

  void logind(const Host& host, int64_t t) {
    const Process p{"systemd-logind",
                    "systemd-logind",
                    "/lib/systemd/systemd-logind",
                    "/lib/systemd/systemd-logind",
                    "systemd-logind.service",
                    "",
                    host.logind_pid,
                    0,
                    4};
    syslog(host, t, p, 6,
           msg::logind_new_session(static_cast<int>(rng_.below(900)), rng_.pick(kUsers)));
  }

  // PID 1's structured messages: UNIT= names the unit the message is about.
  void pid1(const Host& host, int64_t t, std::string_view unit, int priority, std::string_view text,
            std::string_view message_id) {
    w_.field("_TRANSPORT", "journal");
    w_.field("PRIORITY", std::to_string(priority));
    w_.field("SYSLOG_FACILITY", "3");
    w_.field("SYSLOG_IDENTIFIER", "systemd");
    w_.field("CODE_FILE", "src/core/unit.c");
    w_.field("CODE_LINE", "5553");
    w_.field("CODE_FUNC", "unit_log_success");
    if (!message_id.empty()) w_.field("MESSAGE_ID", message_id);
    w_.field("UNIT", unit);
    w_.field("INVOCATION_ID", hex_id(rng_));
    const Process p{"systemd", "systemd", "/lib/systemd/systemd", "/sbin/init", "init.scope", "", 1,
                    0,         3};
    process_fields(host, p);
    w_.field("_SOURCE_REALTIME_TIMESTAMP", std::to_string(t - 12));
    w_.field("MESSAGE", text);
  }

  void systemd_timer(const Host& host, int64_t t) {
    const std::string_view unit = rng_.pick(kTimers);
    pid1(host, t, unit, 6, msg::unit_deactivated(unit), "7ad2d189f7e94e70a38c781354912448");
  }
  void unit_failed(const Host& host, int64_t t) {
    pid1(host, t, "governance-app.service", 4,
         msg::unit_failed_result("governance-app.service", "exit-code"),
         "d9b373ed55a64feb8242e02dbe79a49c");
  }

  // governance-app writes its log to stdout; journald records it per line.
  void app(const Host& host, int64_t t, std::string_view level, std::string_view target,
           std::string_view text) {
    w_.field("_TRANSPORT", "stdout");
    w_.field("_STREAM_ID", host.app_stream);
    w_.field("PRIORITY", "6");
    w_.field("SYSLOG_FACILITY", "3");
    w_.field("SYSLOG_IDENTIFIER", "governance-app");
    const Process p{"governance-app",
                    "governance-app",
                    "/opt/governance-app/bin/governance-app",
                    "/opt/governance-app/bin/governance-app --config "
                    "/opt/governance-app/config/production.toml",
                    "governance-app.service",
                    host.app_invocation,
                    host.app_pid,
                    998,
                    3};
    process_fields(host, p);
    std::string line;
    loggen::append_app_time(line, t - 90);
    line += ' ';
    line += msg::app_line(level, target, text);
    w_.field("MESSAGE", line);
  }
  void app_info(const Host& host, int64_t t) {
    switch (rng_.below(3)) {
      case 0:
        app(host, t, "INFO", "governance_app::api",
            fmt::format("request GET /api/proposals/{} status=200", rng_.below(5000)));
        return;
      case 1:
        app(host, t, "INFO", "governance_app::sync",
            fmt::format("{} proposals up to date", rng_.below(300)));
        return;
      default:
        app(host, t, "DEBUG", "governance_app::cache",
            fmt::format("cache refreshed: {} entries", rng_.below(20000)));
    }
  }
  void app_error(const Host& host, int64_t t) {
    app(host, t, "ERROR", "governance_app::github",
        fmt::format("webhook delivery {:08x} failed: 401 Unauthorized", rng_.below(1u << 31)));
  }
  void app_slow(const Host& host, int64_t t) {
    app(host, t, "WARN", "governance_app::db",
        fmt::format("slow query took {}ms: {}", 500 + rng_.below(4000),
                    rng_.pick(msg::kSlowQueries)));
  }

  void postgres(const Host& host, int64_t t, int priority, std::string_view text) {
    const Process p{"postgres",
                    "postgres",
                    "/usr/lib/postgresql/15/bin/postgres",
                    "postgres: 15/main: app governance_production 127.0.0.1(51234) idle",
                    "postgresql@15-main.service",
                    host.pg_invocation,
                    host.pg_pid + static_cast<int>(rng_.below(5000)),
                    108,
                    3};
    std::string stamp;
    loggen::append_rfc3339(stamp, t - 200);
    syslog(
        host, t, p, priority,
        fmt::format("[{}-1] {} UTC [{}] {}", 1 + rng_.below(90), stamp.substr(0, 23), p.pid, text));
  }
  void pg_log(const Host& host, int64_t t) {
    postgres(host, t, 6,
             rng_.one_in(2) ? "LOG:  checkpoint starting: time"
                            : "app@governance_production LOG:  connection authorized: user=app "
                              "database=governance_production application_name=governance-app");
  }
  void pg_auth_failed(const Host& host, int64_t t) {
    postgres(host, t, 3,
             fmt::format(
                 "{}@governance_production FATAL:  password authentication failed for user \"{}\"",
                 "app", rng_.pick(kBadUsers)));
  }

  void kernel_ufw(const Host& host, int64_t t) {
    w_.field("_TRANSPORT", "kernel");
    w_.field("PRIORITY", "4");
    w_.field("SYSLOG_FACILITY", "0");
    w_.field("SYSLOG_IDENTIFIER", "kernel");
    w_.field("_SOURCE_MONOTONIC_TIMESTAMP", std::to_string(t - host.boot_us - 80));
    const std::string src = ip();
    w_.field(
        "MESSAGE",
        msg::ufw_block(t - host.boot_us, src, "10.0.0.5", static_cast<int>(rng_.between(40, 250)),
                       static_cast<int>(rng_.below(65536)), port(),
                       static_cast<int>(rng_.pick(std::array<int, 4>{23, 3389, 5432, 8080}))));
  }

  Rng rng_;
  std::vector<Host> hosts_;
  EntryWriter w_;
};

struct Arguments {
  uint64_t entries = 1'000'000;
  uint64_t seed = 1;
  double hit_ratio = 0.1;
  int hosts = 3;
  std::string start = "2026-11-28T00:00:00Z";
  std::string span = "24h";
  std::string output;
};

void run(const Arguments& args) {
  const auto start = loggen::parse_timestamp(args.start);
  if (!start) throw std::invalid_argument("--start: expected a time like 2026-11-28T00:00:00Z");
  const auto span = loggen::parse_duration_us(args.span);
  if (!span) throw std::invalid_argument("--span: expected a duration like 24h or 90m");
  std::FILE* out =
      args.output.empty() || args.output == "-" ? stdout : std::fopen(args.output.c_str(), "wb");
  if (out == nullptr)
    throw std::runtime_error(args.output + ": " + std::generic_category().message(errno));
  const std::string name = out == stdout ? "stdout" : args.output;

  Generator gen(args.seed, args.hosts, *start);
  Rng hits(args.seed ^ 0x6a6f75726e616cULL);
  const auto hit_ppm = static_cast<uint32_t>(std::lround(args.hit_ratio * 1e6));
  // Strictly increasing times: every entry at least 1 µs after the previous one.
  const int64_t step = std::max<int64_t>(1, *span / static_cast<int64_t>(args.entries));
  uint64_t hit_entries = 0;
  uint64_t bytes = 0;
  for (uint64_t i = 0; i < args.entries; ++i) {
    const int64_t t = *start + static_cast<int64_t>(i) * step +
                      static_cast<int64_t>(hits.below(static_cast<uint64_t>(step)));
    if (gen.entry(t, hits.chance_ppm(hit_ppm))) ++hit_entries;
    std::string& text = gen.text();
    if (text.size() >= (1u << 20) || i + 1 == args.entries) {
      if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
        throw std::runtime_error(name + ": " + std::generic_category().message(errno));
      }
      bytes += text.size();
      text.clear();
    }
  }
  const bool written = out == stdout ? std::fflush(out) == 0 : std::fclose(out) == 0;
  if (!written) throw std::runtime_error(name + ": " + std::generic_category().message(errno));
  std::fprintf(stderr,
               "vigil-journalgen: %s entries=%llu bytes=%llu hit_entries=%llu hit_ratio=%.3f\n",
               name.c_str(), static_cast<unsigned long long>(args.entries),
               static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(hit_entries),
               static_cast<double>(hit_entries) / static_cast<double>(args.entries));
}

// Everything but the last-resort error report; see main.
int run_main(int argc, char** argv) {
  CLI::App cli{
      "Seeded generator of journal entries (export format) for vigil's journald benchmark"};
  Arguments args;
  cli.add_option("--entries", args.entries, "Entries to write")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 36));
  cli.add_option("--seed", args.seed, "Seed of the random stream");
  cli.add_option("--hit-ratio", args.hit_ratio, "Share of entries a shipped rule reports")
      ->check(CLI::Range(0.0, 1.0));
  cli.add_option("--hosts", args.hosts, "Sending hosts")->check(CLI::Range(1, 64));
  cli.add_option("--start", args.start, "Time of the first entry (UTC)");
  cli.add_option("--span", args.span, "Time the entries spread over (24h, 90m, 3600s)");
  cli.add_option("-o,--output", args.output, "Output file (default stdout)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  try {
    run(args);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "vigil-journalgen: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-journalgen: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "vigil-journalgen: unexpected error\n");
  }
  return 1;
}
