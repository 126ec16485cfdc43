"""Callgrind instruction counts (issue #8): figures that do not move with
machine load, kept in docs/benchmarks.md so that regressions show.

- webhook handler: the webhook runs under callgrind with --toggle-collect on
  ReviewHandler::Handle (webhook/review_handler.cc), so only the handler's
  instructions (decode, policy, encode, log line, metrics) are counted; N
  reviews of one case over one TLS keep-alive connection, total / N;
- webhook whole request: collecting everything, the difference of two runs
  with N1 and N2 reviews divided by N2 − N1 (start-up cancels out; TLS record
  work, httplib parsing and the handler remain, plus a little background);
- bare cpp-httplib server, the same difference (the reference);
- plugin: total instructions of one `get --system` process and, as the
  floor of any invocation, `version --client`."""
import http.client
import os
import re
import ssl
import subprocess
import time

from common import Webhook
from measure import fmt_mmm
from reviews import CASES, fast_path_review
from servers import BareServer

HANDLER = "kargo_token::webhook::ReviewHandler::Handle*"


def _total(path):
    with open(path) as f:
        text = f.read()
    m = re.search(r"^(?:summary|totals):\s+(\d+)", text, re.M)
    return int(m.group(1))


def _wrapper(tmp, name, binary, out, extra=()):
    """A script running `binary` under callgrind writing to `out`."""
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexec valgrind --tool=callgrind --quiet "
                + " ".join(f"'{x}'" for x in extra)
                + f" --callgrind-out-file='{out}' '{binary}' \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def _post(port, body, count):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=120)
    for _ in range(count):
        conn.request("POST", "/validate-secrets", body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"review answered {r.status}")
    conn.close()


def _webhook_run(a, tmp, sim, body, count, extra, tag):
    out = os.path.join(tmp, f"callgrind.{tag}.out")
    hook = Webhook(_wrapper(tmp, f"cg-{tag}.sh", a.webhook, out, extra), tmp, sim.kubeconfig)
    try:
        hook.wait_ready(300)
        _post(hook.port, body, count)
    finally:
        hook.stop()
    return _total(out)


def _bare_run(a, tmp, body, count, tag):
    out = os.path.join(tmp, f"callgrind.{tag}.out")
    server = BareServer(_wrapper(tmp, f"cg-{tag}.sh", a.bare_server, out), tmp)
    try:
        time.sleep(0.5)
        _post(server.port, body, count)
    finally:
        server.stop()
    return _total(out)


def run(a, tmp, sim, env):
    """Markdown and {name: instructions}. Needs the certificates and cluster
    that webhook_bench.run made in `tmp`/`sim`."""
    n = 20 if a.quick else 200
    n1, n2 = (10, 30) if a.quick else (50, 250)
    rows = ["| measured | instructions (Ir) |", "|---|---|"]
    data = {}
    for key, title, body in CASES:
        ir = _webhook_run(a, tmp, sim, body(), n, [f"--toggle-collect={HANDLER}"], f"handler-{key}") / n
        data[f"handler ({key})"] = ir
        rows.append(f"| webhook handler per review, ({key}) {title} | {ir:,.0f} |")
        print("  " + rows[-1], flush=True)
    body = fast_path_review()
    per = (_webhook_run(a, tmp, sim, body, n2, [], "whole-n2") - _webhook_run(a, tmp, sim, body, n1, [], "whole-n1")) / (n2 - n1)
    data["webhook request (a)"] = per
    rows.append(f"| webhook whole request over TLS keep-alive, (a) fast path | {per:,.0f} |")
    print("  " + rows[-1], flush=True)
    if a.bare_server:
        per = (_bare_run(a, tmp, body, n2, "bare-n2") - _bare_run(a, tmp, body, n1, "bare-n1")) / (n2 - n1)
        data["bare request"] = per
        rows.append(f"| bare cpp-httplib whole request over TLS keep-alive | {per:,.0f} |")
        print("  " + rows[-1], flush=True)
    for label, args in (("plugin get --system (whole process)", ["get", "--system"]),
                        ("plugin version --client (whole process)", ["version", "--client"])):
        counts = []
        for i in range(1 if a.quick else 3):
            out = os.path.join(tmp, f"callgrind.plugin-{args[0]}-{i}.out")
            subprocess.run(["valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={out}",
                            a.plugin, *args], env=env, check=True, capture_output=True)
            counts.append(_total(out) / 1e6)
        data[label] = counts
        rows.append(f"| {label}, million, median (min–max) of {len(counts)} | {fmt_mmm(counts, 2)} |")
        print("  " + rows[-1], flush=True)
    return (f"## Callgrind instruction counts (handler: {n} reviews per case; whole request: "
            f"({n2} − {n1}) reviews)\n\n" + "\n".join(rows)), data
