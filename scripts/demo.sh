#!/usr/bin/env bash
# Installs what vigil needs, builds it, and runs `vigil demo` on the bundled sample day.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_BUILD_TESTS=OFF
cmake --build "$root/build" --target vigil
"$root/build/app/vigil" demo --db "$root/build/vigil-demo.db"
