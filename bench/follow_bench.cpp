// vigil-follow-bench: measures `vigil run` following a file.
//
//   latency: appends one failed-password line at a time and waits until its hit
//            is committed (visible to another connection): the time from the
//            write to the commit, over N lines, as median / p99 / max.
//   rate:    appends lines at a fixed rate (e.g. 100,000/s for 60 s, 10% hits)
//            and reports vigil's peak RSS (VmHWM) and whether it kept up.
//
// Prints one line of key=value results for bench/follow_bench.sh to format.

#include <fmt/core.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string vigil;
  std::string rules;
  std::string dir;
  std::string mode = "latency";
  int lines = 500;
  int rate = 100000;
  int seconds = 60;
};

pid_t start_vigil(const Options& o, const std::string& db, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string err = o.dir + "/vigil.err";
    if (std::freopen(err.c_str(), "w", stderr) == nullptr) _exit(127);
    execl(o.vigil.c_str(), o.vigil.c_str(), "run", "--db", db.c_str(), "--rules", o.rules.c_str(),
          "--follow", log.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int64_t hit_count(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM hit_row", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return n;
}

// Waits (polling every 200 µs, up to `limit`) until the database holds `n` hits.
bool wait_hits(const std::string& path, int64_t n, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  sqlite3* db = nullptr;
  while (Clock::now() < deadline) {
    if (db == nullptr &&
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      db = nullptr;
    }
    if (db != nullptr && hit_count(db) >= n) {
      sqlite3_close(db);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  sqlite3_close(db);
  return false;
}

std::string failed(int i) {
  return fmt::format(
      "Nov 28 06:25:14 web1 sshd[812]: Failed password for user{} from 203.0.113.7 port {} ssh2\n",
      i, 40000 + i % 20000);
}

std::string noise(int i) {
  return fmt::format(
      "Nov 28 06:25:15 web1 CRON[{}]: pam_unix(cron:session): session closed for "
      "user root\n",
      1000 + i % 30000);
}

long vm_hwm_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int latency(const Options& o, const std::string& db, const std::string& log, pid_t vigil,
            int64_t base) {
  std::vector<double> ms;
  std::ofstream out(log, std::ios::app);
  for (int i = 0; i < o.lines; ++i) {
    const std::string line = failed(i);
    const auto written = Clock::now();
    if (!(out << line << std::flush)) {
      std::fprintf(stderr, "cannot append to %s\n", log.c_str());
      return 1;
    }
    if (!wait_hits(db, base + i + 1, std::chrono::seconds(10))) {
      std::fprintf(stderr, "hit %d never committed\n", i + 1);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - written).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // lines arrive one by one
  }
  out.close();
  std::printf("lines=%d median_ms=%.2f p99_ms=%.2f max_ms=%.2f rss_kib=%ld\n", o.lines,
              percentile(ms, 0.5), percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()),
              vm_hwm_kib(vigil));
  return 0;
}

int rate(const Options& o, const std::string& db, const std::string& log, pid_t vigil,
         int64_t base) {
  std::ofstream out(log, std::ios::app);
  constexpr int kTicksPerSecond = 100;
  const int per_tick = o.rate / kTicksPerSecond;
  int written = 0;
  int hits = 0;
  const auto start = Clock::now();
  std::string chunk;
  for (int tick = 0; tick < o.seconds * kTicksPerSecond; ++tick) {
    chunk.clear();
    for (int k = 0; k < per_tick; ++k, ++written) {
      if (written % 10 == 0) {
        chunk += failed(written);
        ++hits;
      } else {
        chunk += noise(written);
      }
    }
    if (!(out << chunk << std::flush)) {
      std::fprintf(stderr, "cannot append to %s\n", log.c_str());
      return 1;
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds(10 * (tick + 1)));
  }
  out.close();
  const double write_s = std::chrono::duration<double>(Clock::now() - start).count();
  const bool caught_up = wait_hits(db, base + hits, std::chrono::seconds(60));
  const double done_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("lines=%d hits=%d write_s=%.1f caught_up=%s done_s=%.1f rss_kib=%ld\n", written, hits,
              write_s, caught_up ? "yes" : "no", done_s, vm_hwm_kib(vigil));
  return caught_up ? 0 : 1;
}

int run_main(int argc, char** argv) {
  Options o;
  CLI::App app{"Measures vigil run following a file"};
  app.add_option("--vigil", o.vigil, "vigil binary")->required();
  app.add_option("--rules", o.rules, "rule packs")->required();
  app.add_option("--dir", o.dir, "scratch directory")->required();
  app.add_option("--mode", o.mode)->check(CLI::IsMember({"latency", "rate"}));
  app.add_option("--lines", o.lines, "latency: lines to time");
  app.add_option("--rate", o.rate, "rate: lines per second");
  app.add_option("--seconds", o.seconds, "rate: for how long");
  CLI11_PARSE(app, argc, argv);

  const std::string db = o.dir + "/follow.db";
  const std::string log = o.dir + "/auth.log";
  std::ofstream(log, std::ios::trunc).close();
  const pid_t vigil = start_vigil(o, db, log);
  // vigil is ready once its database exists and the file is watched: wait for a
  // first hit to be committed, which proves both.
  std::ofstream(log, std::ios::app) << failed(-1) << std::flush;
  if (!wait_hits(db, 1, std::chrono::seconds(30))) {
    std::fprintf(stderr, "vigil did not start; see %s/vigil.err\n", o.dir.c_str());
    kill(vigil, SIGKILL);
    return 1;
  }
  // That warm-up hit is in the database: targets count from it.
  const int status =
      o.mode == "latency" ? latency(o, db, log, vigil, 1) : rate(o, db, log, vigil, 1);
  kill(vigil, SIGTERM);
  int wstatus = 0;
  waitpid(vigil, &wstatus, 0);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-follow-bench: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "vigil-follow-bench: unexpected error\n");
  }
  return 1;
}
