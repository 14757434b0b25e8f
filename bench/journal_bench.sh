#!/usr/bin/env bash
# Benchmarks reading a journal directory: `vigil scan --journal-dir` against
# `journalctl -o export` and a bare sd-journal loop, on 1,000,000 generated
# entries of a few hosts, and rewrites the "journald ingest" section of
# bench/RESULTS.md.
#
# Usage: bench/journal_bench.sh [--runs N] [--entries N] BUILD_DIR
#   BUILD_DIR    a CMake build tree holding app/vigil, bench/vigil-journalgen and
#                bench/journal-bare-loop (a Release/RelWithDebInfo build without
#                sanitizers: cmake --build BUILD_DIR --target vigil vigil-journalgen
#                journal-bare-loop)
#   --runs N     timed runs per command (default 5); the median is reported
#   --entries N  entries to generate (default 1000000)
#
# The journal directory is built once into bench/data/journal-N/ (git-ignored):
# vigil-journalgen writes the export format, systemd-journal-remote (package
# systemd-journal-remote) turns it into journal files. It is rebuilt only when the
# generation command changes. Timing: hyperfine (one warm-up run, then N runs;
# the page cache is warm for every tool alike); peak RSS: GNU time's %M, one more
# run. RSS includes the journal files sd-journal maps, for every reader alike.
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_dir
# shellcheck source=bench/results_section.sh
source "$repo_dir/bench/results_section.sh"
readonly results_file="$repo_dir/bench/RESULTS.md"
readonly journal_remote=/lib/systemd/systemd-journal-remote
readonly section_title="## journald ingest"

die() {
  echo "journal_bench: $*" >&2
  exit 1
}

