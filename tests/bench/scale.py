"""Scale curves (issue #8), each a table and gnuplot PNG(s):

1. plugin get -A wall time and peak RSS vs number of tokens, with 10x as many
   unrelated Secrets, beside kubectl get secrets -A -l (direct binary);
2. webhook RSS, time to ready and lookup latency vs cached ServiceAccounts
   (--escalation-check=off, so a token CREATE is the cache lookup and the
   policy without the SubjectAccessReview);
3. plugin create wall time vs kube-sim's --token-controller-delay-ms, beside
   kubectl create -f followed by a 1 s poll of the Secret (what a script
   without a watch does) and the delay itself (the floor).

Clusters are built with kube-sim --seed (one YAML stream, created before
kube-sim serves) and the tokens controller paused where tokens are seeded
with their data already set, so nothing changes while we measure."""
import base64
import json
import os
import subprocess
import time

from common import KubeSim, Webhook, make_certs
from measure import fmt_mmm, median, rss_mib, timed
from plot import plot
from populated_watch import PopulatedWatch
from plugin_bench import LABEL, kubectl_variants, secret_file
from reviews import ROLE, create_system_role, valid_token_review
from webhook_bench import handler_ms
from wrk_load import wrk

PROJECTS = 10
TOKEN = base64.b64encode(b"bench-token-value-not-a-jwt").decode()


def _write_seed(path, docs):
    with open(path, "w") as f:
        for d in docs:
            f.write("---\n" + json.dumps(d, separators=(",", ":")) + "\n")


def _token_cluster(path, tokens):
    """PROJECTS project namespaces, a role each, `tokens` tokens and 10x as
    many unrelated Opaque Secrets spread over them."""
    def ns(i):
        return f"bench-p{i % PROJECTS}"
    docs = []
    for i in range(PROJECTS):
        docs.append({"apiVersion": "v1", "kind": "Namespace",
                     "metadata": {"name": ns(i), "labels": {"kargo.akuity.io/project": "true"}}})
        docs.append({"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": "ci", "namespace": ns(i),
                                  "annotations": {"rbac.kargo.akuity.io/managed": "true"}}})
    for i in range(tokens):
        docs.append({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                     "metadata": {"name": f"ci-token-{i}", "namespace": ns(i),
                                  "labels": {LABEL: "true"},
                                  "annotations": {"kubernetes.io/service-account.name": "ci",
                                                  "rbac.kargo.akuity.io/managed": "true"}},
                     "data": {"token": TOKEN, "namespace": base64.b64encode(ns(i).encode()).decode()}})
    for i in range(tokens * 10):
        docs.append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                     "metadata": {"name": f"app-secret-{i}", "namespace": ns(i),
                                  "labels": {"app": "unrelated"}},
                     "data": {"password": TOKEN}})
    _write_seed(path, docs)


