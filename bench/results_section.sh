# shellcheck shell=bash
# Sourced by the bench scripts: replace_results_section HEADING SECTION_FILE RESULTS_FILE
# replaces the section that starts with the line HEADING (up to the next "## "
# heading) by SECTION_FILE's text, or appends it when RESULTS_FILE has none.
replace_results_section() {
  local heading="$1" section="$2" results="$3"
  [[ -f "$results" ]] || printf '# Benchmark results\n\n' >"$results"
  local out
  out="$(mktemp)"
  awk -v heading="$heading" -v section="$section" '
    BEGIN { while ((getline line < section) > 0) body = body line "\n" }
    /^## / {
      skipping = 0
      if ($0 == heading) { printf "%s", body; skipping = 1; done = 1; next }
    }
    !skipping { print }
    END { if (!done) printf "%s", body }
  ' "$results" >"$out"
  cp "$out" "$results"
  rm -f "$out"
}

# commit_label REPO_DIR: the short commit, marked when the tree differs from it.
# bench/RESULTS.md itself does not count: each bench script rewrites its own
# section, so a second script run after a first would otherwise always say so.
commit_label() {
  local repo="$1" label
  label="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ -n "$(git -C "$repo" status --porcelain -- . ':!bench/RESULTS.md' 2>/dev/null)" ]]; then
    label+=" (with uncommitted changes)"
  fi
  echo "$label"
}

# build_label BUILD_DIR: the CMake build type the measured binaries were built
# with; an empty one is the top CMakeLists.txt's default.
build_label() {
  local type
  type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$1/CMakeCache.txt" 2>/dev/null)"
  echo "${type:-RelWithDebInfo (the default)}"
}
