"""Issue #8's targets evaluated from one run's data: one row per target with
the measured figure and met / missed. Only ratios within the run and the
absolute latencies the issue names; nothing here fails the suite."""
from measure import median


def _verdict(ok):
    return "met" if ok else "**missed**"


def table(data):
    rows = ["| target | measured | verdict |", "|---|---|---|"]
    w = data.get("webhook")
    if w:
        c = 32 if 32 in w["a"] else max(w["a"])
        rps = {k: median([r["rps"] for r in w[k][c]]) for k in w if k != "handler"}
        for key in (k for k in ("a", "b", "c", "b-cached") if k in w):
            p99 = median([r["p99"] for r in w[key][c]])
            if "bare" in rps:
                ratio = rps[key] / rps["bare"]
                rows.append(f"| webhook ({key}) ≥ 0.9 × bare cpp-httplib req/s at {c} connections | "
                            f"{ratio:.2f} × ({rps[key]:.0f} vs {rps['bare']:.0f}) | {_verdict(ratio >= 0.9)} |")
            ratio = rps[key] / rps["nginx"]
            rows.append(f"| webhook ({key}) ≥ 0.25 × nginx req/s at {c} connections | "
                        f"{ratio:.2f} × ({rps[key]:.0f} vs {rps['nginx']:.0f}) | {_verdict(ratio >= 0.25)} |")
            rows.append(f"| webhook ({key}) p99 ≤ 5 ms at {c} connections | {p99:.2f} ms | {_verdict(p99 <= 5)} |")
        h = w["handler"].get("a")
        if h:
            rows.append(f"| fast path ≤ 20 µs handler time (log latency_ms p50, 1 connection) | "
                        f"{h[0] * 1000:.1f} µs (p99 {h[1] * 1000:.1f} µs) | {_verdict(h[0] * 1000 <= 20)} |")
        cpu = median([r["cpu_us"] for r in w["a"][1]])
        rows.append(f"| (context) fast path whole-process CPU per request incl. TLS, 1 connection | "
                    f"{cpu:.1f} µs | – |")
    p = data.get("plugin")
    if p:
        get = p["get --system"]
        ours = [label for label in get if label.startswith("plugin")]
        for mine in ours:
            build = mine[:-len(" get --system")]
            for label in (label for label in get if label not in ours):
                wall = median([s[0] for s in get[mine]]) / median([s[0] for s in get[label]])
                rss = median([s[1] for s in get[mine]]) / median([s[1] for s in get[label]])
                rows.append(f"| {build} get --system ≤ 0.1 × wall of {label} | {wall:.2f} × | {_verdict(wall <= 0.1)} |")
                rows.append(f"| {build} get --system ≤ 0.2 × RSS of {label} | {rss:.2f} × | {_verdict(rss <= 0.2)} |")
    g = data.get("get_all")
    if g:
        n, wall, rss = g["plugin"][-1]
        n0, _, rss0 = g["plugin"][0]
        rows.append(f"| get -A over {n} tokens ≤ 1 s | {wall:.0f} ms | {_verdict(wall <= 1000)} |")
        rows.append(f"| get -A memory bounded by page size ({n0} → {n} tokens) | "
                    f"{rss0:.1f} → {rss:.1f} MiB peak RSS ({rss / rss0:.2f} ×) | "
                    f"{_verdict(rss / rss0 <= 1.5)} (bounded = grows < 1.5 × over the range) |")
    d = data.get("create_delay")
    if d:
        worst = max(p[3] for p in d)
        rows.append(f"| create ≤ 10 ms after population (plugin exit − token seen populated by a watch, worst median "
                    f"over delays {', '.join(str(x[0]) for x in d)} ms) | {worst:.1f} ms | {_verdict(worst <= 10)} |")
    return "## Targets (issue #8), this run\n\n" + "\n".join(rows)
