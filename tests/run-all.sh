#!/usr/bin/env bash
# run-all.sh: the README's test command. Installs what is missing, builds with
# warnings as errors, and runs every test (unit, kube-sim, end-to-end) with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KT_BUILD_DIR:-$root/build}
bash "$root/tests/build.sh" "$build" -- -DKT_WERROR=ON
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
