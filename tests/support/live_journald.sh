#!/usr/bin/env bash
# Runs a command inside a private mount namespace where a real systemd-journald is
# the system journal: tmpfs over /run/systemd, /run/log and /var/log/journal, a
# test drop-in config (volatile storage, no rate limit, nothing forwarded, no
# kernel messages), and journald started from /lib/systemd/systemd-journald. In
# there sd_journal_open(), journalctl, systemd-cat and `logger --journald` see and
# feed this journald only; the host's journal and files are untouched.
#
# Usage: tests/support/live_journald.sh COMMAND [ARG]...
# Exit status: COMMAND's; 77 when no mount namespace can be made here (needs root
# and unshare(2)); 78 when journald is missing or does not come up.
#
# journald hands entries to readers in batches (about every 250 ms): wait for
# what you expect with a deadline, never a fixed sleep.
set -euo pipefail

readonly journald=/lib/systemd/systemd-journald

if (($# == 0)); then
  sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi

if [[ -z "${VIGIL_LIVE_JOURNALD_INSIDE:-}" ]]; then
  [[ -x "$journald" ]] || {
    echo "live_journald: $journald is missing (package systemd)" >&2
    exit 78
  }
  if ! unshare --mount --propagation private true 2>/dev/null; then
    echo "live_journald: cannot create a mount namespace here (needs root and unshare)" >&2
    exit 77
  fi
  VIGIL_LIVE_JOURNALD_INSIDE=1 exec unshare --mount --propagation private \
    /usr/bin/env bash "${BASH_SOURCE[0]}" "$@"
fi

# --- inside the namespace ------------------------------------------------------------

mkdir -p /run/systemd /run/log
mount -t tmpfs -o mode=0755 tmpfs /run/systemd
mount -t tmpfs -o mode=0755 tmpfs /run/log
# Hide a persistent journal, if the host has one; volatile storage never writes here.
if [[ -d /var/log/journal ]]; then mount -t tmpfs -o mode=0755 tmpfs /var/log/journal; fi

mkdir -p /run/systemd/journal /run/systemd/journald.conf.d /run/log/journal
cat >/run/systemd/journald.conf.d/vigil-test.conf <<'CONF'
[Journal]
Storage=volatile
RateLimitIntervalSec=0
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
ReadKMsg=no
Audit=no
MaxLevelStore=debug
CONF

"$journald" </dev/null >/run/systemd/journald.out 2>&1 &
journald_pid=$!
trap 'kill "$journald_pid" 2>/dev/null || true; wait "$journald_pid" 2>/dev/null || true' EXIT

# Ready when its sockets exist and its journal file is there (10 s at most).
for ((i = 0; i < 200; i++)); do
  if [[ -S /run/systemd/journal/socket && -S /run/systemd/journal/stdout ]] &&
    compgen -G '/run/log/journal/*/system.journal' >/dev/null; then
    break
  fi
  if ! kill -0 "$journald_pid" 2>/dev/null; then
    echo "live_journald: systemd-journald exited: $(cat /run/systemd/journald.out)" >&2
    exit 78
  fi
  sleep 0.05
done
if ! compgen -G '/run/log/journal/*/system.journal' >/dev/null; then
  echo "live_journald: systemd-journald did not come up within 10 s" >&2
  exit 78
fi

status=0
"$@" || status=$?
exit "$status"