def get_all_curve(a, tmp, kubectl, out):
    sizes = [10, 50] if a.quick else [100, 1000, 3000, 10000]
    runs = 2 if a.quick else 5
    direct = kubectl_variants(kubectl)[-1]
    rows = ["| tokens | other Secrets | seed s | plugin get -A ms | plugin peak RSS MiB | "
            f"{direct[0]} get -A ms | kubectl peak RSS MiB |", "|---|---|---|---|---|---|---|"]
    series = {"plugin": [], "kubectl": []}
    for n in sizes:
        seed = os.path.join(tmp, f"seed-tokens-{n}.yaml")
        _token_cluster(seed, n)
        started = time.monotonic()
        with KubeSim(a.kube_sim, extra_args=["--seed", seed, "--token-controller-paused"],
                     ready_timeout=900) as sim:
            seeded = time.monotonic() - started
            env = {**os.environ, "KUBECONFIG": sim.kubeconfig, "HOME": os.path.join(tmp, "home")}
            cmds = {"plugin": [a.plugin, "get", "-A"],
                    "kubectl": [direct[1], "get", "secrets", "-A", "-l", LABEL]}
            samples = {k: [] for k in cmds}
            for i in range(runs + 1):
                for k, argv in cmds.items():
                    s = timed(argv, env)
                    if i:
                        samples[k].append(s)
        for k in cmds:
            series[k].append((n, median([s[0] * 1000 for s in samples[k]]), median([s[1] for s in samples[k]])))
        rows.append(f"| {n} | {10 * n} | {seeded:.1f} | {fmt_mmm([s[0] * 1000 for s in samples['plugin']])} | "
                    f"{fmt_mmm([s[1] for s in samples['plugin']])} | "
                    f"{fmt_mmm([s[0] * 1000 for s in samples['kubectl']])} | "
                    f"{fmt_mmm([s[1] for s in samples['kubectl']])} |")
        print("  " + rows[-1], flush=True)
    names = {"plugin": "kubectl-kargo_token get -A", "kubectl": f"{direct[0].split()[0]} get secrets -A -l"}
    plot(os.path.join(out, "scale-get-all-time.png"), "get -A: wall time vs tokens (10x as many other Secrets)",
         "tokens in the cluster", "wall time (ms, median)",
         [(names[k], [(n, t) for n, t, _ in series[k]]) for k in series], logx=True, logy=True)
    plot(os.path.join(out, "scale-get-all-rss.png"), "get -A: peak RSS vs tokens (10x as many other Secrets)",
         "tokens in the cluster", "peak RSS (MiB, median)",
         [(names[k], [(n, r) for n, _, r in series[k]]) for k in series], logx=True)
    return (f"## Scale: get -A vs tokens ({runs} runs per point after a warm-up; median (min–max))\n\n"
            "![get -A wall time](scale-get-all-time.png)\n![get -A peak RSS](scale-get-all-rss.png)\n\n"
            + "\n".join(rows)), series


def _service_account_cluster(path, count):
    docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kargo"}}]
    for i in range(count):
        docs.append({"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": f"role-{i}", "namespace": "kargo",
                                  "labels": {"rbac.kargo.akuity.io/system-role": "true"},
                                  "annotations": {"kargo.akuity.io/description": f"bench role {i}"}}})
    _write_seed(path, docs)


def webhook_cache_curve(a, tmp, out):
    sizes = [100] if a.quick else [100, 1000, 10000, 50000]
    seconds = 1 if a.quick else 5
    certs = os.path.join(tmp, "sa-certs")
    os.makedirs(certs, exist_ok=True)
    make_certs(certs)
    rows = ["| ServiceAccounts | webhook ready s | RSS ready MiB | RSS after load MiB | "
            "handler p50 ms | handler p99 ms | wrk p50 ms | wrk p99 ms | req/s |",
            "|---|---|---|---|---|---|---|---|---|"]
    points = []
    for n in sizes:
        seed = os.path.join(tmp, f"seed-sa-{n}.yaml")
        _service_account_cluster(seed, n)
        with KubeSim(a.kube_sim, extra_args=["--seed", seed], ready_timeout=900) as sim:
            started = time.monotonic()
            hook = Webhook(a.webhook, certs, sim.kubeconfig, extra_args=["--escalation-check=off"])
            try:
                hook.wait_ready(600)
                ready = time.monotonic() - started
                rss_ready = rss_mib([hook.proc.pid])
                body = os.path.join(tmp, f"sa-review-{n}.json")
                with open(body, "wb") as f:
                    f.write(valid_token_review(role=f"role-{n // 2}"))
                log_start = os.path.getsize(hook.log)
                r = wrk(f"https://127.0.0.1:{hook.port}/validate-secrets", body, 1, seconds, [hook.proc.pid])
                handler = handler_ms(hook.log, log_start, os.path.getsize(hook.log)) or (0, 0)
                rss_after = rss_mib([hook.proc.pid])
            finally:
                hook.stop()
        points.append((n, rss_ready, handler[0], handler[1], r["p50"], r["p99"]))
        rows.append(f"| {n} | {ready:.2f} | {rss_ready:.1f} | {rss_after:.1f} | {handler[0]:.4f} | "
                    f"{handler[1]:.4f} | {r['p50']:.3f} | {r['p99']:.3f} | {r['rps']:.0f} |")
        print("  " + rows[-1], flush=True)
    plot(os.path.join(out, "scale-webhook-rss.png"), "Webhook resident memory vs cached ServiceAccounts",
         "ServiceAccounts in the cache", "RSS once ready (MiB)",
         [("kargo-token-webhook", [(p[0], p[1]) for p in points])], logx=True)
    plot(os.path.join(out, "scale-webhook-lookup.png"),
         "Webhook token CREATE latency vs cached ServiceAccounts (escalation check off)",
         "ServiceAccounts in the cache", "latency (ms)",
         [("handler p50 (log)", [(p[0], p[2]) for p in points]),
          ("handler p99 (log)", [(p[0], p[3]) for p in points]),
          ("wrk p50 (request over TLS)", [(p[0], p[4]) for p in points]),
          ("wrk p99 (request over TLS)", [(p[0], p[5]) for p in points])], logx=True, logy=True)
    return (f"## Scale: webhook vs cached ServiceAccounts (wrk, 1 connection, {seconds} s; "
            "token CREATE for a cached role, --escalation-check=off)\n\n"
            "![webhook RSS](scale-webhook-rss.png)\n![webhook lookup latency](scale-webhook-lookup.png)\n\n"
            + "\n".join(rows)), points


