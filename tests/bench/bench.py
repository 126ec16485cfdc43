#!/usr/bin/env python3
"""Benchmark suite (issue #8; docs/benchmarks.md), against kube-sim, the
webhook and the reference servers on loopback. Writes docs/benchmarks-style
Markdown (results.md) and one PNG per scale curve into --out.

    bench.py --webhook W --plugin P --kube-sim K [--bare-server B] --out DIR
             [--quick] [--parts webhook,plugin,scale,callgrind]

Parts (each in its own module):
  webhook    webhook_bench.py  wrk over TLS: cases (a)(b)(c), bare httplib, nginx
  plugin     plugin_bench.py   get --system / get -A / create / delete vs kubectl
  scale      scale.py          get -A vs tokens, webhook vs cached ServiceAccounts,
                               create vs tokens-controller delay (gnuplot PNGs)
  callgrind  callgrind_bench.py instruction counts (not in --quick unless named)

Prints numbers and never judges speed: it exits 1 only if a measurement
could not be produced, 77 if wrk, kubectl, nginx or gnuplot is missing.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "reliability"))
from common import SKIP, KubeSim, find_kubectl  # noqa: E402
import callgrind_bench  # noqa: E402
import plugin_bench  # noqa: E402
import scale  # noqa: E402
import targets  # noqa: E402
import webhook_bench  # noqa: E402
from servers import nginx_binary  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def machine(a):
    def sh(cmd):
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    build_type = "unknown"
    d = os.path.dirname(os.path.abspath(a.plugin))
    while d != "/":
        cache = os.path.join(d, "CMakeCache.txt")
        if os.path.exists(cache):
            for line in open(cache):
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    build_type = line.split("=", 1)[1].strip()
            break
        d = os.path.dirname(d)
    dirty = " (working tree has uncommitted changes)" if sh(f"git -C {REPO} status --porcelain -uno") else ""
    model = sh("lscpu | grep 'Model name' | sed 's/Model name: *//'")
    gib = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    commit = sh(f"git -C {REPO} rev-parse --short HEAD")
    tools = "; ".join([sh("wrk -v 2>&1 | head -1"), sh(nginx_binary() + " -v 2>&1"), sh("valgrind --version"),
                       "kubectl " + sh("kubectl version --client 2>/dev/null | head -1")])
    return (f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{' (--quick)' if a.quick else ''}\n"
            f"- machine: {sh('nproc')} cores, {model}, {gib} GiB\n"
            f"- load average at start: {load}\n"
            f"- build type: {build_type}; commit {commit}{dirty}\n"
            f"- tools: {tools}\n")


def main():
    p = argparse.ArgumentParser()
    for flag in ("--webhook", "--plugin", "--kube-sim", "--out"):
        p.add_argument(flag, required=True)
    p.add_argument("--plugin-static", help="the static release plugin, measured beside --plugin (optional)")
    p.add_argument("--bare-server", help="tests/bench/bare_httplib_server (reference; skipped if absent)")
    p.add_argument("--quick", action="store_true", help="tiny runs for the smoke test")
    p.add_argument("--parts", help="comma-separated subset of webhook,plugin,scale,callgrind")
    a = p.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every server started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = set(a.parts.split(",")) if a.parts else (
        {"webhook", "plugin", "scale"} if a.quick else {"webhook", "plugin", "scale", "callgrind"})
    kubectl = find_kubectl()
    needed = {"wrk": shutil.which("wrk"), "kubectl": kubectl, "nginx": nginx_binary(),
              "gnuplot": shutil.which("gnuplot")}
    if "callgrind" in parts:
        needed["valgrind"] = shutil.which("valgrind")
    missing = [k for k, v in needed.items() if not v]
    if missing:
        print(f"SKIP: {', '.join(missing)} missing (tests/bench/run.sh installs them)")
        return SKIP
    if a.bare_server and not os.access(a.bare_server, os.X_OK):
        a.bare_server = None
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="kt-bench-")
    started = time.monotonic()
    sections, data = [f"# Benchmark run\n\n{machine(a)}"], {}
    try:
        with KubeSim(a.kube_sim) as sim:
            env = {**os.environ, "KUBECONFIG": sim.kubeconfig, "HOME": os.path.join(tmp, "home")}
            if "webhook" in parts or "callgrind" in parts:
                print("webhook throughput/latency", flush=True)
                md, data["webhook"] = webhook_bench.run(a, tmp, sim, kubectl, env)
                if "webhook" in parts:
                    sections.append(md)
            if "plugin" in parts:
                print("plugin vs kubectl", flush=True)
                md, data["plugin"] = plugin_bench.run(a, tmp, sim, kubectl, env)
                sections.append(md)
            if "callgrind" in parts:
                print("callgrind", flush=True)
                md, data["callgrind"] = callgrind_bench.run(a, tmp, sim, env)
                sections.append(md)
        if "scale" in parts:
            print("scale: get -A vs tokens", flush=True)
            md, data["get_all"] = scale.get_all_curve(a, tmp, kubectl, a.out)
            sections.append(md)
            print("scale: webhook vs cached ServiceAccounts", flush=True)
            md, data["sa_cache"] = scale.webhook_cache_curve(a, tmp, a.out)
            sections.append(md)
            print("scale: create vs tokens-controller delay", flush=True)
            md, data["create_delay"] = scale.create_delay_curve(a, tmp, kubectl, a.out)
            sections.append(md)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sections.insert(1, targets.table(data))
    sections.append(f"Suite wall time: {time.monotonic() - started:.0f} s")
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write("\n\n".join(sections) + "\n")
    print(f"wrote {os.path.join(a.out, 'results.md')} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
