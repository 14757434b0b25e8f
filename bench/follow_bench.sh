#!/usr/bin/env bash
# Measures `vigil run` following a file and writes the "## vigil run: following a
# file" section of bench/RESULTS.md:
#   - latency from a line appended to its hit committed (5 runs of 300 lines; the
#     median of the runs' medians and p99s);
#   - peak RSS while the file grows by 100,000 lines per second for a minute.
#
# Usage: bench/follow_bench.sh [--quick] BUILD_DIR
#   --quick  10 s instead of 60 s at the sustained rate, 2 latency runs (for trying it out)
set -euo pipefail

quick=0
if [[ "${1:-}" == --quick ]]; then quick=1; shift; fi
build_dir="${1:?usage: bench/follow_bench.sh [--quick] BUILD_DIR}"
repo_dir="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/results_section.sh
source "$repo_dir/bench/results_section.sh"
results_file="$repo_dir/bench/RESULTS.md"
vigil="$build_dir/app/vigil"
tool="$build_dir/bench/vigil-follow-bench"
[[ -x "$vigil" && -x "$tool" ]] || { echo "follow_bench: build $vigil and $tool first" >&2; exit 2; }

tmp_dir="$(mktemp -d)"
trap 'rm -rf "$tmp_dir"' EXIT
export VIGIL_CACHE_DIR="$tmp_dir/rule-cache"
runs=5 seconds=60
if ((quick)); then runs=2 seconds=10; fi
load="$(cut -d' ' -f1-3 /proc/loadavg)"

# value KEY LINE: the value of KEY=... in a result line.
value() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

latency_lines=()
for ((i = 1; i <= runs; i++)); do
  mkdir "$tmp_dir/lat$i"
  echo "follow_bench: latency run $i/$runs" >&2
  latency_lines+=("$("$tool" --vigil "$vigil" --rules "$repo_dir/packs" --dir "$tmp_dir/lat$i" \
    --mode latency --lines 300)")
done
med_median="$(for l in "${latency_lines[@]}"; do value median_ms "$l"; done | median)"
med_p99="$(for l in "${latency_lines[@]}"; do value p99_ms "$l"; done | median)"
max_max="$(for l in "${latency_lines[@]}"; do value max_ms "$l"; done | sort -g | tail -1)"

echo "follow_bench: 100,000 lines/s for $seconds s" >&2
mkdir "$tmp_dir/rate"
rate_line="$("$tool" --vigil "$vigil" --rules "$repo_dir/packs" --dir "$tmp_dir/rate" \
  --mode rate --rate 100000 --seconds "$seconds")" || true
rss_kib="$(value rss_kib "$rate_line")"

commit="$(commit_label "$repo_dir")"
section="$tmp_dir/section.md"
{
  echo "## vigil run: following a file"
  echo
  echo "Written by \`bench/follow_bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit."
  echo
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), Linux $(uname -r); load average at the start: $load"
  echo "- \`vigil run --db DB --rules packs --follow auth.log\`, driven by \`vigil-follow-bench\`"
  echo "  (bench/follow_bench.cpp): a line is appended and flushed, and the time runs until its"
  echo "  hit is visible to another SQLite connection (polled every 0.2 ms), one line every ~5 ms."
  echo
  echo "| measure | result | target |"
  echo "|---|--:|--:|"
  echo "| append → commit latency, median (median of $runs runs × 300 lines) | ${med_median} ms | < 50 ms |"
  echo "| append → commit latency, p99 (median of $runs runs) | ${med_p99} ms | < 250 ms |"
  echo "| append → commit latency, worst of all runs | ${max_max} ms | |"
  echo "| peak RSS (VmHWM) following 100,000 lines/s for $seconds s (10% hits) | $((rss_kib / 1024)) MiB | < 96 MiB |"
  echo
  echo "Sustained-rate run: \`$rate_line\` (caught_up: every hit committed within 60 s of the last write)."
  echo
  echo "Per latency run: "
  for l in "${latency_lines[@]}"; do echo "\`$l\`  "; done
  echo
} >"$section"

replace_results_section "## vigil run: following a file" "$section" "$results_file"
echo "follow_bench: wrote $results_file" >&2
