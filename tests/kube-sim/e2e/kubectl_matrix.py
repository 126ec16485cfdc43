#!/usr/bin/env python3
"""Drives one real kubectl version through ~35 commands against a fresh
kube-sim and asserts exact output and exit codes.

    kubectl_matrix.py --kube-sim BUILD/tests/kube-sim/kube-sim --kubectl-version 1.32

kubectl.<version> is called directly (fresh HOME and --cache-dir, kubectl
caches discovery for 6 hours); the dispatcher `kubectl` is checked to pick
that version from kube-sim's /version. Exit 0 if all cases pass, 1 if any
fails, 77 (CTest skip) if that kubectl version is not installed.
"""
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expect import Normalised, Table, expectation, normalise_cells  # noqa: E402
from kubesim import KubeSim, find_kubectl, run_suite  # noqa: E402

NS = "e2e"

MANIFESTS = {
    "secret.yaml": """apiVersion: v1
kind: Secret
metadata:
  name: mysecret
  namespace: e2e
  labels:
    app: demo
stringData:
  password: hunter2
type: Opaque
""",
    "sa.yaml": """apiVersion: v1
kind: ServiceAccount
metadata:
  name: applied
  namespace: e2e
secrets:
- name: a
imagePullSecrets:
- name: reg1
""",
    "sa2.yaml": """apiVersion: v1
kind: ServiceAccount
metadata:
  name: applied
  namespace: e2e
secrets:
- name: b
- name: c
imagePullSecrets:
- name: reg2
""",
    "cm.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
  namespace: e2e
data:
  key: v1
  other: x
""",
    "cm2.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
  namespace: e2e
data:
  key: v2
""",
    "dry.yaml": """apiVersion: v1
kind: Secret
metadata:
  name: drysecret
  namespace: e2e
stringData:
  k: v
""",
    "bad-name.yaml": """apiVersion: v1
kind: Secret
metadata:
  name: Bad_Name
  namespace: e2e
""",
    "sa-token.yaml": """apiVersion: v1
kind: Secret
metadata:
  name: tok
  namespace: e2e
type: kubernetes.io/service-account-token
""",
    "unknown-field.yaml": """apiVersion: v1
kind: Secret
metadata:
  name: unknown
  namespace: e2e
spec: {}
""",
    "clusterrole.yaml": """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: e2e-reader
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
""",
}

SECRET_YAML = """apiVersion: v1
data:
  password: aHVudGVyMg==
kind: Secret
metadata:
  creationTimestamp: "<ts>"
  labels:
    app: demo
  name: mysecret
  namespace: e2e
  resourceVersion: "<rv>"
  uid: <uid>
type: Opaque
"""

SECRET_JSON = """{
    "apiVersion": "v1",
    "data": {
        "password": "aHVudGVyMg=="
    },
    "kind": "Secret",
    "metadata": {
        "creationTimestamp": "<ts>",
        "labels": {
            "app": "demo"
        },
        "name": "mysecret",
        "namespace": "e2e",
        "resourceVersion": "<rv>",
        "uid": "<uid>"
    },
    "type": "Opaque"
}
"""

# An Apply manager is printed without "using <apiVersion>" (only Update
# managers get it) [apimachinery managedfields/internal/conflict.go printManager];
# the rest is kubectl's text [kubectl cmd/apply/apply.go].
SSA_CONFLICT = """error: Apply failed with 1 conflict: conflict with "kubectl": .data.key
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
"""

RFC1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


