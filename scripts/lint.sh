#!/usr/bin/env bash
# Static checks for vigil: clang-format, clang-tidy (.clang-tidy at the root)
# and cppcheck, over our own sources only. Exits non-zero on any finding.
#
#   scripts/lint.sh            all three
#   scripts/lint.sh format     only clang-format (likewise: tidy, cppcheck)
#
# Environment: LINT_BUILD_DIR (default build-lint), LINT_JOBS (default nproc).
# Needs only what scripts/install-deps.sh installs (clang-format, clang-tidy,
# cppcheck, cmake, ninja); it installs nothing itself.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# Absolute: cppcheck names files relative to the current directory when given a
# relative project path, and the --file-filter patterns below are absolute.
build=$(realpath -m "${LINT_BUILD_DIR:-$root/build-lint}")
jobs="${LINT_JOBS:-$(nproc)}"
dirs=(core ingest rules store respond reports app bench tests)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(format tidy cppcheck)

cd "$root" || exit 2
failed=()

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "lint: $1 not found; run scripts/install-deps.sh" >&2; exit 2; }
}

# Our C++ sources, as git knows them (nothing generated, nothing third-party),
# plus new files not yet added; minus files deleted in the working tree.
all_sources=()
while IFS= read -r f; do
  [ -f "$f" ] && all_sources+=("$f")
done < <(git ls-files --cached --others --exclude-standard -- "${dirs[@]/%//*.cpp}" "${dirs[@]/%//*.h}" | sort -u)
mapfile -t cpp_sources < <(printf '%s\n' "${all_sources[@]}" | grep '\.cpp$')

# (Re)configure every time: a second or two, and compile_commands.json then
# lists files added since the last run. Nothing is built.
configured=0
configure() {
  [ "$configured" -eq 0 ] || return 0
  need cmake
  local gen=()
  if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then gen=(-G Ninja); fi
  cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DVIGIL_BUILD_TESTS=ON >/dev/null || {
    echo "lint: cmake configure failed" >&2
    exit 2
  }
  configured=1
}

run_format() {
  need clang-format
  echo "== clang-format (${#all_sources[@]} files)"
  clang-format --dry-run -Werror "${all_sources[@]}" || failed+=(clang-format)
}

run_tidy() {
  need clang-tidy
  configure
  echo "== clang-tidy (${#cpp_sources[@]} files, -j $jobs)"
  local abs=() f
  for f in "${cpp_sources[@]}"; do abs+=("$root/$f"); done
  local runner=""
  for r in run-clang-tidy-14 run-clang-tidy; do
    if command -v "$r" >/dev/null 2>&1; then runner=$r; break; fi
  done
  # Drop the per-file command echo and clang's "N warnings generated." chatter
  # (those count suppressed warnings from system headers); keep the findings.
  # run-clang-tidy 14 forces --use-color; plain text keeps logs greppable.
  local uncolor=$'s/\x1b\\[[0-9;]*m//g'
  local noise='^(/usr/bin/)?clang-tidy(-[0-9]+)? |^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Use -system-headers'
  if [ -n "$runner" ]; then
    # run-clang-tidy takes regexes; anchor each file so nothing else matches.
    local regexes=()
    for f in "${abs[@]}"; do regexes+=("^${f//./\\.}\$"); done
    "$runner" -quiet -p "$build" -j "$jobs" "${regexes[@]}" 2>&1 | sed "$uncolor" | grep -Ev "$noise"
    [ "${PIPESTATUS[0]}" -eq 0 ] || failed+=(clang-tidy)
  else
    printf '%s\0' "${abs[@]}" |
      xargs -0 -n 1 -P "$jobs" clang-tidy -quiet -p "$build" 2>&1 | sed "$uncolor" | grep -Ev "$noise"
    [ "${PIPESTATUS[1]}" -eq 0 ] || failed+=(clang-tidy)
  fi
}

run_cppcheck() {
  need cppcheck
  configure
  echo "== cppcheck (-j $jobs)"
  local filters=() f
  for f in "${cpp_sources[@]}"; do filters+=("--file-filter=$root/$f"); done
  # useStlAlgorithm is off: it asks for std::transform/accumulate in place of
  # every loop that builds or sums something, which rarely reads better (the
  # clear cases, any_of/all_of, are clang-tidy's readability-use-anyofallof).
  # No --cppcheck-build-dir: its cache ignores option changes (--library) and
  # then reports stale results.
  cppcheck --project="$build/compile_commands.json" "${filters[@]}" -j "$jobs" --quiet \
    --enable=warning,style,performance,portability --std=c++20 \
    --library=googletest --library=posix --library=sqlite3 \
    --error-exitcode=1 --inline-suppr \
    --suppress=missingIncludeSystem --suppress='*:/usr/*' --suppress=useStlAlgorithm \
    -i "$build" --template=gcc || failed+=(cppcheck)
}

for s in "${steps[@]}"; do
  case "$s" in
    format) run_format ;;
    tidy) run_tidy ;;
    cppcheck) run_cppcheck ;;
    *) echo "lint: unknown step '$s' (format, tidy, cppcheck)" >&2; exit 2 ;;
  esac
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "lint: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint: clean"
