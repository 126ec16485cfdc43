#!/usr/bin/env bash
# run.sh [--quick]: the benchmark suite (issue #8; docs/benchmarks.md). Builds
# the webhook, plugin and kube-sim in Release (build dir $KT_BENCH_BUILD,
# default ../build-bench beside the repository), installs wrk if missing, runs
# tests/bench/bench.py against kube-sim on loopback and writes
# docs/benchmarks/results.md (--quick: shorter runs, for the smoke test).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${KT_BENCH_BUILD:-$(dirname "$root")/build-bench}
command -v wrk >/dev/null || { sudo -n apt-get install -y --no-install-recommends wrk || \
  apt-get install -y --no-install-recommends wrk; }
bash "$root/tests/build.sh" "$build" --target kube-sim --target kargo-token-webhook \
  --target kubectl-kargo_token -- -DCMAKE_BUILD_TYPE=Release
exec python3 "$root/tests/bench/bench.py" --webhook "$build/webhook/kargo-token-webhook" \
  --plugin "$build/plugin/kubectl-kargo_token" --kube-sim "$build/tests/kube-sim/kube-sim" \
  --out "$root/docs/benchmarks" "$@"
