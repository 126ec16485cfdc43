#!/usr/bin/env bash
# run-sanitized.sh: the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (-DKT_SANITIZE=ON) in its own build dir. Installs
# what is missing, builds with warnings as errors and runs every CTest test;
# any sanitizer report fails the test that triggered it.
#   bash tests/run-sanitized.sh [ctest args...]     (KT_SANITIZE_BUILD_DIR, default <repo>/build-sanitize)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KT_SANITIZE_BUILD_DIR:-$root/build-sanitize}
bash "$root/tests/build.sh" "$build" -- -DKT_WERROR=ON -DKT_SANITIZE=ON
# Leaks, UB and heap errors all end the process with a report; child
# processes (kube-sim, the webhook, the plugin under real kubectl) inherit it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 900 "$@"
