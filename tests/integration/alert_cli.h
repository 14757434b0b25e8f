#pragma once
// Helpers for the alert and response tests: `vigil scan` with the shipped packs,
// TZ=UTC and a chosen PATH; the sample day copied with a fixed mtime; stand-in
// programs that log their runs; whole result sets read from the database.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/vigil_cli.h"
#include "tests/support/temp_dir.h"
#include "tests/support/time_zone.h"

namespace vigil::test {

using Row = std::vector<std::string>;

// Every row of `sql`, each column as text ("NULL" for NULL); one row holding the
// error message when the query fails.
inline std::vector<Row> query_rows(const std::string& db_path, const std::string& sql) {
  std::vector<Row> rows;
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    rows.push_back({std::string("SQL error: ") + sqlite3_errmsg(db)});
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      Row& row = rows.emplace_back();
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
      }
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// 2026-11-28 h:m:s UTC (the sample day) in whole seconds, as text.
inline std::string day_s(int h, int m, int s) {
  return std::to_string(utc_us(2026, 11, 28, h, m, s) / 1'000'000);
}

// RFC 3164 lines carry no year: a file's mtime decides it. The day after the
// sample day places "Nov 28" lines in 2026 whenever the test runs.
inline void set_sample_mtime(const std::string& path) {
  const timespec when{utc_us(2026, 11, 29, 0, 0, 0) / 1'000'000, 0};
  const std::array<timespec, 2> times = {when, when};
  if (utimensat(AT_FDCWD, path.c_str(), times.data(), 0) != 0)
    throw std::runtime_error("utimensat");
}

inline std::string sample_path(const std::string& name) {
  return std::string(VIGIL_SOURCE_DIR) + "/samples/" + name;
}

// Copies samples/NAME into `dir` with the fixed mtime; returns the copy's path.
inline std::string copy_sample(const TempDir& dir, const std::string& name) {
  std::string copy = dir.file(name);
  std::filesystem::copy_file(sample_path(name), copy,
                             std::filesystem::copy_options::overwrite_existing);
  set_sample_mtime(copy);
  return copy;
}

inline std::vector<std::string> sample_day(const TempDir& dir) {
  return {copy_sample(dir, "auth.log"), copy_sample(dir, "syslog"),
          copy_sample(dir, "application.log")};
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return split_lines(text.str());
}

// Stand-in programs in DIR/bin: each appends "argv..." to DIR/ran.log when run.
class StandIns {
 public:
  StandIns(const TempDir& dir, const std::vector<std::string>& names)
      : bin_(dir.file("bin")), log_(dir.file("ran.log")) {
    std::filesystem::create_directory(bin_);
    for (const std::string& name : names) {
      const std::string path = program(name);
      std::ofstream(path) << "#!/bin/sh\necho \"$0 $*\" >> '" << log_ << "'\n";
      std::filesystem::permissions(path, std::filesystem::perms(0755));
    }
  }
  const std::string& bin() const { return bin_; }
  std::string program(const std::string& name) const { return bin_ + "/" + name; }
  bool any_ran() const { return std::filesystem::exists(log_); }

 private:
  std::string bin_;
  std::string log_;
};

// `vigil scan --rules <packs> ARGS...` with TZ=UTC and PATH=BIN:/usr/bin:/bin.
inline ProcessResult scan_packs(const std::string& bin, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/env",
                                   "TZ=UTC",
                                   "PATH=" + (bin.empty() ? "" : bin + ":") + "/usr/bin:/bin",
                                   VIGIL_BINARY,
                                   "scan",
                                   "--rules",
                                   std::string(VIGIL_SOURCE_DIR) + "/packs"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

// Hits an alert links that lack one of its key's values: none expected.
inline constexpr const char* kAlertHitMismatches = R"sql(
SELECT count(*) FROM alert_hit AS l
JOIN alerts AS a ON a.id = l.alert_id
JOIN hits AS h ON h.id = l.hit_id
WHERE EXISTS (SELECT 1 FROM json_each(a.key) AS k
              WHERE json_extract(h.captures, '$."' || k.key || '"') IS NOT k.value)
)sql";

// Per alert: threshold, key, linked hits, and whether the hits span exactly
// [first_ts, last_ts].
inline constexpr const char* kAlertHitSpans = R"sql(
SELECT a.threshold, a.key, count(h.id), min(h.ts) = a.first_ts AND max(h.ts) = a.last_ts
FROM alerts AS a LEFT JOIN alert_hit AS l ON l.alert_id = a.id LEFT JOIN hits AS h ON h.id = l.hit_id
GROUP BY a.id ORDER BY a.threshold, a.key
)sql";

}  // namespace vigil::test
