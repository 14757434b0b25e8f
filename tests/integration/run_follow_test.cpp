// `vigil run` following files, end to end: the real binary as a child process,
// the database read through the hits view. Every wait has a deadline.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "tests/integration/vigil_cli.h"
#include "tests/support/child.h"
#include "tests/support/temp_dir.h"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> run_args(const std::string& db, const std::vector<std::string>& files,
                                  const std::string& rules = fixture("basic.yml")) {
  std::vector<std::string> args = {VIGIL_BINARY, "run", "--db", db, "--rules", rules};
  for (const std::string& f : files) args.insert(args.end(), {"--follow", f});
  return args;
}

// Waits until vigil says it runs (its sources are open and positioned).
void wait_running(Child& service) {
  ASSERT_TRUE(wait_until([&] {
    return service.stderr_text().find("running:") != std::string::npos;
  })) << service.stderr_text();
}

int64_t hits_in(const std::string& db) {
  if (!std::filesystem::exists(db)) return 0;
  const std::string n = query_one(db, "SELECT count(*) FROM hits");
  return n.empty() || std::isdigit(static_cast<unsigned char>(n[0])) == 0 ? 0 : std::stoll(n);
}

bool reaches(const std::string& db, int64_t expected) {
  return wait_until([&] { return hits_in(db) >= expected; });
}

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text << std::flush;
}

TEST(RunFollow, AppendedLinesAreStoredOnce) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  std::string first;
  for (int i = 0; i < 5; ++i) first += failed_password(i) + noise(i);
  append(log, first);
  Child service(run_args(db, {log}));
  wait_running(service);
  ASSERT_TRUE(reaches(db, 5)) << service.stderr_text();
  for (int i = 5; i < 15; ++i) append(log, failed_password(i));
  ASSERT_TRUE(reaches(db, 15)) << service.stderr_text();
  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0) << service.stderr_text();
  EXPECT_EQ(hits_in(db), 15);
  EXPECT_EQ(query_one(db, "SELECT count(DISTINCT line) FROM hits"), "15");
  EXPECT_EQ(query_one(db, "SELECT json_extract(captures, '$.user') FROM hits WHERE line = 16"),
            "user10");
}

TEST(RunFollow, APartialLineWaitsForItsNewline) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  append(log, "");
  Child service(run_args(db, {log}));
  wait_running(service);
  std::string line = failed_password(1);
  append(log, line.substr(0, 40));
  append(log, failed_password(2).insert(0, line.substr(40)));
  ASSERT_TRUE(reaches(db, 2)) << service.stderr_text();
  EXPECT_EQ(query_one(db, "SELECT group_concat(json_extract(captures, '$.user')) FROM hits"),
            "user1,user2");
}

// A writer thread appends numbered lines; the test stops and restarts vigil
// while it writes. Every line must end up stored exactly once.
class Appender {
 public:
  Appender(std::string path, int lines) : path_(std::move(path)), lines_(lines) {
    thread_ = std::thread([this] {
      for (int i = 0; i < lines_; ++i) {
        append(path_, failed_password(i) + noise(i));
        written_ = i + 1;
        if (i % 50 == 49) std::this_thread::sleep_for(2ms);  // a log grows in bursts
      }
    });
  }
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  ~Appender() { thread_.join(); }
  int written() const { return written_; }

 private:
  std::string path_;
  int lines_;
  std::atomic<int> written_{0};
  std::thread thread_;
};

