"""wrk over TLS keep-alive POSTing one AdmissionReview body, with the CPU
time and resident size of the server processes sampled around the run."""
import re
import subprocess

from measure import cpu_seconds, rss_mib


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url, body_file, connections, seconds, server_pids=()):
    """One wrk run: {'rps', 'requests', 'p50', 'p90', 'p99', 'max' (ms),
    'errors', 'cpu_us' (server CPU per request, all of `server_pids`),
    'rss' (MiB after the run)}."""
    lua = body_file + ".lua"
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f'local f = io.open("{body_file}")\nwrk.body = f:read("*a")\nf:close()\n')
    pids = list(server_pids() if callable(server_pids) else server_pids)
    cpu_before = cpu_seconds(pids) if pids else 0
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d",
                          f"{seconds}s", "--latency", "-s", lua, url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    cpu = cpu_seconds(pids) - cpu_before if pids else 0
    if re.search(r"Non-2xx", out):
        raise RuntimeError(f"wrk saw non-2xx answers:\n{out}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "max": _ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out).group(1))}
    for p in (50, 90, 99):
        result[f"p{p}"] = _ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    result["errors"] = errors.group(1) if errors else ""
    result["cpu_us"] = cpu / max(result["requests"], 1) * 1e6 if pids else None
    result["rss"] = rss_mib(pids) if pids else None
    return result
