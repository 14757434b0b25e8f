#!/bin/sh
# Daily delivery of vigil's security report (run by vigil-report.service):
# yesterday's report as HTML into $VIGIL_REPORT_DIR, and as Markdown to the
# mail command. The report travels on stdin: no shell ever parses its text.
set -eu

db=${VIGIL_DB:-/var/lib/vigil/vigil.db}
dir=${VIGIL_REPORT_DIR:-/var/lib/vigil/reports}
vigil=${VIGIL_BIN:-/usr/local/bin/vigil}
day=$(date -d yesterday +%F)

mkdir -p -m 0750 "$dir"
"$vigil" report --db "$db" --day "$day" --format html -o "$dir/vigil-report-$day.html"

# VIGIL_REPORT_MAIL_TO empty: no mail. VIGIL_REPORT_MAIL_COMMAND reads a whole
# message (headers, blank line, body) on stdin, like `sendmail -t`.
if [ -n "${VIGIL_REPORT_MAIL_TO:-}" ]; then
  {
    printf 'To: %s\nSubject: vigil security report %s\n' "$VIGIL_REPORT_MAIL_TO" "$day"
    printf 'Content-Type: text/markdown; charset=utf-8\n\n'
    "$vigil" report --db "$db" --day "$day" --format md
  } | ${VIGIL_REPORT_MAIL_COMMAND:-/usr/sbin/sendmail -t}
fi
