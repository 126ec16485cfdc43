#!/usr/bin/env bash
# demo.sh: the README's main command. Builds the plugin and shows it working.
# (Once kube-sim and the plugin commands land, this becomes the seed walkthrough
# against an embedded kube-sim cluster.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KT_BUILD_DIR:-$root/build}
bash "$root/tests/build.sh" "$build" --target kubectl-kargo_token >&2
echo "\$ kubectl-kargo_token --help"
"$build/plugin/kubectl-kargo_token" --help
echo "\$ kubectl-kargo_token version"
"$build/plugin/kubectl-kargo_token" version
