#!/usr/bin/env bash
# Installs what vigil needs, builds vigil and its tests with -Werror under
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs the whole test suite
# with CTest.
# -O1 -g1 (a little optimisation, line tables only) compiles ~35% faster than
# -O2 -g, and sanitizer reports still name file:line. No test needs the
# benchmark tools; bench/*.sh build them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-test"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DVIGIL_BUILD_BENCH=OFF \
  -DVIGIL_WERROR=ON -DVIGIL_SANITIZE=ON -DVIGIL_BUILD_TESTS=ON
cmake --build "$build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
