#!/usr/bin/env python3
"""The token-leak audit (issue 9; docs/reliability/security.md).

kube-sim sends every token Secret write in the kargo namespace through the
real kargo-token-webhook (the shipped ValidatingWebhookConfiguration, applied
with real kubectl). Every plugin command runs against it with TMPDIR, HOME and
the working directory pointing at a private directory. Each token is read once
from the output of the command that created it; afterwards that value (raw,
base64 and its JWT signature alone) must appear nowhere else: not on any other
command's stdout, on any stderr, in the webhook's or kube-sim's log, in the
AdmissionReview responses (status message, warnings, audit annotations) the
webhook gives for reviews carrying the token, in error messages when the token
itself is the credential, in files left under the private directory, or in a
core dump (none may be written: the plugin's core limit is 0, checked from an
exec helper reading /proc/PPID/limits).

    token_leak_audit.py --plugin P --kube-sim K --webhook W --manifests DIR

Exit 0 if clean, 1 on a leak or a failed step, 77 if kubectl or openssl is
missing.
"""
import argparse
import base64
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (REPO, SKIP, SVC, SVC_NS, KubeSim, Webhook,  # noqa: E402
                    find_kubectl, free_port, make_certs, run_in_tmpdir)
from webhook_bad_input import Client, decision, review  # noqa: E402

TOKEN_LINE = re.compile(r"^Token: (\S+)$", re.M)


