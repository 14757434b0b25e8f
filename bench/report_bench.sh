#!/usr/bin/env bash
# Times `vigil report` for one day of a database holding N stored hits (default
# 10,000,000) and prints the query plans of the day's sections.
#
# Usage: bench/report_bench.sh [--hits N] [--runs R] BUILD_DIR
#
# The database (bench/data/report-N.db, git-ignored, reused when present) gets its
# schema from a real `vigil scan --db`, then N synthetic hits spread evenly over
# 30 days ending 2026-11-28 (UTC): 40% failed passwords from 5,000 IPs, 10%
# invalid users, sudo commands, app errors (each with its systemd.priority_err
# twin), warnings, slow operations, accepted logins. rule_hour and source_hour
# are rebuilt from hit_row, as the writer would have kept them, with a silence
# every day and a rotation on the reported day for the ingest-health section.
set -euo pipefail

hits=10000000
runs=5
while [ $# -gt 1 ]; do
  case "$1" in
    --hits) hits="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--hits N] [--runs R] BUILD_DIR" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--hits N] [--runs R] BUILD_DIR" >&2; exit 2; }
vigil="$1/app/vigil"
repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="$repo_dir/bench/data"
db="$data_dir/report-$hits.db"
mkdir -p "$data_dir"

if [ ! -f "$db" ]; then
  echo "report_bench: generating $hits hits into $db"
  log="$data_dir/report-seed.log"
  echo '2026-10-01T00:00:00+00:00 web1 sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2' >"$log"
  TZ=UTC "$vigil" scan --db "$db" "$log" >/dev/null
  start=$(( $(date -u -d 2026-10-30 +%s) * 1000000 ))
  span=$(( 30 * 86400 * 1000000 ))
  sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
INSERT OR IGNORE INTO rule(name) VALUES ('ssh.failed_password'), ('ssh.invalid_user'),
  ('ssh.accepted_password'), ('sudo.command'), ('app.error'), ('systemd.priority_err'),
  ('app.warn'), ('app.slow');
CREATE TEMP TABLE mix(k INTEGER PRIMARY KEY, rule TEXT);
INSERT INTO mix VALUES (0,'ssh.failed_password'),(1,'ssh.failed_password'),(2,'ssh.failed_password'),
  (3,'ssh.failed_password'),(4,'ssh.invalid_user'),(5,'sudo.command'),(6,'app.error'),
  (7,'systemd.priority_err'),(8,'app.warn'),(9,'app.slow');
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $hits)
INSERT INTO hit_row(ts, source_id, line, offset, rule_id, severity, host, program, pid, unit,
                    captures, message)
SELECT $start + i * ($span / $hits), 1, i / 2, i * 80,
       (SELECT id FROM rule WHERE name = CASE WHEN i % 997 = 0 THEN 'ssh.accepted_password'
                                              ELSE (SELECT rule FROM mix WHERE k = i % 10) END),
       'medium', 'web1', 'sshd', 100, NULL,
       json_object('ip', '198.51.' || (i % 5000 / 250) || '.' || (i % 250),
                   'user', 'user' || (i % 37), 'command', '/usr/bin/cmd' || (i % 13),
                   'duration', (i % 5000) || 'ms'),
       'query ' || (i % 1000) || ' failed from 10.0.' || (i % 7) || '.1'
FROM n;
DELETE FROM rule_hour;
INSERT INTO rule_hour(hour, rule_id, hits)
  SELECT ts / 3600000000 * 3600000000, rule_id, count(*) FROM hit_row GROUP BY 1, 2;
-- Ingest health as the reader would have counted it: ten lines read per hit,
-- a 20-minute silence every day at 03:00 and a 2-hour one on the reported day.
DELETE FROM source_hour;
INSERT INTO source_hour(source_id, hour, lines, parse_failures, first_ts, last_ts)
  SELECT 1, ts / 3600000000 * 3600000000, count(*) * 10, count(*) / 100, min(ts), max(ts)
  FROM hit_row GROUP BY 2;
WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < 30)
INSERT INTO source_gap(source_id, start_ts, end_ts)
  SELECT 1, $start + i * 86400000000 + 10800000000, $start + i * 86400000000 + 12000000000 FROM d;
INSERT INTO source_gap(source_id, start_ts, end_ts)
  VALUES (1, $start + 29 * 86400000000 + 36000000000, $start + 29 * 86400000000 + 43200000000);
INSERT INTO source_event(source_id, ts, kind, detail)
  VALUES (1, $start + 29 * 86400000000 + 21600000000, 'rotated', 'auth.log.1');
COMMIT;
ANALYZE;
SQL
fi

total_hits="$(sqlite3 "$db" 'SELECT count(*) FROM hit_row')"
day_hits="$(sqlite3 "$db" "SELECT count(*) FROM hit_row WHERE ts >= $(( $(date -u -d 2026-11-28 +%s) * 1000000 )) AND ts < $(( $(date -u -d 2026-11-29 +%s) * 1000000 ))")"
echo "report_bench: $total_hits hits, $(du -h "$db" | cut -f1); day 2026-11-28 holds $day_hits"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for format in text json html; do
  times=()
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    TZ=UTC "$vigil" report --db "$db" --day 2026-11-28 --format "$format" -o "$data_dir/report.$format"
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
  done
  median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
  rss="$( { /usr/bin/time -f '%M' env TZ=UTC "$vigil" report --db "$db" --day 2026-11-28 \
    --format "$format" -o "$data_dir/report.$format"; } 2>&1 | tail -n 1)"
  echo "report_bench: --format $format: median of $runs runs ${median} ms (${times[*]})"
  rows+=("| vigil report --format $format | $median | ${times[*]} | $((rss / 1024)) | < 2000 |")
done

# shellcheck source=bench/results_section.sh
source "$repo_dir/bench/results_section.sh"
section="$(mktemp)"
{
  echo "## vigil report"
  echo
  echo "Written by \`bench/report_bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(commit_label "$repo_dir")."
  echo
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), Linux $(uname -r); load average at the start: $load"
  echo "- Database: $total_hits stored hits over 30 days ($(du -h "$db" | cut -f1)); the reported day holds $day_hits."
  echo "- Command: \`TZ=UTC vigil report --db DB --day 2026-11-28 --format F -o FILE\`; $runs runs, median; peak RSS: GNU time \`%M\`."
  echo "- The tests run every query of the report through EXPLAIN QUERY PLAN: none scans hit_row."
  echo
  echo "| command | median ms | runs ms | peak RSS MiB | target ms |"
  echo "|---|--:|---|--:|--:|"
  printf '%s\n' "${rows[@]}"
  echo
} >"$section"
replace_results_section "## vigil report" "$section" "$repo_dir/bench/RESULTS.md"
rm -f "$section"
echo "report_bench: wrote the \"vigil report\" section of bench/RESULTS.md"
