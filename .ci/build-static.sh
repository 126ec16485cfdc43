#!/usr/bin/env bash
# build-static.sh BUILD_DIR: the fully static release build of
# kubectl-kargo_token, kubectl_complete-kargo_token and kargo-token-webhook
# (see docs/portability.md). Fetches cpp-httplib's full header once
# (.ci/fetch-httplib-source.sh, cached outside the clone), configures
# BUILD_DIR with -DKT_STATIC=ON -DKT_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release,
# builds the three binaries and fails if any of them still needs a dynamic
# loader or a shared library. On success the last line of output is
#   static build: BUILD_DIR
# and the binaries are BUILD_DIR/plugin/kubectl-kargo_token,
# BUILD_DIR/plugin/kubectl_complete-kargo_token, BUILD_DIR/webhook/kargo-token-webhook.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: bash .ci/build-static.sh BUILD_DIR" >&2
  exit 2
fi
mkdir -p "$1"
build=$(cd "$1" && pwd)

bash "$root/tests/install-deps.sh"
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
header=$(bash "$root/.ci/fetch-httplib-source.sh")
cmake -S "$root" -B "$build" -DKT_STATIC=ON -DKT_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
      -DKT_HTTPLIB_HEADER="$header" >/dev/null
cmake --build "$build" -j"${KT_BUILD_JOBS:-$(nproc)}" \
      --target kubectl-kargo_token kubectl_complete-kargo_token kargo-token-webhook

bash "$root/.ci/check-static.sh" "$build/plugin/kubectl-kargo_token" \
  "$build/plugin/kubectl_complete-kargo_token" "$build/webhook/kargo-token-webhook"
echo "static build: $build"
