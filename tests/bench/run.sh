#!/usr/bin/env bash
# run.sh [--quick] [--parts LIST]: the benchmark suite (issue #8;
# docs/benchmarks.md). Installs wrk, nginx-light, gnuplot-nox and valgrind
# if missing, builds kube-sim, the webhook, the plugin and the reference
# server bare_httplib_server in Release (build dir $KT_BENCH_BUILD, default
# ../build-bench beside the repository; the build runs at nice 10, the
# measurements at normal priority), then runs tests/bench/bench.py against
# kube-sim on loopback and writes docs/benchmarks/results.md and the PNG
# plots (--quick: tiny runs, as the smoke test does).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${KT_BENCH_BUILD:-$(dirname "$root")/build-bench}
missing=()
for pkg in wrk nginx-light gnuplot-nox valgrind; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nice -n 10 bash "$root/tests/build.sh" "$build" --target kube-sim --target kargo-token-webhook \
  --target kubectl-kargo_token --target bare_httplib_server -- -DCMAKE_BUILD_TYPE=Release
# The static release plugin (what krew installs), measured beside the dynamic
# one; the suite goes on without it if it cannot be built.
static=()
if nice -n 10 bash "$root/.ci/build-static.sh" "$build-static" >"$build-static.log" 2>&1; then
  static=(--plugin-static "$build-static/plugin/kubectl-kargo_token")
else
  echo "run.sh: the static build failed (see $build-static.log); measuring the dynamic plugin only" >&2
fi
exec python3 "$root/tests/bench/bench.py" --webhook "$build/webhook/kargo-token-webhook" \
  --plugin "$build/plugin/kubectl-kargo_token" --kube-sim "$build/tests/kube-sim/kube-sim" \
  "${static[@]}" \
  --bare-server "$build/tests/bench/bare_httplib_server" --out "$root/docs/benchmarks" "$@"
