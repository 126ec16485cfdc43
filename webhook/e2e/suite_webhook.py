#!/usr/bin/env python3
"""kargo-token-webhook end to end: kube-sim calls the real webhook binary
through the shipped ValidatingWebhookConfiguration (manifests/webhook, applied
with real kubectl, caBundle filled in, the Service mapped to the local server
with --service-endpoint). Token Secrets applied with `kubectl apply --as`:
missing role, supplied data.token, a name that is not a DNS-1123 label, and a
user lacking serviceaccounts/token are denied with kubectl's Forbidden line;
a valid token is admitted and populated by the tokens controller (whose
UPDATE passes the webhook); a non-token Secret is never affected.

    suite_webhook.py --kube-sim K --webhook W --manifests DIR [--kubectl-version 1.NN]

Exit 0 if all cases pass, 1 if any fails, 77 if the kubectl is missing.
"""
import argparse
import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "kube-sim", "e2e"))
from kubesim import SKIP, KubeSim, find_kubectl  # noqa: E402

NS = "demo"
SVC = "kargo-token-webhook"
SVC_NS = "kargo-token-system"
DNS = f"{SVC}.{SVC_NS}.svc"
HOOK = "project-tokens.kargo-token.io"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certs(d):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-subj", "/CN=e2e-ca", "-keyout", "ca.key", "-out", "ca.crt", cwd=d)
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write(f"subjectAltName=DNS:{DNS},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=CA:FALSE\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", f"/CN={DNS}",
            "-keyout", "tls.key", "-out", "tls.csr", cwd=d)
    openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", "ext.cnf", "-out", "tls.crt",
            cwd=d)
    with open(os.path.join(d, "ca.crt")) as f:
        return f.read()


def token_yaml(name, role, token=None, secret_type="kubernetes.io/service-account-token"):
    data = f"data:\n  token: {base64.b64encode(token.encode()).decode()}\n" if token else ""
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: {NS}
  labels:
    rbac.kargo.akuity.io/api-token: "true"
  annotations:
    kubernetes.io/service-account.name: {role}
    rbac.kargo.akuity.io/managed: "true"