usage() {
  sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

runs=5
entries=1000000
build_dir=""
while (($# > 0)); do
  case "$1" in
    --runs | --entries)
      (($# >= 2)) || usage
      [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 wants a positive number, not '$2'"
      if [[ "$1" == --runs ]]; then runs="$2"; else entries="$2"; fi
      shift
      ;;
    -h | --help | -*) usage ;;
    *)
      [[ -z "$build_dir" ]] || usage
      build_dir="$1"
      ;;
  esac
  shift
done
[[ -n "$build_dir" ]] || usage
[[ -d "$build_dir" ]] || die "no build directory $build_dir"
build_dir="$(cd "$build_dir" && pwd)"

readonly vigil="$build_dir/app/vigil"
readonly journalgen="$build_dir/bench/vigil-journalgen"
readonly bare_loop="$build_dir/bench/journal-bare-loop"
for tool in "$vigil" "$journalgen" "$bare_loop"; do
  [[ -x "$tool" ]] || die "$tool not found; build it: cmake --build $build_dir --target vigil vigil-journalgen journal-bare-loop"
done
[[ -x "$journal_remote" ]] || die "$journal_remote is missing; run scripts/install-deps.sh"
command -v journalctl >/dev/null || die "journalctl is missing"
command -v hyperfine >/dev/null || die "hyperfine is missing; run scripts/install-deps.sh"
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing; run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || die "sqlite3 is missing; run scripts/install-deps.sh"

tmp_dir="$(mktemp -d)"
trap 'rm -rf "$tmp_dir"' EXIT

# --- the journal directory, built once ------------------------------------------------

readonly journal_dir="$repo_dir/bench/data/journal-$entries"
readonly gen_args=(--entries "$entries" --seed 1 --hit-ratio 0.1 --hosts 3)
readonly gen_command="vigil-journalgen ${gen_args[*]} | systemd-journal-remote --output=bench/data/journal-$entries/bench.journal -"

build_journal() {
  if [[ -f "$journal_dir/.generated" && "$(head -n 1 "$journal_dir/.generated")" == "$gen_command" ]]; then
    echo "journal_bench: reusing $journal_dir" >&2
    return
  fi
  echo "journal_bench: generating $entries entries into $journal_dir (a few minutes)" >&2
  rm -rf "$journal_dir"
  mkdir -p "$journal_dir"
  "$journalgen" "${gen_args[@]}" 2>"$tmp_dir/gen.err" |
    "$journal_remote" --output="$journal_dir/bench.journal" - 2>"$tmp_dir/remote.err" ||
    die "generation failed: $(tail -n 3 "$tmp_dir/gen.err" "$tmp_dir/remote.err")"
  { echo "$gen_command"; grep -m1 'entries=' "$tmp_dir/gen.err"; } >"$journal_dir/.generated"
}

# --- measuring ------------------------------------------------------------------------

# median_seconds PREPARE COMMAND: "MEDIAN CPU": the median wall time of COMMAND (a
# shell command) and its mean CPU time (user + system, all threads), in seconds.
median_seconds() {
  local prepare="$1" command="$2" csv="$tmp_dir/hyperfine.csv"
  local -a args=(--style none --warmup 1 --runs "$runs" --export-csv "$csv")
  [[ -z "$prepare" ]] || args+=(--prepare "$prepare")
  hyperfine "${args[@]}" "$command" >/dev/null 2>"$tmp_dir/hyperfine.err" ||
    die "timing failed: $command ($(tail -n 3 "$tmp_dir/hyperfine.err"))"
  # command,mean,stddev,median,user,system,min,max — the command may hold commas.
  tail -n 1 "$csv" | awk -F, '{ print $(NF - 4), $(NF - 3) + $(NF - 2) }'
}

# peak_rss_kib COMMAND: peak RSS of one more run, in KiB; its output stays in
# $tmp_dir/last.out for checking.
peak_rss_kib() {
  /usr/bin/time -f '%M' -o "$tmp_dir/rss" bash -c "$1" >"$tmp_dir/last.out" 2>"$tmp_dir/rss.err" ||
    die "failed: $1 ($(tail -n 3 "$tmp_dir/rss.err"))"
  tail -n 1 "$tmp_dir/rss"
}

# expect_output TEXT: the last measured command printed TEXT (it read everything).
expect_output() {
  grep -qF "$1" "$tmp_dir/last.out" || die "expected '$1' in the output: $(head -n 3 "$tmp_dir/last.out")"
}

rows=()
declare -A rate_of

# measure KEY LABEL PREPARE COMMAND
measure() {
  local key="$1" label="$2" prepare="$3" command="$4" seconds cpu rss
  echo "journal_bench: $label" >&2
  read -r seconds cpu <<<"$(median_seconds "$prepare" "$command")"
  [[ -z "$prepare" ]] || bash -c "$prepare"
  rss="$(peak_rss_kib "$command")"
  rate_of[$key]="$(awk -v n="$entries" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
  rows+=("$(awk -v label="$label" -v n="$entries" -v s="$seconds" -v cpu="$cpu" -v rss="$rss" 'BEGIN {
    printf "| %s | %d | %.3f | %.0f | %.3f | %.1f |", label, n, s, n / s, cpu, rss / 1024 }')")
}

# --- RESULTS.md -----------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

write_section() {
  local cpu mem commit files size
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  commit="$(commit_label "$repo_dir")"
  files="$(find "$journal_dir" -name '*.journal' | wc -l)"
  size="$(du -sm "$journal_dir" | cut -f1)"
  local vs_journalctl vs_bare
  vs_journalctl="$(ratio "${rate_of[vigil]}" "${rate_of[journalctl]}")"
  vs_bare="$(ratio "${rate_of[vigil]}" "${rate_of[bare]}")"

  echo "$section_title"
  echo
  echo "Written by \`bench/journal_bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit."
  echo
  echo "- Machine: $(nproc) CPUs, $cpu, $mem RAM, Linux $(uname -r), $(journalctl --version | head -n 1); load average at the start: $start_load"
  echo "- Timing: $(hyperfine --version), 1 warm-up + $runs runs; median wall time, and the mean CPU time. Peak RSS: GNU time \`%M\`, one more run"
  echo "  (it counts the journal files sd-journal maps, for every reader alike)."
  echo "- Input: $entries entries of 3 hosts (sshd, sudo, cron, systemd, logind, kernel, PostgreSQL,"
  echo "  governance-app; ~20 fields each, as journald records them), $(sed -n 2p "$journal_dir/.generated" | sed -E 's/.* hit_ratio=([0-9.]+).*/\1/') of them written as rule hits;"
  echo "  $files journal files, $size MiB, written by systemd-journal-remote."
  echo "- vigil: $hits hits stored (shipped packs)."
  echo
  echo "| command | entries | median s | entries/s | CPU s (user+sys, all threads) | peak RSS MiB |"
  echo "|---|--:|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "vigil scan reads $vs_journalctl× journalctl's entry rate (target ≥ 2×) and $(awk -v r="$vs_bare" 'BEGIN { printf "%.0f", r * 100 }')% of the"
  echo "bare loop's (target ≥ 60%), matching and storing included."
  echo
  echo "Commands (from the repository root; DIR = bench/data/journal-$entries):"
  echo
  echo "    $gen_command"
  echo "    journalctl --directory=DIR -o export > /dev/null"
  echo "    journal-bare-loop DIR     # bench/journal_bare_loop.cpp: MESSAGE, _SYSTEMD_UNIT, time"
  echo "    vigil scan --db fresh.db --journal-dir DIR     # a fresh database every run"
  echo "    vigil scan --journal-dir DIR     # matching only, nothing stored"
  echo
}

# Replaces this script's section (up to the next "## " heading) or appends it.
update_results() {
  local section="$1"
  [[ -f "$results_file" ]] || printf '# Benchmark results\n\n' >"$results_file"
  awk -v section="$section" -v title="$section_title" '
    BEGIN { while ((getline line < section) > 0) body = body line "\n" }
    /^## / {
      skipping = 0
      if ($0 == title) { printf "%s", body; skipping = 1; done = 1; next }
    }
    !skipping { print }
    END { if (!done) { printf "\n%s", body } }
  ' "$results_file" >"$tmp_dir/RESULTS.md"
  cp "$tmp_dir/RESULTS.md" "$results_file"
}

# --- main -----------------------------------------------------------------------------

build_journal
start_load="$(cut -d' ' -f1-3 /proc/loadavg)"
q_dir="$(printf '%q' "$journal_dir")"
db="$tmp_dir/fresh.db"
q_db="$(printf '%q' "$db")"

measure journalctl "journalctl -o export" "" "journalctl --directory=$q_dir -o export > /dev/null"
measure bare "bare sd-journal loop" "" "$(printf '%q' "$bare_loop") $q_dir"
expect_output "$entries entries"
measure vigil "vigil scan --db" "rm -f $q_db $q_db-wal $q_db-shm" \
  "$(printf '%q' "$vigil") scan --db $q_db --journal-dir $q_dir"
expect_output "$entries journal entries"
hits="$(sqlite3 "$db" 'select count(*) from hits')" || die "cannot count the hits in $db"
measure vigil_nodb "vigil scan (no --db)" "" "$(printf '%q' "$vigil") scan --journal-dir $q_dir"

write_section >"$tmp_dir/section.md"
update_results "$tmp_dir/section.md"
echo "journal_bench: wrote the \"${section_title#\#\# }\" section of $results_file" >&2
cat "$tmp_dir/section.md"
