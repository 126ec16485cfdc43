#!/usr/bin/env python3
"""Benchmark suite (issue #8), first part: webhook throughput/latency with wrk
over TLS keep-alive and plugin wall time / peak RSS beside real kubectl, all
against a kube-sim on loopback. Writes Markdown tables into --out.

    bench.py --webhook W --plugin P --kube-sim K --out DIR [--quick]

Prints numbers; asserts only that every measurement was produced (exit 1 if
one is missing, 77 if wrk or kubectl is missing).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reliability"))
from common import SKIP, KubeSim, Webhook, find_kubectl, make_certs  # noqa: E402
from webhook_bad_input import review  # noqa: E402

NON_TOKEN_REVIEW = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
"uid":"bench-1","kind":{"group":"","version":"v1","kind":"Secret"},
"resource":{"group":"","version":"v1","resource":"secrets"},"name":"plain","namespace":"kargo",
"operation":"CREATE","userInfo":{"username":"bob","groups":["system:authenticated"]},
"object":{"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"plain","namespace":"kargo"}},
"oldObject":null,"dryRun":false}}""".replace("\n", "")


def wrk(url, body_file, connections, seconds):
    """{'rps', 'p50', 'p90', 'p99', 'max'} (latencies in ms) from one wrk run."""
    lua = body_file + ".lua"
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f'local f = io.open("{body_file}")\nwrk.body = f:read("*a")\nf:close()\n')
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d",
                          f"{seconds}s", "--latency", "-s", lua, url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout

    def ms(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "max": ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))}
    for p in (50, 90, 99):
        result[f"p{p}"] = ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1))
    if re.search(r"Non-2xx", out):
        raise RuntimeError(f"wrk saw non-2xx answers:\n{out}")
    errors = re.search(r"Socket errors: (.*)", out)
    result["errors"] = errors.group(1) if errors else "none"
    return result


def timed(argv, env):
    """(wall seconds, peak RSS MiB) of one process run to completion."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_maxrss / 1024


def median_min_max(values):
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def webhook_table(a, tmp, sim):
    make_certs(tmp)
    hook = Webhook(a.webhook, tmp, sim.kubeconfig)
    try:
        hook.wait_ready()
        cases = [("non-token Secret (fast path)", NON_TOKEN_REVIEW.encode()),
                 ("token for a ServiceAccount that does not exist (denied)", review())]
        tables = []
        for title, text in cases:
            body = os.path.join(tmp, f"case{len(tables)}.json")
            with open(body, "wb") as f:
                f.write(text)
            rows = ["| connections | req/s | p50 ms | p90 ms | p99 ms | max ms | socket errors |",
                    "|---|---|---|---|---|---|---|"]
            for c in ([1, 8] if a.quick else [1, 8, 32, 128]):
                r = wrk(f"https://127.0.0.1:{hook.port}/validate-secrets", body, c, 2 if a.quick else 10)
                rows.append(f"| {c} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p90']:.2f} | {r['p99']:.2f} | {r['max']:.2f} | {r['errors']} |")
                print(rows[-1], flush=True)
            tables.append(f"## Webhook, {title}, wrk over TLS keep-alive\n\n" + "\n".join(rows))
        return "\n\n".join(tables)
    finally:
        hook.stop()


def plugin_table(a, sim, kubectl):
    env = {**os.environ, "KUBECONFIG": sim.kubeconfig}
    versioned = os.path.dirname(os.path.realpath(kubectl))
    direct = sorted(p for p in os.listdir(versioned) if re.match(r"kubectl\.1\.\d+$", p))
    commands = [("plugin get --system", [a.plugin, "get", "--system"]),
                ("kubectl get secrets -l (dispatcher)",
                 [kubectl, "get", "secrets", "-n", "kargo", "-l", "rbac.kargo.akuity.io/api-token"])]
    if direct:
        commands.append((f"{direct[-1]} get secrets -l (direct)",
                         [os.path.join(versioned, direct[-1]), "get", "secrets", "-n", "kargo", "-l",
                          "rbac.kargo.akuity.io/api-token"]))
    runs = 3 if a.quick else 11
    rows = ["| command | wall ms median (min–max) | peak RSS MiB median |", "|---|---|---|"]
    for name, argv in commands:
        samples = [timed(argv, env) for _ in range(runs)]
        wall = median_min_max([s[0] * 1000 for s in samples])
        rss = median_min_max([s[1] for s in samples])
        rows.append(f"| {name} | {wall[0]:.1f} ({wall[1]:.1f}–{wall[2]:.1f}) | {rss[0]:.1f} |")
        print(rows[-1], flush=True)
    return f"## Plugin vs kubectl, {runs} runs each\n\n" + "\n".join(rows)


def main():
    p = argparse.ArgumentParser()
    for flag in ("--webhook", "--plugin", "--kube-sim", "--out"):
        p.add_argument(flag, required=True)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    kubectl = find_kubectl()
    if not shutil.which("wrk") or not kubectl:
        print("SKIP: wrk and kubectl are needed (tests/install-deps.sh installs them)")
        return SKIP
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, "tmp")
    os.makedirs(tmp, exist_ok=True)
    load = open("/proc/loadavg").read().split()[:3]
    header = (f"# Benchmark run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
              f"{os.cpu_count()} cores, load average at start {' '.join(load)}"
              f"{' (--quick)' if a.quick else ''}\n")
    with KubeSim(a.kube_sim) as sim:
        tables = [webhook_table(a, tmp, sim), plugin_table(a, sim, kubectl)]
    shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(header + "\n" + "\n\n".join(tables) + "\n")
    print(f"wrote {os.path.join(a.out, 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
