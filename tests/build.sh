#!/usr/bin/env bash
# build.sh BUILD_DIR [--target T]... [-- extra cmake args...]: install what is
# missing, configure and build (everything unless targets are named).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
targets=()
while (($#)) && [ "$1" = "--target" ]; do targets+=(--target "$2"); shift 2; done
[ "${1:-}" = "--" ] && shift
bash "$root/tests/install-deps.sh"
# ccache (installed by install-deps.sh) makes rebuilds of unchanged sources
# cheap, also across fresh clones: its base_dir keeps clone paths out of the key.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" "${targets[@]}"
