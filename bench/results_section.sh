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
