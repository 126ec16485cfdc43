"""Webhook throughput and latency (issue #8): wrk POSTs real AdmissionReviews
over TLS keep-alive at several connection counts to the webhook — cases (a),
(b), (c) of reviews.py — and, in the same run, to the two reference servers
(servers.py). Repetitions are interleaved (every target at one connection
count, then the next count, then the next repetition) so that load changes
on the machine hit all targets alike.

Per cell: req/s, p50/p90/p99/max, server CPU per request (process CPU time
from /proc before/after the run divided by the requests wrk completed), RSS
after the run; for the webhook also kube-sim's CPU per request (case (b)'s
SubjectAccessReview, case (c)'s GET) and the handler's own time from the
webhook's JSON log (latency_ms of each decision, at 1 connection)."""
import json
import os

from common import Webhook, make_certs
from measure import cpu_seconds, fmt_mmm, median, rss_mib
from reviews import CASES, EXPECTED, create_system_role, expect, fast_path_review, valid_token_review
from servers import BareServer, Nginx
from wrk_load import wrk


def handler_ms(log, start, end):
    """Median and p99 of latency_ms over the decisions logged in [start, end)."""
    with open(log, "rb") as f:
        f.seek(start)
        chunk = f.read(end - start)
    values = []
    for line in chunk.splitlines():
        if b'"latency_ms"' in line:
            try:
                values.append(json.loads(line)["latency_ms"])
            except (ValueError, KeyError):
                pass
    if not values:
        return None
    values.sort()
    return values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.99))]


def run(a, tmp, sim, kubectl, env):
    """(markdown, data): data[target][connections] = list of wrk results;
    data['handler'][case] = (p50 ms, p99 ms)."""
    make_certs(tmp)
    create_system_role(kubectl, sim.kubeconfig, env)
    hook = Webhook(a.webhook, tmp, sim.kubeconfig)
    # Case (b) again on a webhook that reuses allowed SubjectAccessReview
    # answers for 10 s (off by default): what the cache buys.
    cached = Webhook(a.webhook, tmp, sim.kubeconfig, extra_args=["--access-review-cache-ttl=10"])
    refs = [cached]
    try:
        hook.wait_ready()
        cached.wait_ready()
        targets = []
        for key, title, body in CASES:
            expect(hook.port, body(), *EXPECTED[key])
            targets.append((f"webhook ({key}) {title}", hook.port, body(), lambda: [hook.proc.pid], key))
        expect(cached.port, valid_token_review(), *EXPECTED["b"])
        targets.append(("webhook (b) with --access-review-cache-ttl=10", cached.port, valid_token_review(),
                        lambda: [cached.proc.pid], "b-cached"))
        if a.bare_server:
            bare = BareServer(a.bare_server, tmp)
            refs.append(bare)
            targets.append(("bare cpp-httplib (parse + answer)", bare.port, fast_path_review(),
                            bare.pids, "bare"))
        nginx = Nginx(tmp)
        refs.append(nginx)
        targets.append(("nginx (static AdmissionReview)", nginx.port, fast_path_review(),
                        nginx.pids, "nginx"))
        bodies = {}
        for name, _, body, _, key in targets:
            bodies[key] = os.path.join(tmp, f"body-{key}.json")
            with open(bodies[key], "wb") as f:
                f.write(body)
        conns = [1, 8] if a.quick else [1, 8, 32, 128]
        reps, seconds = (1, 1) if a.quick else (3, 5)
        data = {key: {c: [] for c in conns} for *_, key in targets}
        data["handler"] = {}
        sim_pid = [sim.proc.pid]
        for rep in range(reps):
            for c in conns:
                for name, port, _, pids, key in targets:
                    log_start = os.path.getsize(hook.log)
                    sim_before = cpu_seconds(sim_pid)
                    r = wrk(f"https://127.0.0.1:{port}/validate-secrets", bodies[key], c, seconds, pids)
                    r["sim_cpu_us"] = (cpu_seconds(sim_pid) - sim_before) / max(r["requests"], 1) * 1e6
                    if c == 1 and rep == reps - 1 and key in ("a", "b", "c"):
                        data["handler"][key] = handler_ms(hook.log, log_start, os.path.getsize(hook.log))
                    data[key][c].append(r)
                    print(f"  [{rep + 1}/{reps}] {name} c={c}: {r['rps']:.0f} req/s p99 {r['p99']:.2f} ms "
                          f"cpu {r['cpu_us']:.1f} us/req {r['errors']}", flush=True)
        peaks = {key: rss_mib(pids(), "VmHWM") for _, _, _, pids, key in targets}
        return _tables(targets, conns, reps, seconds, data, peaks), data
    finally:
        for r in refs:
            r.stop()
        hook.stop()


def _tables(targets, conns, reps, seconds, data, peaks):
    out = [f"## Webhook and reference servers, wrk over TLS keep-alive\n\n"
           f"{reps} interleaved run(s) of {seconds} s per cell; median (min–max) of req/s, "
           "medians of the latency percentiles; CPU = server process CPU time per completed "
           "request (wrk runs on the same 2 cores); kube-sim CPU is the API server's share "
           "(SubjectAccessReview / GET)."]
    for name, _, _, _, key in targets:
        rows = ["| connections | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU µs/req | "
                "kube-sim CPU µs/req | RSS MiB | socket errors |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for c in conns:
            rs = data[key][c]
            errors = "; ".join(sorted({r["errors"] for r in rs if r["errors"]})) or "none"
            rows.append(f"| {c} | {fmt_mmm([r['rps'] for r in rs], 0)} | "
                        + " | ".join(f"{median([r[p] for r in rs]):.2f}" for p in ("p50", "p90", "p99", "max"))
                        + f" | {median([r['cpu_us'] for r in rs]):.1f} | "
                        f"{median([r['sim_cpu_us'] for r in rs]):.1f} | "
                        f"{median([r['rss'] for r in rs]):.1f} | {errors} |")
        out.append(f"### {name}\n\npeak RSS {peaks[key]:.1f} MiB\n\n" + "\n".join(rows))
    handler = data["handler"]
    if handler:
        rows = ["| case | handler p50 ms | handler p99 ms |", "|---|---|---|"]
        for key, title, _ in CASES:
            if handler.get(key):
                rows.append(f"| ({key}) {title} | {handler[key][0]:.4f} | {handler[key][1]:.4f} |")
        out.append("### Handler time (webhook log `latency_ms`, 1 connection, last run)\n\n" + "\n".join(rows))
    c = 32 if 32 in conns else conns[-1]
    base = {k: median([r["rps"] for r in data[k][c]]) for k in ("bare", "nginx") if k in data}
    rows = [f"| target | req/s | × bare httplib | × nginx | p99 ms |", "|---|---|---|---|---|"]
    for name, _, _, _, key in targets:
        rps = median([r["rps"] for r in data[key][c]])
        ratio = lambda k: f"{rps / base[k]:.2f}" if base.get(k) else "–"  # noqa: E731
        rows.append(f"| {name} | {rps:.0f} | {ratio('bare')} | {ratio('nginx')} | "
                    f"{median([r['p99'] for r in data[key][c]]):.2f} |")
    out.append(f"### Summary at {c} connections (medians)\n\n" + "\n".join(rows))
    return "\n\n".join(out)