class Suite:
    def __init__(self, kubectl, sim, workdir):
        self.kubectl_path = kubectl
        self.sim = sim
        self.workdir = workdir
        self.home = os.path.join(workdir, "home")
        self.cache = os.path.join(workdir, "cache")
        os.makedirs(self.home)
        for name, text in MANIFESTS.items():
            with open(os.path.join(workdir, name), "w") as f:
                f.write(text)
        self.passed, self.failed = 0, []

    def env(self):
        return {"HOME": self.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}

    def command(self, args, binary=None):
        return [binary or self.kubectl_path, "--kubeconfig", self.sim.kubeconfig,
                "--cache-dir", self.cache] + list(args)

    def run(self, args, binary=None, timeout=90):
        return subprocess.run(self.command(args, binary), cwd=self.workdir, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)

    def record(self, name, problems, cmdline):
        if problems:
            self.failed.append(name)
            print(f"FAIL {name}\n  $ {cmdline}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            self.passed += 1
            print(f"ok   {name}")
        sys.stdout.flush()

    def case(self, name, args, rc=0, out="", err="", binary=None):
        """Runs kubectl ARGS and checks exit code, stdout and stderr."""
        cmdline = "kubectl " + " ".join(args)
        try:
            p = self.run(args, binary)
        except subprocess.TimeoutExpired:
            self.record(name, ["timed out"], cmdline)
            return None
        problems = []
        if p.returncode != rc:
            problems.append(f"exit code {p.returncode}, want {rc}")
        problems += ["stdout: " + x for x in expectation(out).problems(p.stdout)]
        problems += ["stderr: " + x for x in expectation(err).problems(p.stderr)]
        if problems and p.returncode != rc:
            problems.append(f"stderr was {p.stderr!r}")
        self.record(name, problems, cmdline)
        return p


def dispatcher_cases(s, minor):
    dispatcher = find_kubectl()
    p = s.run(["version", "-o", "json"], binary=dispatcher)
    problems = []
    try:
        v = json.loads(p.stdout)
        # Vendor builds report e.g. "32+".
        if v.get("clientVersion", {}).get("minor", "").rstrip("+") != minor:
            problems.append(f"dispatcher ran client minor {v.get('clientVersion', {}).get('minor')!r}, want {minor}")
        if v.get("serverVersion", {}).get("gitVersion") != f"v1.{minor}.0":
            problems.append(f"serverVersion {v.get('serverVersion')!r}, want gitVersion v1.{minor}.0")
    except ValueError:
        problems.append(f"not JSON (rc {p.returncode}): {p.stdout!r} {p.stderr!r}")
    s.record("dispatcher picks the server's minor", problems, "kubectl version -o json")
    s.case("dispatcher get namespace default", ["get", "namespace", "default", "-o", "name"],
           out="namespace/default\n", binary=dispatcher)


def create_cases(s):
    s.case("create namespace (protobuf on 1.32+)", ["create", "namespace", NS], out=f"namespace/{NS} created\n")
    s.case("get namespaces table", ["get", "namespaces"], out=Table([
        ["NAME", "STATUS", "AGE"], ["default", "Active", "<age>"], [NS, "Active", "<age>"],
        ["kube-public", "Active", "<age>"], ["kube-system", "Active", "<age>"]]))
    s.case("create serviceaccount", ["create", "serviceaccount", "robot", "-n", NS],
           out="serviceaccount/robot created\n")
    s.case("create secret generic", ["create", "secret", "generic", "s1", "-n", NS,
                                     "--from-literal=password=hunter2"], out="secret/s1 created\n")
    s.case("create -f", ["create", "-f", "secret.yaml"], out="secret/mysecret created\n")
    s.case("create -f existing is AlreadyExists", ["create", "-f", "secret.yaml"], rc=1,
           err='Error from server (AlreadyExists): error when creating "secret.yaml": '
               'secrets "mysecret" already exists\n')
    s.case("create -f clusterrole", ["create", "-f", "clusterrole.yaml"],
           out="clusterrole.rbac.authorization.k8s.io/e2e-reader created\n")


def get_cases(s):
    s.case("get secrets table", ["get", "secrets", "-n", NS], out=Table([
        ["NAME", "TYPE", "DATA", "AGE"], ["mysecret", "Opaque", "1", "<age>"], ["s1", "Opaque", "1", "<age>"]]))
    s.case("get -A -l", ["get", "secrets", "-A", "-l", "app=demo"], out=Table([
        ["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"], [NS, "mysecret", "Opaque", "1", "<age>"]]))
    s.case("get --show-labels", ["get", "secrets", "-n", NS, "--show-labels"], out=Table([
        ["NAME", "TYPE", "DATA", "AGE", "LABELS"], ["mysecret", "Opaque", "1", "<age>", "app=demo"],
        ["s1", "Opaque", "1", "<age>", "<none>"]]))
    s.case("get -o yaml", ["get", "secret", "mysecret", "-n", NS, "-o", "yaml"], out=Normalised(SECRET_YAML))
    s.case("get -o json", ["get", "secret", "mysecret", "-n", NS, "-o", "json"], out=Normalised(SECRET_JSON))
    s.case("get -o name", ["get", "secret", "mysecret", "-n", NS, "-o", "name"], out="secret/mysecret\n")
    s.case("get -o jsonpath", ["get", "secret", "mysecret", "-n", NS, "-o", "jsonpath={.data.password}"],
           out="aHVudGVyMg==")
    s.case("get -l set-based", ["get", "secrets", "-n", NS, "-l", "app in (demo,other)", "-o", "name"],
           out="secret/mysecret\n")
    s.case("get -l not-exists", ["get", "secrets", "-n", NS, "-l", "!app", "-o", "name"], out="secret/s1\n")
    s.case("get -l matching nothing", ["get", "secrets", "-n", NS, "-l", "app=nothing"],
           err=f"No resources found in {NS} namespace.\n")
    s.case("get missing is NotFound", ["get", "secret", "nope", "-n", NS], rc=1,
           err='Error from server (NotFound): secrets "nope" not found\n')
    s.case("get serviceaccount jsonpath", ["get", "sa", "robot", "-n", NS, "-o", "jsonpath={.metadata.name}"],
           out="robot")
    s.case("get clusterrole table", ["get", "clusterrole", "e2e-reader"], out=Table([
        ["NAME", "CREATED AT"], ["e2e-reader", "<ts>"]]))


def apply_cases(s):
    s.case("apply creates", ["apply", "-f", "sa.yaml"], out="serviceaccount/applied created\n")
    s.case("apply updates with SMP directives", ["apply", "-f", "sa2.yaml"],
           out="serviceaccount/applied configured\n")
    s.case("apply merged secrets list", ["get", "sa", "applied", "-n", NS, "-o",
                                         "jsonpath={.secrets[*].name}/{.imagePullSecrets[*].name}"],
           out="b c/reg2")
    s.case("apply again is unchanged", ["apply", "-f", "sa2.yaml"], out="serviceaccount/applied unchanged\n")
    s.case("apply --server-side", ["apply", "--server-side", "-f", "cm.yaml"],
           out="configmap/ssa serverside-applied\n")
    s.case("apply --server-side conflict", ["apply", "--server-side", "--field-manager=other", "-f", "cm2.yaml"],
           rc=1, err=SSA_CONFLICT)
    s.case("apply --server-side --force-conflicts",
           ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "cm2.yaml"],
           out="configmap/ssa serverside-applied\n")
    s.case("forced value won", ["get", "cm", "ssa", "-n", NS, "-o", "jsonpath={.data.key}/{.data.other}"],
           out="v2/x")
    s.case("apply --dry-run=server", ["apply", "--dry-run=server", "-f", "dry.yaml"],
           out="secret/drysecret created (server dry run)\n")
    s.case("dry run stored nothing", ["get", "secret", "drysecret", "-n", NS], rc=1,
           err='Error from server (NotFound): secrets "drysecret" not found\n')