class Audit:
    def __init__(self, a, sim, webhook, tmp, table):
        self.a, self.sim, self.webhook, self.table = a, sim, webhook, table
        self.private = os.path.join(tmp, "private")
        os.mkdir(self.private)
        self.env = {"PATH": os.environ.get("PATH", ""), "HOME": self.private,
                    "TMPDIR": self.private, "KUBECONFIG": sim.kubeconfig}
        self.outputs = []  # (label, stdout, stderr)
        self.tokens = {}   # token -> label of the one output allowed to hold it

    def plugin(self, label, *args, binary=None, env=None, ok=True):
        p = subprocess.run([binary or self.a.plugin, *args], capture_output=True, text=True,
                           timeout=90, cwd=self.private, env={**self.env, **(env or {})})
        self.outputs.append((label, p.stdout, p.stderr))
        if ok is not None:
            self.table.check(f"ran: {label}", (p.returncode == 0) == ok,
                             f"exit {p.returncode}", p.stderr[:300])
        return p

    def kubectl(self, *args, stdin=None):
        p = subprocess.run([self.a.kubectl, "--kubeconfig", self.sim.kubeconfig, *args],
                           input=stdin, capture_output=True, text=True, timeout=60)
        self.outputs.append(("kubectl " + " ".join(args[:3]), p.stdout, p.stderr))
        return p

    def created(self, label, p, extract):
        token = extract(p.stdout)
        self.table.check(f"token read once from: {label}", bool(token),
                         f"{len(token or '')} chars", p.stdout[:200])
        if token:
            self.tokens[token] = label
        return token

    # --- scenarios -----------------------------------------------------------

    def commands(self):
        block = lambda out: (TOKEN_LINE.findall(out) or [None])[0]  # noqa: E731
        from_object = lambda out: base64.b64decode(  # noqa: E731
            json.loads(out)["data"]["token"]).decode()
        def from_yaml(out):
            m = re.search(r"^  token: (\S+)$", out, re.M)
            return base64.b64decode(m.group(1)).decode() if m else None
        def from_kubeconfig(out):
            m = re.search(r"^\s+token: (\S+)$", out, re.M)
            return m.group(1) if m else None
        create = ("create", "--system", "--role", "kargo-admin")
        self.created("create", self.plugin("create", *create, "audit-1"), block)
        self.created("create -o json", self.plugin("create -o json", *create, "audit-2", "-o",
                                                   "json"), from_object)
        self.created("create -o yaml", self.plugin("create -o yaml", *create, "audit-3", "-o",
                                                   "yaml"), from_yaml)
        self.created("create -o kubeconfig", self.plugin(
            "create -o kubeconfig", *create, "audit-4", "-o", "kubeconfig"), from_kubeconfig)
        self.created("create --bound", self.plugin("create --bound", *create, "--bound",
                                                   "--duration", "1h", "audit-5"), block)
        self.created("create --expires-in 1s", self.plugin(
            "create --expires-in 1s", *create, "audit-6", "--expires-in", "1s"), block)
        self.plugin("create -o name", *create, "audit-7", "-o", "name")
        self.plugin("get tokens", "get", "tokens", "--system")
        for fmt in ("yaml", "json", "wide", "name"):
            self.plugin(f"get token -o {fmt}", "get", "token", "--system", "audit-1", "-o", fmt)
        self.created("rotate", self.plugin("rotate", "rotate", "--system", "audit-3"), block)
        time.sleep(1.5)
        self.plugin("prune --expired --dry-run", "prune", "--expired", "--system", "--dry-run")
        self.plugin("prune --expired", "prune", "--expired", "--system")
        self.plugin("role create", "role", "create", "--system", "audit-role", "--clusterrole",
                    "kargo-viewer")
        self.created("create for the new role", self.plugin(
            "create for the new role", "create", "--system", "--role", "audit-role",
            "audit-role-token"), block)
        self.plugin("role get", "role", "get", "--system", "audit-role", "-o", "yaml")
        self.plugin("role delete", "role", "delete", "--system", "audit-role")
        self.plugin("delete token", "delete", "token", "--system", "audit-2")
        self.plugin("completion bash", "completion", "bash")
        completer = os.path.join(os.path.dirname(self.a.plugin), "kubectl_complete-kargo_token")
        if os.access(completer, os.X_OK):
            self.plugin("__complete get token", "__complete", "get", "token", "--system", "",
                        binary=completer)

    def errors(self):
        """Commands that fail, some with a token as the credential."""
        create = ("create", "--system", "--role", "kargo-admin")
        self.plugin("create: name taken", *create, "audit-1", ok=False)
        self.plugin("get: missing token", "get", "token", "--system", "nope", ok=False)
        self.plugin("create: unknown role", *create, "--role", "ghost", "audit-x", ok=False)
        token = next((t for t, label in self.tokens.items() if label == "create"), "")
        anon = self.anonymous_kubeconfig()
        env = {"KUBECONFIG": anon}
        self.plugin("get tokens with a token credential", "get", "tokens", "--system", "--token",
                    token, env=env, ok=None)
        self.plugin("delete with a token credential", "delete", "token", "--system", "nope",
                    "--token", token, env=env, ok=False)
        self.plugin("get tokens with a mangled token", "get", "tokens", "--system", "--token",
                    token[:-4] + "AAAA", env=env, ok=False)
        self.plugin("create with a token credential and a bad server", *create, "audit-y",
                    "--token", token, "--server", "https://127.0.0.1:1", env=env, ok=False)
        # kubectl apply of a Secret carrying a live token: the webhook denies it.
        secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                  "metadata": {"name": "forged", "namespace": "kargo",
                               "labels": {"rbac.kargo.akuity.io/api-token": "true"},
                               "annotations": {"kubernetes.io/service-account.name": "kargo-admin",
                                               "rbac.kargo.akuity.io/managed": "true"}},
                  "data": {"token": base64.b64encode(token.encode()).decode()}}
        p = self.kubectl("apply", "-f", "-", stdin=json.dumps(secret))
        self.table.check("webhook denies a Secret that supplies a live token",
                         p.returncode != 0 and "denied the request" in p.stderr,
                         p.stderr.strip()[:160])

    def anonymous_kubeconfig(self):
        ca = os.path.join(os.path.dirname(self.sim.kubeconfig), "ca.crt")
        path = os.path.join(self.private, "..", "anonymous.kubeconfig")
        with open(path, "w") as f:
            f.write(f"apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster:\n"
                    f"    server: {self.sim.url}\n    certificate-authority: {ca}\n"
                    "contexts:\n- name: s\n  context: {cluster: s, user: u}\n"
                    "current-context: s\nusers:\n- name: u\n  user: {}\n")
        return path

    def reviews(self, client):
        """AdmissionReviews carrying each token straight to the webhook."""
        for token in list(self.tokens)[:3]:
            b64 = base64.b64encode(token.encode()).decode()
            for op in ("CREATE", "UPDATE", "DELETE"):
                body = json.loads(review(uid=f"uid-{op}"))
                req = body["request"]
                req["operation"] = op
                req["namespace"] = req["object"]["metadata"]["namespace"] = "kargo"
                req["object"]["data"] = {"token": b64}
                req["object"]["metadata"]["annotations"][
                    "kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(
                        {"data": {"token": b64}})
                if op != "CREATE":
                    req["oldObject"] = req["object"]
                if op == "DELETE":
                    req["object"] = None
                status, payload, _ = client.post(json.dumps(body).encode())
                self.outputs.append((f"AdmissionReview response to {op}", json.dumps(payload), ""))
                self.table.check(f"webhook answers a {op} review carrying a token",
                                 status == 200 and decision(payload).get("uid") == f"uid-{op}",
                                 f"{status} allowed={decision(payload).get('allowed')}")

    def core_limit(self):
        """An exec credential helper reads its parent's (the plugin's) limits."""
        out = os.path.join(self.private, "..", "limits.txt")
        helper = os.path.join(self.private, "..", "helper.sh")
        with open(helper, "w") as f:
            f.write(f"#!/bin/sh\ncat /proc/$PPID/limits > {out}\nulimit -c >> {out}\nexit 1\n")
        os.chmod(helper, 0o700)
        config = os.path.join(self.private, "..", "exec.kubeconfig")
        with open(self.anonymous_kubeconfig()) as f:
            text = f.read().replace("user: {}", "user:\n    exec:\n      apiVersion: "
                                    "client.authentication.k8s.io/v1\n      command: "
                                    f"{helper}\n      interactiveMode: Never")
        with open(config, "w") as f:
            f.write(text)
        self.plugin("get tokens through an exec helper", "get", "tokens", "--system",
                    env={"KUBECONFIG": config}, ok=False)
        limits = open(out).read() if os.path.exists(out) else ""
        m = re.search(r"^Max core file size\s+(\S+)\s+(\S+)", limits, re.M)
        self.table.check("plugin runs with a core-file limit of 0 (soft and hard)",
                         bool(m) and m.groups() == ("0", "0"), m.group(0) if m else "no limits read")
        self.table.check("its child processes inherit the core limit 0",
                         (limits.strip().splitlines() or ["?"])[-1] == "0",
                         "ulimit -c = " + (limits.strip().splitlines() or ["?"])[-1])

    # --- the scan ------------------------------------------------------------

    def needles(self, token):
        return {"raw": token, "base64": base64.b64encode(token.encode()).decode(),
                "signature": token.split(".")[-1] if token.count(".") == 2 else token}

    def scan(self):
        logs = {"webhook log": self.webhook.log_text(),
                "kube-sim log": open(self.sim.log_path, errors="replace").read()}
        files = {}
        for path in glob.glob(os.path.join(self.private, "**"), recursive=True):
            if os.path.isfile(path):
                files[os.path.relpath(path, self.private)] = open(path, errors="replace").read()
        cores = [p for p in files if re.match(r"(.*/)?core(\.\d+)?$", p)]
        self.table.check("no core dump under the working directory", not cores, f"{cores or 'none'}")
        self.table.check("no files left in the private TMPDIR/HOME", not files,
                         ", ".join(sorted(files)) or "empty")
        places = [(f"stdout of {label}", out) for label, out, _ in self.outputs] + \
                 [(f"stderr of {label}", err) for label, _, err in self.outputs] + \
                 list(logs.items()) + [(f"file {p}", t) for p, t in files.items()]
        leaks = []
        for token, owner in self.tokens.items():
            allowed = f"stdout of {owner}"
            for form, needle in self.needles(token).items():
                for where, text in places:
                    if needle in text and where != allowed:
                        leaks.append(f"the token from '{owner}' ({form}) in {where}")
        self.table.check(f"no token leaks ({len(self.tokens)} tokens x 3 forms in {len(places)} "
                         "outputs, logs and files)", not leaks, f"{len(leaks)} leaks",
                         "\n     ".join(leaks[:20]))
        for token, owner in self.tokens.items():
            forms = self.needles(token)
            count = sum(text.count(forms["raw"]) + text.count(forms["base64"])
                        for where, text in places if where == f"stdout of {owner}")
            self.table.check(f"the token from '{owner}' is printed exactly once", count == 1,
                             f"{count} times")


