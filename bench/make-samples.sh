#!/usr/bin/env bash
# Regenerates samples/ (the sample day that `vigil demo` analyses), bit for bit.
#
# Usage: bench/make-samples.sh [--check] [BUILD_DIR]
#   BUILD_DIR  a CMake build tree (default: build); vigil-loggen is built in it
#   --check    do not write samples/: generate into a temporary directory and
#              fail if the result differs from the committed files
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_dir
readonly seed=20261128
readonly files=(auth.log syslog application.log)

check=0
build_dir="$repo_dir/build"
while (($# > 0)); do
  case "$1" in
    --check) check=1 ;;
    -h | --help | -*)
      sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
      exit 2
      ;;
    *) build_dir="$1" ;;
  esac
  shift
done

cmake --build "$build_dir" --target vigil-loggen >/dev/null
loggen="$build_dir/bench/vigil-loggen"

if ((check == 0)); then
  mkdir -p "$repo_dir/samples"
  "$loggen" --kind sample-day --seed "$seed" -o "$repo_dir/samples"
  exit 0
fi

tmp_dir="$(mktemp -d)"
trap 'rm -rf "$tmp_dir"' EXIT
"$loggen" --kind sample-day --seed "$seed" -o "$tmp_dir" 2>/dev/null
status=0
for f in "${files[@]}"; do
  if ! cmp -s "$tmp_dir/$f" "$repo_dir/samples/$f"; then
    echo "make-samples: samples/$f differs from what vigil-loggen generates" >&2
    status=1
  fi
done
if ((status == 0)); then echo "make-samples: samples/ matches the generator" >&2; fi
exit "$status"