def invalid_cases(s):
    s.case("invalid name", ["create", "-f", "bad-name.yaml"], rc=1,
           err=f'The Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": {RFC1123_SUBDOMAIN}\n')
    s.case("service-account-token secret without annotation", ["create", "-f", "sa-token.yaml"], rc=1,
           err='The Secret "tok" is invalid: '
               "metadata.annotations[kubernetes.io/service-account.name]: Required value\n")
    s.case("unknown field under Strict", ["create", "-f", "unknown-field.yaml"], rc=1,
           err='Error from server (BadRequest): error when creating "unknown-field.yaml": Secret in version "v1" '
               'cannot be handled as a Secret: strict decoding error: unknown field "spec"\n')


def watch_case(s):
    """get -w prints the row, then a second row after a change; we stop it."""
    args = ["get", "secret", "mysecret", "-n", NS, "-w", "--request-timeout=60s"]
    proc = subprocess.Popen(s.command(args), cwd=s.workdir, env=s.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()

    def take(n, timeout=20):
        got, deadline = [], time.time() + timeout
        while len(got) < n and time.time() < deadline:
            try:
                got.append(lines.get(timeout=max(0.1, deadline - time.time())))
            except queue.Empty:
                break
        return got

    seen = take(2)
    s.case("label while watching", ["label", "secret", "mysecret", "-n", NS, "watched=yes"],
           out="secret/mysecret labeled\n")
    seen += take(1)
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    # Each watch event is flushed through its own tabwriter pass, so only
    # cells (not widths) are compared after the header.
    rows = normalise_cells([re.split(r"\s{2,}", l.rstrip("\n")) for l in seen])
    want = [["NAME", "TYPE", "DATA", "AGE"], ["mysecret", "Opaque", "1", "<age>"],
            ["mysecret", "Opaque", "1", "<age>"]]
    problems = [] if rows == want else [f"expected rows {want}\n       got {rows}; stderr {err!r}"]
    s.record("get -w sees the change", problems, "kubectl " + " ".join(args))


def delete_cases(s):
    s.case("delete (waits)", ["delete", "secret", "s1", "-n", NS], out='secret "s1" deleted\n')
    s.case("deleted is gone", ["get", "secret", "s1", "-n", NS], rc=1,
           err='Error from server (NotFound): secrets "s1" not found\n')
    s.case("delete -f", ["delete", "-f", "secret.yaml"], out='secret "mysecret" deleted\n')
    s.case("delete clusterrole", ["delete", "clusterrole", "e2e-reader"],
           out='clusterrole.rbac.authorization.k8s.io "e2e-reader" deleted\n')
    s.case("delete missing is NotFound", ["delete", "secret", "nope", "-n", NS], rc=1,
           err='Error from server (NotFound): secrets "nope" not found\n')


def run(opts, kubectl, workdir):
    minor = opts.kubectl_version.split(".")[1]
    with KubeSim(opts.kube_sim, kubernetes_version=opts.kubectl_version) as sim:
        print(f"kubectl.{opts.kubectl_version} against {sim.url}")
        s = Suite(kubectl, sim, workdir)
        for group in (dispatcher_cases,):
            group(s, minor)
        for group in (create_cases, get_cases, apply_cases, invalid_cases, watch_case, delete_cases):
            group(s)
        if s.failed:
            print(f"--- kube-sim log tail:\n{sim.log_tail()}")
    return s


def main():
    return run_suite(__doc__.split("\n\n")[0], "kubectl-matrix", run)


if __name__ == "__main__":
    sys.exit(main())