def setup(audit, manifests, ca_pem):
    with open(os.path.join(manifests, "validating-webhook.yaml")) as f:
        vwc = f.read()
    b64 = base64.b64encode(ca_pem.encode()).decode()
    vwc = vwc.replace("      port: 443\n", f"      port: 443\n    caBundle: {b64}\n")
    p = audit.kubectl("apply", "-f", "-", stdin=vwc)
    if p.returncode != 0:
        raise RuntimeError(f"applying the webhook configuration failed: {p.stderr}")


def main():
    ap = argparse.ArgumentParser()
    for flag in ("--plugin", "--kube-sim", "--webhook"):
        ap.add_argument(flag, required=True)
    ap.add_argument("--manifests", default=os.path.join(REPO, "manifests"))
    a = ap.parse_args()
    a.plugin = os.path.abspath(a.plugin)
    a.kubectl = find_kubectl()
    if not a.kubectl or not shutil.which("openssl"):
        print("SKIP: kubectl or openssl is not installed")
        return SKIP

    def body(tmp, table):
        ca = make_certs(tmp)
        roles = os.path.join(a.manifests, "roles")
        seed = os.path.join(tmp, "roles.yaml")
        files = [os.path.join(roles, "namespace.yaml")] + sorted(
            glob.glob(os.path.join(roles, "kargo-*.yaml")))
        with open(seed, "w") as out:
            out.write("\n---\n".join(open(f).read() for f in files))
        port = free_port()
        sim_args = ["--seed", seed, "--service-endpoint", f"{SVC_NS}/{SVC}=127.0.0.1:{port}"]
        with KubeSim(a.kube_sim, extra_args=sim_args, ready_timeout=60) as sim:
            webhook = Webhook(a.webhook, tmp, sim.kubeconfig, port=port)
            try:
                webhook.wait_ready()
                audit = Audit(a, sim, webhook, tmp, table)
                setup(audit, os.path.join(a.manifests, "webhook"), open(ca).read())
                audit.commands()
                audit.errors()
                audit.reviews(Client(webhook.port, ca))
                audit.core_limit()
            finally:
                webhook.stop()
            audit.scan()

    return run_in_tmpdir("kt-leak-audit-", body)


if __name__ == "__main__":
    sys.exit(main())
