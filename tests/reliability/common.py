"""Helpers shared by the reliability suites (stdlib only): a result table,
test certificates made with openssl, and starting the real webhook binary
against a kube-sim.

Every suite prints one line per case ("ok   name: measured" or "FAIL ...")
and exits 0 when all pass, 1 otherwise, 77 when a tool it needs is missing.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "kube-sim", "e2e"))
from kubesim import SKIP, KubeSim, KubeSimError, find_kubectl  # noqa: E402,F401

SVC = "kargo-token-webhook"
SVC_NS = "kargo-token-system"
DNS = f"{SVC}.{SVC_NS}.svc"


class Table:
    """Collects case outcomes; `check` records one, `exit_code` sums up."""

    def __init__(self):
        self.passed, self.failed = 0, []
        self.started = time.monotonic()

    def check(self, name, ok, measured, detail=""):
        at = time.monotonic() - self.started
        print(("ok   " if ok else "FAIL ") + f"[{at:5.1f}s] {name}: {measured}" +
              ("" if ok or not detail else f"\n     {detail}"), flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)

    def exit_code(self):
        print(f"{self.passed} passed, {len(self.failed)} failed in "
              f"{time.monotonic() - self.started:.0f}s")
        for name in self.failed:
            print(f"FAILED: {name}")
        return 1 if self.failed else 0


def run_in_tmpdir(prefix, body):
    """A suite's main: body(tmp, table) in a fresh temporary directory that
    is removed afterwards; returns the table's exit code."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    table = Table()
    try:
        body(tmp, table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return table.exit_code()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certs(d):
    """A CA and a serving certificate for the webhook's Service DNS name and
    127.0.0.1 in directory d; returns the CA's path."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-sha256", "-days", "2", "-subj", "/CN=reliability-ca", "-keyout", "ca.key",
            "-out", "ca.crt")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write(f"subjectAltName=DNS:{DNS},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=CA:FALSE\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-sha256",
            "-subj", f"/CN={DNS}", "-keyout", "tls.key", "-out", "tls.csr")
    openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", "ext.cnf", "-out", "tls.crt")
    return os.path.join(d, "ca.crt")


class Webhook:
    """The real kargo-token-webhook on 127.0.0.1 with certificates from
    make_certs(tmp), talking to the API server of `kubeconfig`; its stderr
    (the JSON log) goes to tmp/webhook.log."""

    def __init__(self, binary, tmp, kubeconfig, port=None, extra_args=()):
        self.port, self.probe = port or free_port(), free_port()
        self.log = os.path.join(tmp, "webhook.log")
        with open(self.log, "ab") as logf:
            self.proc = subprocess.Popen(
                [binary, f"--listen=127.0.0.1:{self.port}",
                 f"--probe-listen=127.0.0.1:{self.probe}", f"--tls-cert-file={tmp}/tls.crt",
                 f"--tls-private-key-file={tmp}/tls.key", f"--kubeconfig={kubeconfig}",
                 "--shutdown-delay=0", *extra_args], stderr=logf, stdin=subprocess.DEVNULL)

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"webhook exited {self.proc.returncode}: {self.log_text()[-2000:]}")
            if self.readyz() == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("webhook never became ready")

    def readyz(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.probe}/readyz", timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return None

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def stop(self):
        """SIGTERM; returns the exit code (None if it had to be killed)."""
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