TEST(RunFollow, StopAndRestartMidStreamLosesAndRepeatsNothing) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  append(log, "");
  constexpr int kLines = 4000;
  {
    Appender writer(log, kLines);
    for (int round = 0; round < 3; ++round) {
      Child service(run_args(db, {log}));
      wait_running(service);
      const int64_t target = hits_in(db) + 200;
      wait_until([&] { return hits_in(db) >= target || writer.written() == kLines; });
      service.signal(SIGTERM);
      ASSERT_EQ(service.wait(), 0) << "round " << round << ":\n" << service.stderr_text();
    }
  }
  Child service(run_args(db, {log}));
  wait_running(service);
  ASSERT_TRUE(reaches(db, kLines)) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0);
  EXPECT_EQ(hits_in(db), kLines);
  EXPECT_EQ(query_one(db, "SELECT count(DISTINCT json_extract(captures, '$.user')) FROM hits"),
            std::to_string(kLines));
}

// The set of (line, rule, captures) a database holds, as text.
std::multiset<std::string> stored(const std::string& db) {
  const ProcessResult r = run_process(
      {"/usr/bin/sqlite3", db, "SELECT line || ' ' || rule || ' ' || captures FROM hits"});
  const std::vector<std::string> rows = split_lines(r.out);
  return {rows.begin(), rows.end()};
}

TEST(RunFollow, KillNineAtRandomMomentsThenRestartEqualsOneCleanScan) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  append(log, "");
  constexpr int kLines = 6000;
  std::mt19937 random(20261129);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible runs
  {
    Appender writer(log, kLines);
    for (int round = 0; round < 10; ++round) {
      Child service(run_args(db, {log}));
      wait_running(service);
      // A random amount of progress, then SIGKILL: no chance to commit anything.
      const int64_t target = hits_in(db) + std::uniform_int_distribution<int>(1, 400)(random);
      wait_until([&] { return hits_in(db) >= target || writer.written() == kLines; });
      service.signal(SIGKILL);
      ASSERT_EQ(service.wait(), -1);
    }
  }
  Child service(run_args(db, {log}));
  wait_running(service);
  ASSERT_TRUE(reaches(db, kLines)) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0);

  const std::string clean_db = dir.file("clean.db");
  const ProcessResult scan =
      vigil({"scan", "--rules", fixture("basic.yml"), "--db", clean_db, log});
  ASSERT_EQ(scan.exit_status, 0) << scan.err;
  EXPECT_EQ(hits_in(clean_db), kLines);
  EXPECT_TRUE(stored(db) == stored(clean_db)) << "hits differ from a clean scan";
}

enum class Rotation { kRenameCreate, kCopyTruncate };

// Writes numbered lines, rotating every `every` lines the way logrotate does.
// Before a rotation it waits until vigil has stored what was written: logrotate
// runs daily, never twice before a reader has caught up, and the lines that
// follow a rotation are still written at once, racing the follower.
void write_rotating(const std::string& log, const std::string& db, int lines, int every,
                    Rotation how) {
  for (int i = 0; i < lines; ++i) {
    append(log, failed_password(i));
    if (i % every != every - 1) continue;
    ASSERT_TRUE(reaches(db, i + 1));
    const std::string rotated = log + ".1";
    if (how == Rotation::kRenameCreate) {
      std::filesystem::rename(log, rotated);
      append(log, "");
    } else {
      std::filesystem::copy_file(log, rotated, std::filesystem::copy_options::overwrite_existing);
      std::filesystem::resize_file(log, 0);
    }
  }
}

void expect_every_line_once(Rotation how) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  append(log, "");
  Child service(run_args(db, {log}));
  wait_running(service);
  constexpr int kLines = 2000;
  write_rotating(log, db, kLines, 300, how);
  ASSERT_TRUE(reaches(db, kLines)) << service.stderr_text();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0) << service.stderr_text();
  EXPECT_EQ(hits_in(db), kLines);
  EXPECT_EQ(query_one(db, "SELECT count(DISTINCT json_extract(captures, '$.user')) FROM hits"),
            std::to_string(kLines));
}

TEST(RunFollow, RenameAndCreateRotationWhileWritingKeepsEveryLineOnce) {
  expect_every_line_once(Rotation::kRenameCreate);
}

