"""Process measurements for the benchmark suite (stdlib only): wall time and
peak RSS of a command run to completion, CPU time and resident size of
running servers from /proc, and the median (min–max) summaries every table
uses."""
import os
import subprocess
import tempfile
import time

TICKS = os.sysconf("SC_CLK_TCK")


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def timed(argv, env, stdin=None):
    """(wall seconds, peak RSS MiB) of one process run to completion; raises
    if it fails. The peak RSS comes from GNU time (a small parent), not from
    our own wait4: a child forked or vforked by this Python process inherits
    its high-water RSS through exec (Linux keeps the larger of the old and new
    mm's peak in ru_maxrss), so wait4 would report at least Python's own
    peak. Without /usr/bin/time it falls back to wait4 and says so."""
    fd, rss_file = tempfile.mkstemp(prefix="kt-bench-rss-")
    os.close(fd)
    wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file, *argv] if GNU_TIME else argv
    try:
        started = time.monotonic()
        proc = subprocess.Popen(wrapped, env=env, stdin=subprocess.DEVNULL if stdin is None else stdin,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{argv} failed: {err[-500:]}")
        if GNU_TIME:
            with open(rss_file) as f:
                return wall, int(f.read().split()[-1]) / 1024
        return wall, usage.ru_maxrss / 1024
    finally:
        os.remove(rss_file)


def cpu_seconds(pids):
    """User + system CPU seconds so far of processes `pids` (all threads)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / TICKS


def rss_mib(pids, field="VmRSS"):
    """Sum of /proc/PID/status `field` (VmRSS now, VmHWM peak) in MiB."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
    return total / 1024


def children(pid):
    """Pids of the direct children of `pid` (nginx's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def median_min_max(values):
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def fmt_mmm(values, digits=1):
    """'median (min–max)' of `values`, or just the value when there is one."""
    m, lo, hi = median_min_max(values)
    if len(values) == 1:
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def median(values):
    return median_min_max(values)[0]
