"""Helpers of the webhook fault suite (stdlib only): a TCP proxy that can make
the API server unreachable, AdmissionReview posting and probes, the kubelet's
Secret-volume layout for certificate rotation, and wrk load runs.
"""
import base64
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid


class TcpProxy:
    """Forwards 127.0.0.1:port to `target` (host, port). stop() closes the
    listener and every open connection (the API server is unreachable: new
    connections are refused); start() listens again on the same port."""

    def __init__(self, target):
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.listener = None
        self.conns = set()
        self.lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self):
        if self.listener:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        with self.lock:
            conns, self.conns = self.conns, set()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def token_secret(ns, name, role, token=None, secret_type="kubernetes.io/service-account-token"):
    secret = {"apiVersion": "v1", "kind": "Secret",
              "metadata": {"name": name, "namespace": ns,
                           "labels": {"rbac.kargo.akuity.io/api-token": "true"},
                           "annotations": {"kubernetes.io/service-account.name": role,
                                           "rbac.kargo.akuity.io/managed": "true"}},
              "type": secret_type}
    if token:
        secret["data"] = {"token": base64.b64encode(token.encode()).decode()}
    return secret


def review(secret, user="bob", operation="CREATE"):
    """An admission.k8s.io/v1 AdmissionReview as the API server sends it."""
    gvk = {"group": "", "version": "v1", "kind": "Secret"}
    gvr = {"group": "", "version": "v1", "resource": "secrets"}
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": str(uuid.uuid4()), "kind": gvk, "resource": gvr,
                        "requestKind": gvk, "requestResource": gvr,
                        "name": secret["metadata"]["name"],
                        "namespace": secret["metadata"]["namespace"], "operation": operation,
                        "userInfo": {"username": user, "groups": ["system:authenticated"]},
                        "object": secret, "oldObject": None, "dryRun": False,
                        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}}


class Webhook:
    """Client side of a running webhook: POST reviews over TLS (trusting the
    test CA), read /readyz and /metrics."""

    def __init__(self, port, probe_port, ca_file):
        self.port, self.probe_port = port, probe_port
        self.ctx = ssl.create_default_context(cafile=ca_file)
        self.ctx.check_hostname = False

    def post(self, body, timeout=30):
        """Returns (seconds, response dict or None, error string)."""
        data = json.dumps(body).encode()
        req = urllib.request.Request(f"https://127.0.0.1:{self.port}/validate-secrets", data=data,
                                     headers={"Content-Type": "application/json"})
        start = time.monotonic()
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=timeout) as r:
                return time.monotonic() - start, json.loads(r.read()), ""
        except (OSError, ValueError) as e:
            return time.monotonic() - start, None, str(e)

    def probe(self, path):
        """(status, body); status 0 when the probe listener does not answer."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.probe_port}{path}",
                                        timeout=2) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except OSError as e:
            return 0, str(e)

    def metric(self, name, labels):
        _, text = self.probe("/metrics")
        m = re.search(re.escape(name + labels) + r" (\S+)", text)
        return float(m.group(1)) if m else None

    def served_serial(self):
        """Serial number (hex) of the certificate a fresh handshake gets."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as raw:
            with self.ctx.wrap_socket(raw) as tls:
                der = tls.getpeercert(binary_form=True)
        out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"],
                             input=der, capture_output=True, check=True).stdout.decode()
        return out.strip().split("=", 1)[1]


def wait_for(pred, limit, step=0.05):
    """Polls pred until true; returns seconds taken, or None after `limit`."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if pred():
            return time.monotonic() - start
        time.sleep(step)
    return None


def issue_leaf(d, name, dns):
    """A serving certificate for `dns` and 127.0.0.1 signed by d/ca.{crt,key},
    written to d/name.crt and d/name.key; returns its serial (hex)."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    with open(os.path.join(d, f"{name}.cnf"), "w") as f:
        f.write(f"subjectAltName=DNS:{dns},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=CA:FALSE\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", f"/CN={dns}",
            "-keyout", f"{name}.key", "-out", f"{name}.csr")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", f"{name}.cnf",
            "-out", f"{name}.crt")
    out = subprocess.run(["openssl", "x509", "-in", f"{name}.crt", "-noout", "-serial"], cwd=d,
                         check=True, capture_output=True).stdout.decode()
    return out.strip().split("=", 1)[1]


class SecretVolume:
    """The kubelet's layout of a mounted Secret: <dir>/..<stamp>/{tls.crt,
    tls.key}, <dir>/..data -> ..<stamp>, <dir>/tls.crt -> ..data/tls.crt.
    publish() writes a new timestamped dir and swaps ..data atomically
    (symlink to a temporary name, then rename over ..data)."""

    def __init__(self, path):
        self.path = path
        os.makedirs(path)
        self.generation = 0

    def publish(self, cert_file, key_file):
        self.generation += 1
        stamp = f"..2026_11_28_00_00_{self.generation:02d}.{os.getpid()}"
        target = os.path.join(self.path, stamp)
        os.mkdir(target)
        for src, name in ((cert_file, "tls.crt"), (key_file, "tls.key")):
            with open(src, "rb") as f, open(os.path.join(target, name), "wb") as out:
                out.write(f.read())
        tmp = os.path.join(self.path, "..data_tmp")
        os.symlink(stamp, tmp)
        os.rename(tmp, os.path.join(self.path, "..data"))
        for name in ("tls.crt", "tls.key"):
            link = os.path.join(self.path, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)


WRK_SCRIPT = """-- kargo-token fault suite: POST one AdmissionReview, count answers that
-- are not HTTP 200 with "allowed": true.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
%(extra_headers)s
wrk.body = [==[%(body)s]==]
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or not body:find('"allowed":%%s*true') then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("KT requests=%%d bad=%%d connect=%%d read=%%d write=%%d status=%%d " ..
                         "timeout=%%d seconds=%%.3f\\n", summary.requests, b, e.connect, e.read,
                         e.write, e.status, e.timeout, summary.duration / 1e6))
end
"""


class Wrk:
    """One wrk run in the background posting `body` to the webhook."""

    def __init__(self, tmp, name, port, body, seconds, connections=16, close=False):
        script = os.path.join(tmp, f"{name}.lua")
        headers = 'wrk.headers["Connection"] = "close"' if close else ""
        with open(script, "w") as f:
            f.write(WRK_SCRIPT % {"body": json.dumps(body), "extra_headers": headers})
        self.proc = subprocess.Popen(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
             f"https://127.0.0.1:{port}/validate-secrets"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def result(self):
        out, _ = self.proc.communicate(timeout=120)
        m = re.search(r"^KT (.*)$", out, re.M)
        if not m:
            return {"output": out, "requests": 0, "failed": -1}
        r = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
        r["failed"] = int(r["bad"] + r["connect"] + r["read"] + r["write"] + r["status"] +
                          r["timeout"])
        r["output"] = out
        return r