TEST(RunFollow, CopyTruncateRotationWhileWritingKeepsEveryLineOnce) {
  expect_every_line_once(Rotation::kCopyTruncate);
}

TEST(RunReload, SighupWithABrokenPackKeepsTheOldRules) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  const std::string db = dir.file("v.db");
  const std::string packs = dir.file("packs");
  std::filesystem::create_directory(packs);
  std::filesystem::copy_file(fixture("basic.yml"), packs + "/basic.yml");
  append(log, "");
  Child service(run_args(db, {log}, packs));
  wait_running(service);
  append(log, failed_password(1));
  ASSERT_TRUE(reaches(db, 1));

  std::ofstream(packs + "/basic.yml", std::ios::trunc) << "pack: basic\nrules:\n  - id: [broken\n";
  service.signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] {
    return service.stderr_text().find("keeping the running configuration") != std::string::npos;
  })) << service.stderr_text();
  EXPECT_NE(service.stderr_text().find("packs/basic.yml:4:1: YAML syntax error"), std::string::npos)
      << service.stderr_text();
  append(log, failed_password(2));
  ASSERT_TRUE(reaches(db, 2)) << "the old rules stopped matching";

  std::filesystem::copy_file(fixture("basic.yml"), packs + "/basic.yml",
                             std::filesystem::copy_options::overwrite_existing);
  service.signal(SIGHUP);
  ASSERT_TRUE(
      wait_until([&] { return service.stderr_text().find("reloaded:") != std::string::npos; }));
  service.signal(SIGTERM);
  EXPECT_EQ(service.wait(), 0);
}

// A stand-in for systemd's notify socket: the datagrams vigil sends.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path)
      : path_(path), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;
  ~NotifySocket() { ::close(fd_); }
  // Every message received so far, one per line.
  const std::string& messages() {
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = ::recv(fd_, buffer.data(), buffer.size(), 0)) > 0) {
      received_.append(buffer.data(), static_cast<size_t>(n)) += '\n';
    }
    return received_;
  }
  bool saw(const std::string& text) { return messages().find(text) != std::string::npos; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string received_;
};

TEST(RunNotify, TellsSystemdReadyReloadingAndStopping) {
  TempDir dir;
  const std::string log = dir.file("auth.log");
  append(log, "");
  NotifySocket systemd(dir.file("notify"));
  Child service(run_args(dir.file("v.db"), {log}),
                {"NOTIFY_SOCKET=" + dir.file("notify"), "WATCHDOG_USEC=200000"});
  ASSERT_TRUE(wait_until([&] { return systemd.saw("READY=1"); })) << service.stderr_text();
  // The watchdog is pinged at half its interval, from the event loop.
  ASSERT_TRUE(wait_until([&] { return systemd.saw("WATCHDOG=1"); })) << systemd.messages();
  service.signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return systemd.saw("RELOADING=1"); })) << systemd.messages();
  service.signal(SIGTERM);
  ASSERT_EQ(service.wait(), 0) << service.stderr_text();
  EXPECT_TRUE(systemd.saw("STOPPING=1")) << systemd.messages();
}

TEST(RunConfig, ErrorsNameFileAndLineAndExit2) {
  TempDir dir;
  const std::string config = dir.write("vigil.yml",
                                       "database: /tmp/x.db\n"
                                       "files:\n"
                                       "  - path: relative/auth.log\n"
                                       "  - path: /var/log/app.log\n"
                                       "    format: xml\n"
                                       "jornal: {}\n");
  const ProcessResult r = vigil({"run", "--config", config});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find(config + ":3:11: 'relative/auth.log' must be an absolute path"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(config + ":5:13: unknown format 'xml'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(config + ":6:1: unknown key 'jornal'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'journal'?"), std::string::npos) << r.err;
}

TEST(RunConfig, NoSourceIsABadConfiguration) {
  TempDir dir;
  const ProcessResult r = vigil({"run", "--db", dir.file("v.db")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("no source"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::test
