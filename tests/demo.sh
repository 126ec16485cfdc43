#!/usr/bin/env bash
# demo.sh: the README's main command. Builds the plugin and kube-sim, starts
# kube-sim (the embedded default cluster) with the built-in system roles of
# manifests/roles installed, and walks through the seed page: create a token,
# list it, show it (redacted), delete it, list again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KT_BUILD_DIR:-$root/build}
bash "$root/tests/build.sh" "$build" --target kubectl-kargo_token --target kube-sim >&2

work=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat "$root"/manifests/roles/namespace.yaml > "$work/roles.yaml"
for f in "$root"/manifests/roles/kargo-*.yaml; do printf -- '---\n' >> "$work/roles.yaml"; cat "$f" >> "$work/roles.yaml"; done
"$build/tests/kube-sim/kube-sim" --listen 127.0.0.1:0 --state-dir "$work/cluster" --seed "$work/roles.yaml" \
  > "$work/ready" 2> "$work/kube-sim.log" &
sim_pid=$!
for _ in $(seq 1 300); do grep -q '^kube-sim ready' "$work/ready" 2>/dev/null && break; sleep 0.1; done
grep -q '^kube-sim ready' "$work/ready" || { echo "demo: kube-sim did not start:" >&2; cat "$work/kube-sim.log" >&2; exit 1; }
echo "# $(cat "$work/ready") (built-in system roles installed from manifests/roles)"

export KUBECONFIG="$work/cluster/kubeconfig" HOME="$work"
mkdir -p "$work/bin"
ln -s "$build/plugin/kubectl-kargo_token" "$work/bin/kubectl-kargo_token"
export PATH="$work/bin:$PATH"
# Through kubectl's plugin dispatch when kubectl is installed, else directly.
if command -v kubectl >/dev/null 2>&1; then plugin=(kubectl kargo-token); else plugin=(kubectl-kargo_token); fi

step() {
  echo
  echo "\$ ${plugin[*]} $*"
  "${plugin[@]}" "$@"
}

step create --system --role kargo-admin kargo-admin-token-1
step get tokens --system
step get tokens --system --role kargo-admin
step get token --system kargo-admin-token-1 -o yaml
step delete token --system kargo-admin-token-1
step get tokens --system