def _poll_create(kubectl, env, tmp, name, interval=1.0):
    """Seconds for kubectl create -f, then kubectl get every `interval` s
    until data.token is set."""
    path = secret_file(tmp, name)
    started = time.monotonic()
    subprocess.run([kubectl, "create", "-f", path], env=env, check=True, capture_output=True)
    while True:
        got = subprocess.run([kubectl, "get", "secret", "-n", "kargo", name, "-o", "jsonpath={.data.token}"],
                             env=env, check=True, capture_output=True, text=True).stdout
        if got.strip():
            return time.monotonic() - started
        time.sleep(interval)


def create_delay_curve(a, tmp, kubectl, out):
    delays = [0] if a.quick else [0, 100, 250, 500, 1000]
    runs, poll_runs = (2, 1) if a.quick else (7, 3)
    direct = kubectl_variants(kubectl)[-1][1]
    rows = ["| controller delay ms | plugin create ms | plugin exit after population ms | "
            "kubectl create -f + 1 s poll ms |", "|---|---|---|---|"]
    points = []
    for d in delays:
        with KubeSim(a.kube_sim, extra_args=["--token-controller-delay-ms", str(d)]) as sim:
            env = {**os.environ, "KUBECONFIG": sim.kubeconfig, "HOME": os.path.join(tmp, "home")}
            create_system_role(direct, sim.kubeconfig, env)
            watch = PopulatedWatch(sim.kubeconfig, "kargo", tmp)
            walls, after = [], []
            try:
                for i in range(runs + 1):
                    name = f"bench-d{d}-{i}"
                    started = time.monotonic()
                    w, _ = timed([a.plugin, "create", "--system", "--role", ROLE, name], env)
                    if i:
                        walls.append(w * 1000)
                        after.append((started + w - watch.wait(name)) * 1000)
            finally:
                watch.close()
            polls = [_poll_create(direct, env, tmp, f"bench-poll{d}-{i}") * 1000 for i in range(poll_runs)]
        points.append((d, median(walls), median(polls), median(after)))
        rows.append(f"| {d} | {fmt_mmm(walls)} | {fmt_mmm(after)} | {fmt_mmm(polls)} |")
        print("  " + rows[-1], flush=True)
    plot(os.path.join(out, "scale-create-delay.png"), "create: wall time vs tokens-controller delay",
         "kube-sim --token-controller-delay-ms (ms)", "wall time until the token is populated (ms, median)",
         [("plugin create (watch)", [(p[0], p[1]) for p in points]),
          ("kubectl create -f + kubectl get every 1 s", [(p[0], p[2]) for p in points]),
          ("the delay itself (floor)", [(p[0], p[0]) for p in points])])
    return (f"## Scale: create vs tokens-controller delay (plugin {runs} runs, poll {poll_runs} runs per point; "
            "median (min–max))\n\nkube-sim's tokens controller checks due Secrets every 50 ms, so population "
            "lands up to 50 ms after the delay; \"after population\" is the plugin's exit minus the moment a "
            "separate watch saw data.token set.\n\n![create vs delay](scale-create-delay.png)\n\n"
            + "\n".join(rows)), points
