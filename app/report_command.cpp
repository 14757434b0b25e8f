// `vigil report`: the daily security report of a database, in the format asked.

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "core/error.h"
#include "core/time.h"
#include "reports/report.h"

namespace vigil::app {
namespace {

// glibc takes an unknown zone name for UTC without a word; a typo in --tz
// must not silently shift every day boundary.
bool known_zone(const std::string& zone) {
  if (zone == "UTC" || zone == "GMT") return true;
  const char* dir = std::getenv("TZDIR");
  const std::string root = dir ? dir : "/usr/share/zoneinfo";
  const std::string name = zone.front() == ':' ? zone.substr(1) : zone;
  if (name.find("..") != std::string::npos) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(name.front() == '/' ? name : root + "/" + name, ec);
}

std::optional<int64_t> parse_time(const std::string& text) {
  size_t consumed = 0;
  const auto us = parse_iso8601(text, &consumed);
  if (us && consumed == text.size()) return us;
  if (const auto day = reports::local_day(text)) return day->start_us;  // a bare date
  return std::nullopt;
}

std::optional<reports::ReportRange> range_of(const ReportCommand& command) {
  if (!command.day.empty()) {
    auto day = reports::local_day(command.day);
    if (!day) {
      std::fprintf(stderr, "vigil report: --day %s is not a date (YYYY-MM-DD)\n",
                   command.day.c_str());
    }
    return day;
  }
  if (command.since.empty() != command.until.empty()) {
    std::fprintf(stderr, "vigil report: --since and --until go together\n");
    return std::nullopt;
  }
  if (command.since.empty()) {  // yesterday: the last complete local day
    return reports::local_day_of(reports::local_day_of(std::time(nullptr) * 1'000'000LL).start_us -
                                 1);
  }
  const auto since = parse_time(command.since);
  const auto until = parse_time(command.until);
  if (!since || !until || *until <= *since) {
    std::fprintf(stderr, "vigil report: --since/--until need two ISO 8601 times, in order\n");
    return std::nullopt;
  }
  return reports::ReportRange{*since, *until, command.since + " to " + command.until, ""};
}

std::string render(const ReportCommand& command, const reports::Report& report) {
  if (command.format == "md") return reports::render_markdown(report);
  if (command.format == "html") return reports::render_html(report);
  if (command.format == "json") return reports::render_json(report);
  const bool terminal = command.output.empty() && isatty(STDOUT_FILENO) != 0;
  return reports::render_text(report, reports::TextStyle{terminal});
}

// The report holds security data: readable by owner and group only.
void write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw Error(path + ": cannot write the report: " + errno_message(errno));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(path + ": cannot write the report: " + errno_message(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw Error(path + ": cannot write the report: " + errno_message(errno));
}

// A failed write to stdout (a closed pipe, a full disk) is an error too.
void write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    throw Error("cannot write the report to stdout: " + errno_message(errno));
  }
}

}  // namespace

int run_report_command(const ReportCommand& command) {
  if (!command.tz.empty()) {
    if (!known_zone(command.tz)) {
      std::fprintf(stderr, "vigil report: unknown time zone '%s'\n", command.tz.c_str());
      return kExitUsage;
    }
    // NOLINTNEXTLINE(concurrency-mt-unsafe): single-threaded here: nothing else reads it
    setenv("TZ", command.tz.c_str(), 1);
    tzset();
  }
  auto range = range_of(command);
  if (!range) return kExitUsage;
  const char* tz = std::getenv("TZ");
  range->tz = command.tz.empty() ? (tz ? tz : "") : command.tz;
  if (!std::filesystem::exists(command.db_path)) {
    std::fprintf(stderr, "vigil report: %s: no such database\n", command.db_path.c_str());
    return kExitFailure;
  }
  try {
    const std::string text = render(command, reports::build_report(command.db_path, *range));
    if (command.output.empty()) {
      write_stdout(text);
    } else {
      write_file(command.output, text);
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "vigil report: %s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vigil::app

namespace vigil::app {

int write_demo_report(const std::string& db_path) {
  try {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
    if (rc != SQLITE_OK) throw Error(db_path + ": cannot open the database");
    // The sample is one day: report the local day around the middle of its hits.
    sqlite3_stmt* stmt = nullptr;
    int64_t middle = 0;
    if (sqlite3_prepare_v2(db.get(), "SELECT (min(ts) + max(ts)) / 2 FROM hit_row", -1, &stmt,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      middle = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    reports::ReportRange range = reports::local_day_of(middle);
    const char* tz = std::getenv("TZ");
    range.tz = tz ? tz : "";
    const reports::Report report = reports::build_report(db.get(), range);
    const std::filesystem::path html =
        std::filesystem::path(db_path).replace_extension().string() + "-report.html";
    write_file(html.string(), reports::render_html(report));
    const std::string text =
        reports::render_text(report, reports::TextStyle{isatty(STDOUT_FILENO) != 0});
    write_stdout(text);
    std::printf("\nThe HTML report of %s is in %s\n", range.label.c_str(), html.c_str());
  } catch (const Error& e) {
    std::fprintf(stderr, "vigil demo: %s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vigil::app
