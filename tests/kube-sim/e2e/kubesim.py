"""Start and stop a kube-sim for the real-client suites (stdlib only).

    with KubeSim(binary, kubernetes_version="1.32") as sim:
        sim.url         # "https://127.0.0.1:PORT"
        sim.kubeconfig  # admin kubeconfig written by kube-sim
        sim.host_port   # "127.0.0.1:PORT"

The server runs with a fresh --state-dir under a temporary directory that is
removed on exit; its stderr goes to <tmp>/kube-sim.log and is printed if it
fails to start. SKIP (77) is CTest's skip code for the suites.
"""
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading

SKIP = 77
READY = re.compile(r"^kube-sim ready (https://(127\.0\.0\.1:\d+))\s*$")


class KubeSimError(RuntimeError):
    pass


class KubeSim:
    def __init__(self, binary, kubernetes_version=None, extra_args=(), ready_timeout=30):
        self.binary = binary
        self.kubernetes_version = kubernetes_version
        self.extra_args = list(extra_args)
        self.ready_timeout = ready_timeout
        self.tmp = None
        self.proc = None
        self.url = self.host_port = self.kubeconfig = None
        self._lines = queue.Queue()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        if not os.access(self.binary, os.X_OK):
            raise KubeSimError(f"kube-sim binary {self.binary!r} is not executable; build target kube-sim")
        self.tmp = tempfile.mkdtemp(prefix="kube-sim-e2e-")
        state = os.path.join(self.tmp, "state")
        os.mkdir(state)
        args = [self.binary, "--listen", "127.0.0.1:0", "--state-dir", state]
        if self.kubernetes_version:
            args += ["--kubernetes-version", self.kubernetes_version]
        self.log_path = os.path.join(self.tmp, "kube-sim.log")
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args + self.extra_args, stdout=subprocess.PIPE, stderr=log,
                                     stdin=subprocess.DEVNULL, text=True)
        log.close()
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            line = self._lines.get(timeout=self.ready_timeout)
        except queue.Empty:
            line = None
        match = READY.match(line or "")
        if not match:
            self.stop(keep=True)
            raise KubeSimError(f"kube-sim did not print its ready line (got {line!r}); log:\n{self.log_tail()}")
        self.url, self.host_port = match.group(1), match.group(2)
        self.kubeconfig = os.path.join(state, "kubeconfig")
        if not os.path.exists(self.kubeconfig):
            self.stop(keep=True)
            raise KubeSimError(f"kube-sim wrote no {self.kubeconfig}")

    def _drain(self):
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put("")

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, keep=False):
        """Sends SIGTERM, waits up to 10 s, then SIGKILL. Returns the exit code."""
        rc = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        elif self.proc:
            rc = self.proc.returncode
        if self.tmp and not keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return rc


def find_kubectl(version=None):
    """Path of the kubectl dispatcher (version None) or of kubectl.<version>
    installed beside it; None if missing."""
    dispatcher = shutil.which("kubectl")
    if not dispatcher:
        return None
    if version is None:
        return dispatcher
    path = os.path.join(os.path.dirname(os.path.realpath(dispatcher)), f"kubectl.{version}")
    return path if os.access(path, os.X_OK) else None


def run_suite(description, name, body):
    """The main of a real-kubectl suite: parses --kube-sim and --kubectl-version,
    skips (77) when kubectl.1.NN is not installed, calls body(opts, kubectl,
    workdir) in a temporary directory removed afterwards, and turns the suite it
    returns (with .passed and .failed) into the exit code. body may return an
    int exit code instead (e.g. SKIP for a missing tool)."""
    import argparse
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--kube-sim", required=True, help="path of the kube-sim binary")
    parser.add_argument("--kubectl-version", required=True, help="e.g. 1.32")
    opts = parser.parse_args()
    kubectl = find_kubectl(opts.kubectl_version)
    if not kubectl:
        print(f"SKIP: kubectl.{opts.kubectl_version} is not installed beside the kubectl dispatcher")
        return SKIP
    workdir = tempfile.mkdtemp(prefix=f"{name}-{opts.kubectl_version}-")
    try:
        suite = body(opts, kubectl, workdir)
    except KubeSimError as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if isinstance(suite, int):
        return suite
    print(f"{suite.passed} passed, {len(suite.failed)} failed")
    return 1 if suite.failed else 0
