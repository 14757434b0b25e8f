// vigil-loggen: a seeded, deterministic generator of realistic logs for the
// benchmarks and the bundled sample day. The same arguments give the same bytes
// with every compiler and standard library.
//
//   --kind auth        one host's auth.log and syslog lines in one stream: sshd
//                      attacks and logins, sudo, PAM, CRON, systemd-logind, timers,
//                      postfix, kernel UFW blocks, dhclient
//   --kind app         governance-app's application.log (INFO/DEBUG, WARN, ERROR)
//   --kind sample-day  samples/auth.log, syslog and application.log into -o DIR
//
// `--hit-ratio` is the share of lines a rule pack is expected to hit (failed and
// accepted logins, invalid users, PAM failures, sudo; WARN/ERROR for app). Events
// keep their real multi-line shapes, so a login also brings its session lines and
// auth ratios above about 0.69 cannot be reached (a warning says so). At the end,
// stderr gets "vigil-loggen: FILE lines=… bytes=… hit_lines=… hit_ratio=…" and the
// number of lines of every category.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "loggen/bench_gen.h"
#include "loggen/sample_day.h"
#include "loggen/timefmt.h"
#include "loggen/timeline.h"

namespace {

using loggen::BenchKind;
using loggen::BenchOptions;
using loggen::StampStyle;

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Arguments {
  std::string kind = "auth";
  uint64_t lines = 100'000;
  uint64_t seed = 1;
  double hit_ratio = 0.1;
  std::string start = "2026-11-28T00:00:00Z";
  std::string span = "24h";
  std::string format = "rfc3164";
  bool attack = false;
  size_t ips = 0;
  std::string host = "web1";
  std::string output;
};

StampStyle parse_stamp(const std::string& format) {
  if (format == "rfc3339") return StampStyle::kRfc3339;
  if (format == "mixed") return StampStyle::kMixed;
  return StampStyle::kRfc3164;
}

BenchOptions bench_options(const Arguments& args, bool hit_ratio_given) {
  BenchOptions options;
  options.kind = args.kind == "app" ? BenchKind::kApp : BenchKind::kAuth;
  options.lines = args.lines;
  options.seed = args.seed;
  const double ratio = hit_ratio_given ? args.hit_ratio : (args.attack ? 0.6 : 0.1);
  options.hit_ppm = static_cast<uint32_t>(std::llround(ratio * 1e6));
  const auto start = loggen::parse_timestamp(args.start);
  if (!start) throw UsageError("--start: expected a time like 2026-11-28T00:00:00Z");
  options.start_us = *start;
  const auto span = loggen::parse_duration_us(args.span);
  if (!span) throw UsageError("--span: expected a duration like 24h, 90m or 3600s");
  options.span_us = *span;
  options.stamp = options.kind == BenchKind::kApp ? StampStyle::kApp : parse_stamp(args.format);
  options.attack = args.attack;
  options.ip_count = args.ips != 0 ? args.ips : (args.attack ? 300 : 2000);
  options.host = args.host;
  return options;
}

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

FilePtr open_output(const std::string& path) {
  if (path.empty() || path == "-") return {stdout, [](std::FILE*) { return 0; }};
  FilePtr file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) throw std::runtime_error(path + ": " + std::generic_category().message(errno));
  return file;
}

// Real events carry background lines (a login brings its session lines), so very
// high ratios cannot be reached with real message shapes: say so.
void warn_if_ratio_missed(const BenchOptions& options, const loggen::Stats& stats) {
  const double wanted = options.hit_ppm / 1e6;
  const double got = static_cast<double>(stats.hit_lines()) / static_cast<double>(stats.lines);
  if (stats.lines >= 10'000 && std::fabs(got - wanted) > 0.01) {
    std::fprintf(stderr,
                 "vigil-loggen: warning: hit ratio %.3f instead of %.3f: the events' real shapes "
                 "carry background lines (ceiling about 0.69 for auth)\n",
                 got, wanted);
  }
}

void run_bench_kind(const Arguments& args, bool hit_ratio_given) {
  const BenchOptions options = bench_options(args, hit_ratio_given);
  const auto started = std::chrono::steady_clock::now();
  FilePtr out = open_output(args.output);
  const std::string name = args.output.empty() ? "stdout" : args.output;
  loggen::LineWriter writer(out.get(), name, loggen::StampPolicy{options.stamp},
                            options.seed ^ 0x6d69786564ULL);
  loggen::run_bench(options, writer);
  writer.flush();
  if (out.get() != stdout && std::fclose(out.release()) != 0) {
    throw std::runtime_error(args.output + ": " + std::generic_category().message(errno));
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  const loggen::Stats& stats = writer.stats();
  loggen::print_stats(stderr, name, stats, took.count());
  warn_if_ratio_missed(options, stats);
}

void add_options(CLI::App& cli, Arguments& args) {
  cli.add_option("--kind", args.kind,
                 "auth: auth.log and syslog lines of one host; app: "
                 "governance-app's application.log; sample-day: the "
                 "bundled sample files into the directory -o")
      ->check(CLI::IsMember({"auth", "app", "sample-day"}));
  cli.add_option("--lines", args.lines, "Lines to write")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  cli.add_option("--seed", args.seed, "Seed of the random stream");
  cli.add_option("--hit-ratio", args.hit_ratio,
                 "Share of lines a rule should hit (default 0.1, or 0.6 with --attack)")
      ->check(CLI::Range(0.0, 1.0));
  cli.add_option("--start", args.start, "Time of the first line (UTC)");
  cli.add_option("--span", args.span, "Time the lines spread over (24h, 90m, 3600s)");
  cli.add_option("--format", args.format,
                 "Syslog timestamps: rfc3164, rfc3339 (rsyslog high precision), or mixed per line")
      ->check(CLI::IsMember({"rfc3164", "rfc3339", "mixed"}));
  cli.add_flag("--attack", args.attack,
               "Attack-heavy mix: 60% hits by default, from a few hundred IPv4 and IPv6 addresses");
  cli.add_option("--ips", args.ips,
                 "Number of attacking addresses (default 2000, 300 with --attack)");
  cli.add_option("--host", args.host, "Host name in syslog lines");
  cli.add_option("-o,--output", args.output,
                 "Output file (default stdout); a directory for sample-day");
}

void reject_bench_options_for_sample_day(const CLI::App& cli) {
  for (const char* name :
       {"--lines", "--hit-ratio", "--start", "--span", "--format", "--attack", "--ips", "--host"}) {
    if (cli.count(name) > 0) {
      throw UsageError(std::string(name) + " does not apply to --kind sample-day");
    }
  }
}

int run_main(int argc, char** argv) {
  CLI::App cli{
      "Seeded, deterministic generator of realistic logs for vigil's benchmarks and "
      "sample day"};
  Arguments args;
  add_options(cli, args);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = cli.exit(e);
    return status == 0 ? 0 : kExitUsage;
  }
  try {
    if (args.kind == "sample-day") {
      reject_bench_options_for_sample_day(cli);
      if (args.output.empty()) throw UsageError("--kind sample-day needs -o DIR");
      loggen::write_sample_day(args.seed, args.output);
    } else {
      if (args.kind == "app" && cli.count("--format") > 0) {
        throw UsageError("--format applies to syslog lines, not to --kind app");
      }
      run_bench_kind(args, cli.count("--hit-ratio") > 0);
    }
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vigil-loggen: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-loggen: %s\n", e.what());
    return kExitRuntime;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {  // from setting up the command line
    std::fprintf(stderr, "vigil-loggen: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "vigil-loggen: unexpected error\n");
  }
  return kExitRuntime;
}
