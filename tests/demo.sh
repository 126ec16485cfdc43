#!/usr/bin/env bash
# demo.sh: the README's main command. Builds the plugin and kube-sim, starts
# kube-sim (the embedded default cluster) with the built-in system roles of
# manifests/roles installed, and walks through the seed page: create a token,
# list it, show it (redacted), use it with kubectl --token (it has exactly
# kargo-admin's permissions), delete it, list again, and see the deleted token
# rejected with 401. Every step is announced and checked; the script exits
# non-zero as soon as one misbehaves.
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
server=$(sed -n 's/^kube-sim ready //p' "$work/ready")
echo "# $(cat "$work/ready") (built-in system roles installed from manifests/roles)"

export KUBECONFIG="$work/cluster/kubeconfig" HOME="$work"
mkdir -p "$work/bin"
ln -s "$build/plugin/kubectl-kargo_token" "$work/bin/kubectl-kargo_token"
export PATH="$work/bin:$PATH"
# Through kubectl's plugin dispatch when kubectl is installed, else directly.
if command -v kubectl >/dev/null 2>&1; then plugin=(kubectl kargo-token); else plugin=(kubectl-kargo_token); fi

fail() {
  echo "demo: FAILED: $*" >&2
  exit 1
}

# step WANT ARGS...: announces and runs the plugin; WANT is a string its
# stdout+stderr must contain.
step() {
  local want=$1 out
  shift
  echo
  echo "\$ ${plugin[*]} $*"
  out=$("${plugin[@]}" "$@" 2>&1) || { printf '%s\n' "$out"; fail "${plugin[*]} $* exited non-zero"; }
  printf '%s\n' "$out"
  [[ $out == *"$want"* ]] || fail "expected the output to contain: $want"
}

# as_token WANT_RC WANT ARGS...: kubectl with nothing but the token as
# credentials (no kubeconfig, so the admin's client certificate is not sent).
as_token() {
  local want_rc=$1 want=$2 out rc=0
  shift 2
  echo
  echo "\$ kubectl --token \"\$TOKEN\" $*"
  out=$(kubectl --kubeconfig=/dev/null --server="$server" --certificate-authority="$work/cluster/ca.crt" \
    --token="$TOKEN" "$@" 2>&1) || rc=$?
  printf '%s\n' "$out"
  [ "$rc" = "$want_rc" ] || fail "kubectl --token ... $* exited $rc, want $want_rc"
  [[ $out == *"$want"* ]] || fail "expected the output to contain: $want"
}

# The token is printed once, by create, and captured from that output.
echo
echo "\$ ${plugin[*]} create token --system --role kargo-admin kargo-admin-token-1"
created=$("${plugin[@]}" create token --system --role kargo-admin kargo-admin-token-1) ||
  fail "create exited non-zero"
printf '%s\n' "$created"
TOKEN=$(sed -n 's/^Token: //p' <<<"$created")
[ -n "$TOKEN" ] || fail "create printed no token"

step "kargo-admin-token-1   kargo-admin   true" get tokens --system
step "kargo-admin-token-1   kargo-admin   true" get tokens --system --role kargo-admin
step "token: KioqIFJFREFDVEVEICoqKg==" get token --system kargo-admin-token-1 -o yaml

# Using the token needs a kube-sim that authenticates bearer tokens.
auth=1
probe=$(kubectl --kubeconfig=/dev/null --server="$server" --certificate-authority="$work/cluster/ca.crt" \
  --token=not-a-token get namespaces 2>&1) || true
[[ $probe == *"You must be logged in to the server"* ]] || auth=0
if [ "$auth" = 1 ]; then
  echo
  echo "# Use the token: kargo-admin may list namespaces, but not read Secrets."
  as_token 0 "kargo " get namespaces
  as_token 1 'User "system:serviceaccount:kargo:kargo-admin" cannot list resource "secrets"' get secrets -n kargo
else
  echo
  echo "# (this kube-sim does not authenticate bearer tokens: the 'use the token' steps are skipped)"
fi

step "token.kargo.akuity.io/kargo-admin-token-1 deleted" delete token --system kargo-admin-token-1
step "No resources found in kargo namespace." get tokens --system

if [ "$auth" = 1 ]; then
  echo
  echo "# The deleted token no longer authenticates."
  as_token 1 "error: You must be logged in to the server (Unauthorized)" get namespaces
fi
echo
echo "# demo: every step behaved as the seed page says"