type: {secret_type}
{data}"""


class Run:
    def __init__(self, kubectl, kubeconfig, tmp):
        self.kubectl, self.kubeconfig, self.tmp = kubectl, kubeconfig, tmp
        self.failures = 0

    def __call__(self, *args, stdin=None):
        p = subprocess.run([self.kubectl, "--kubeconfig", self.kubeconfig, *args], input=stdin,
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def must(self, *args, stdin=None):
        rc, out, err = self(*args, stdin=stdin)
        if rc != 0:
            raise RuntimeError(f"kubectl {' '.join(args)} failed: {err}")
        return out

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def check(self, case, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + case + ("" if ok else f"\n     {detail}"))
        if not ok:
            self.failures += 1

    def expect_denied(self, case, user, manifest, path_name, needles):
        path = self.write(path_name, manifest)
        rc, out, err = self("apply", "-f", path, f"--as={user}")
        prefix = (f'Error from server (Forbidden): error when creating "{path}": '
                  f'admission webhook "{HOOK}" denied the request: ')
        line = err.strip()
        ok = rc == 1 and line.startswith(prefix) and all(n in line for n in needles)
        self.check(case, ok, f"rc={rc} stdout={out!r} stderr={err!r}")
        if ok:
            print("     " + line.replace(self.tmp + "/", ""))


def setup_cluster(run, manifests, ca_pem):
    run.must("create", "namespace", NS)
    run.must("label", "namespace", NS, "kargo.akuity.io/project=true")
    run.must("-n", NS, "create", "serviceaccount", "ci")
    run.must("-n", NS, "create", "role", "secret-writer", "--verb=get,list,create,patch,update",
             "--resource=secrets")
    run.must("-n", NS, "create", "rolebinding", "secret-writers", "--role=secret-writer",
             "--user=alice", "--user=bob")
    run.must("-n", NS, "create", "role", "token-minter", "--verb=create",
             "--resource=serviceaccounts/token")
    run.must("-n", NS, "create", "rolebinding", "token-minters", "--role=token-minter",
             "--user=bob")
    with open(os.path.join(manifests, "validating-webhook.yaml")) as f:
        vwc = f.read()
    b64 = base64.b64encode(ca_pem.encode()).decode()
    vwc = vwc.replace("      port: 443\n", f"      port: 443\n    caBundle: {b64}\n")
    run.must("apply", "-f", run.write("vwc.yaml", vwc))


def wait_ready(probe_port, proc, log):
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"webhook exited {proc.returncode}: {open(log).read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{probe_port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("webhook never became ready")


def cases(run):
    run.expect_denied("missing role is denied", "bob", token_yaml("ghost-token", "ghost"),
                      "ghost.yaml", ['ServiceAccount "ghost" which does not exist',
                                     "(rule: role-existence)"])
    run.expect_denied("supplied data.token is denied", "bob",
                      token_yaml("ci-token-9", "ci", token="forged"), "supplied.yaml",
                      ["supplies its own data.token", "(rule: redaction)"])
    run.expect_denied("name that is not a DNS-1123 label is denied", "bob",
                      token_yaml("ci.token.1", "ci"), "dotted.yaml",
                      ["not a DNS-1123 label", "(rule: naming)"])
    run.expect_denied("user without serviceaccounts/token is denied", "alice",
                      token_yaml("ci-token-2", "ci"), "alice.yaml",
                      ['user "alice" may not create tokens for ServiceAccount "ci"',
                       "(rule: anti-escalation)"])

    path = run.write("valid.yaml", token_yaml("ci-token-1", "ci"))
    rc, out, err = run("apply", "-f", path, "--as=bob")
    run.check("valid token is admitted", rc == 0 and out.strip() == "secret/ci-token-1 created",
              f"rc={rc} stdout={out!r} stderr={err!r}")
    token = ""
    deadline = time.time() + 20
    while time.time() < deadline and not token:
        _, token, _ = run("-n", NS, "get", "secret", "ci-token-1", "-o",
                          "jsonpath={.data.token}")
        time.sleep(0.3)
    run.check("valid token is populated by the tokens controller", bool(token.strip()))

    path = run.write("opaque.yaml", token_yaml("plain", "ci", token="x", secret_type="Opaque"))
    rc, out, err = run("apply", "-f", path, "--as=bob")
    run.check("non-token Secret is not affected", rc == 0, f"rc={rc} stderr={err!r}")


def suite_main(run_suite, prefix, tools=()):
    """The main of a webhook suite: parses --kube-sim/--webhook/--manifests
    [--kubectl-version], skips (77) when kubectl or one of `tools` is missing,
    and calls run_suite(args, kubectl, tmp) in a temporary directory."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--kube-sim", required=True)
    ap.add_argument("--webhook", required=True)
    ap.add_argument("--manifests", required=True)
    ap.add_argument("--kubectl-version")
    a = ap.parse_args()
    kubectl = find_kubectl(a.kubectl_version)
    missing = [t for t in tools if not shutil.which(t)]
    if not kubectl or missing:
        print(f"skip: not installed: {' '.join(missing) or 'kubectl ' + (a.kubectl_version or '')}")
        return SKIP
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        return run_suite(a, kubectl, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    return suite_main(run_suite, "kt-webhook-e2e-")


def run_suite(a, kubectl, tmp):
    ca_pem = make_certs(tmp)
    port, probe = free_port(), free_port()
    sim_args = ["--service-endpoint", f"{SVC_NS}/{SVC}=127.0.0.1:{port}"]
    with KubeSim(a.kube_sim, extra_args=sim_args) as sim:
        log = os.path.join(tmp, "webhook.log")
        with open(log, "w") as logf:
            proc = subprocess.Popen(
                [a.webhook, f"--listen=127.0.0.1:{port}", f"--probe-listen=127.0.0.1:{probe}",
                 f"--tls-cert-file={tmp}/tls.crt", f"--tls-private-key-file={tmp}/tls.key",
                 f"--kubeconfig={sim.kubeconfig}", "--shutdown-delay=0"],
                stderr=logf)
        try:
            wait_ready(probe, proc, log)
            run = Run(kubectl, sim.kubeconfig, tmp)
            setup_cluster(run, a.manifests, ca_pem)
            cases(run)
        finally:
            proc.terminate()
            rc = proc.wait(timeout=30)
        run.check("webhook exits 0 on SIGTERM", rc == 0, f"rc={rc}")
        if run.failures:
            print(open(log).read()[-4000:])
            print(sim.log_tail())
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
