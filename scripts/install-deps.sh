#!/usr/bin/env bash
# Installs every Debian 12 package vigil needs to build, test and benchmark.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libhyperscan-dev libre2-dev libsimdjson-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libsystemd-dev libyaml-cpp-dev libcli11-dev libssl-dev
  googletest libgtest-dev libgmock-dev
  clang-format clang-tidy cppcheck
  systemd-journal-remote hyperfine time
  chromium  # tests/reports/html_render_test.cpp renders the HTML report headless
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
