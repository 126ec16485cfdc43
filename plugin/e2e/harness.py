"""Shared harness for the plugin's end-to-end suites (stdlib only).

Each suite starts a fresh kube-sim seeded with manifests/roles (the built-in
system roles), puts a temporary bin directory holding a `kubectl-kargo_token`
symlink first on PATH, and runs `kubectl kargo-token ...` through the real
kubectl dispatcher, which picks kubectl.1.NN from kube-sim's /version. HOME
and KUBECONFIG are fresh for every suite.

    python3 suite_tokens.py --plugin BUILD/plugin/kubectl-kargo_token \
        --kube-sim BUILD/tests/kube-sim/kube-sim --roles manifests/roles \
        --kubectl-version 1.27          # or "default": kube-sim's own version

Every command's stdout, stderr and exit code are checked exactly (volatile
values normalised by tests/kube-sim/e2e/expect.py). On top of each case's own
expectations, no token value seen so far may appear on stderr of any command.
Exit 0 if all cases pass, 1 otherwise, 77 (CTest skip) if kubectl or that
kubectl version is not installed.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "kube-sim", "e2e"))
from expect import Exact, Lines, Normalised, Table, expectation  # noqa: E402,F401
from kubesim import SKIP, KubeSim, KubeSimError, find_kubectl  # noqa: E402,F401

TOKEN_BLOCK = re.compile(r"\AToken created successfully!\n\n"
                         r"IMPORTANT: Save this token securely\. It will not be shown again\.\n\n"
                         r"Token: (\S+)\n\Z")
JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class Result:
    def __init__(self, rc, out, err, seconds):
        self.rc, self.out, self.err, self.seconds = rc, out, err, seconds

    def __repr__(self):
        return f"rc={self.rc}\n--- stdout\n{self.out}--- stderr\n{self.err}"


class TokenBlock:
    """The create command's exact 5-line block; remembers the token."""

    def __init__(self):
        self.token = None

    def problems(self, actual):
        m = TOKEN_BLOCK.match(actual)
        if not m:
            return [f"not the 5-line token block:\n{actual!r}"]
        if not JWT.match(m.group(1)):
            return [f"token is not a JWT ({len(m.group(1))} chars)"]
        self.token = m.group(1)
        return []


class Matches:
    """A regular expression that must match the whole text."""

    def __init__(self, pattern):
        self.pattern = re.compile(pattern, re.S)

    def problems(self, actual):
        return [] if self.pattern.fullmatch(actual) else [f"expected /{self.pattern.pattern}/\n       got {actual!r}"]


class Suite:
    def __init__(self, description):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--plugin", required=True, help="built kubectl-kargo_token")
        parser.add_argument("--kube-sim", required=True, help="built kube-sim")
        parser.add_argument("--roles", default=os.path.join(REPO, "manifests", "roles"),
                            help="directory of the built-in role manifests")
        parser.add_argument("--kubectl-version", default="default",
                            help="1.NN: kube-sim reports it so the dispatcher runs kubectl.1.NN; "
                                 "default: kube-sim's own version")
        parser.add_argument("-k", dest="only", default="", help="run only cases whose name contains this")
        self.args = parser.parse_args()
        self.version = None if self.args.kubectl_version == "default" else self.args.kubectl_version
        self.failures = []
        self.passed = 0
        self.tokens = set()  # every token value seen; never allowed on stderr
        self.sim = None

    # --- setup ---------------------------------------------------------------

    def start(self):
        if not find_kubectl():
            print("SKIP: no kubectl dispatcher on PATH")
            sys.exit(SKIP)
        if self.version and not find_kubectl(self.version):
            print(f"SKIP: kubectl.{self.version} is not installed")
            sys.exit(SKIP)
        for path in (self.args.plugin, self.args.kube_sim):
            if not os.access(path, os.X_OK):
                print(f"FAIL: {path} is not executable")
                sys.exit(1)
        self.direct_kubectl = find_kubectl(self.version) if self.version else "kubectl"
        self.tmp = tempfile.mkdtemp(prefix="plugin-e2e-")
        seed = self.seed = os.path.join(self.tmp, "roles.yaml")
        with open(seed, "w") as out:
            files = [os.path.join(self.args.roles, "namespace.yaml")]
            files += sorted(glob.glob(os.path.join(self.args.roles, "kargo-*.yaml")))
            out.write("\n---\n".join(open(f).read() for f in files))
        self.sim = KubeSim(self.args.kube_sim, kubernetes_version=self.version,
                           extra_args=["--seed", seed], ready_timeout=60)
        self.sim.start()
        self.bin = os.path.join(self.tmp, "bin")
        os.mkdir(self.bin)
        plugin = os.path.abspath(self.args.plugin)
        os.symlink(plugin, os.path.join(self.bin, "kubectl-kargo_token"))
        completer = os.path.join(os.path.dirname(plugin), "kubectl_complete-kargo_token")
        self.has_completer = os.access(completer, os.X_OK)
        if self.has_completer:
            os.symlink(completer, os.path.join(self.bin, "kubectl_complete-kargo_token"))
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("KARGO_NAMESPACE", "KUBECONFIG", "BASH_COMP_DEBUG_FILE")}
        self.env.update(PATH=self.bin + os.pathsep + os.environ.get("PATH", ""), HOME=self.home,
                        KUBECONFIG=self.sim.kubeconfig)
        print(f"# kube-sim {self.sim.url}, kubectl {self.args.kubectl_version}, plugin {plugin}")
        self.auth = self.detect_auth()

    def detect_auth(self):
        """True once kube-sim authenticates bearer tokens (an unknown token gets 401)."""
        r = self.run(["kubectl", "get", "namespaces", "--token", "not-a-token",
                      "--kubeconfig", self.anonymous_kubeconfig()])
        return "You must be logged in to the server" in r.err

    def anonymous_kubeconfig(self):
        """A kubeconfig with kube-sim's cluster and no user (for --token runs)."""
        path = os.path.join(self.tmp, "anonymous.kubeconfig")
        if not os.path.exists(path):
            ca = os.path.join(os.path.dirname(self.sim.kubeconfig), "ca.crt")
            write(path, f"""apiVersion: v1
kind: Config
clusters:
- name: kube-sim
  cluster:
    server: {self.sim.url}
    certificate-authority: {ca}
contexts:
- name: kube-sim
  context:
    cluster: kube-sim
    user: nobody
current-context: kube-sim
users:
- name: nobody
  user: {{}}
""")
        return path

    def skip(self, reason):
        """Stops kube-sim, removes the temporary directory and exits 77."""
        print(f"SKIP: {reason}")
        if self.sim:
            self.sim.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
        sys.exit(SKIP)

    def finish(self):
        rc = self.sim.stop(keep=True) if self.sim else None
        total = self.passed + len(self.failures)
        print(f"\n{self.passed}/{total} cases passed" + ("" if rc in (0, None) else f"; kube-sim exit {rc}"))
        for name in self.failures:
            print(f"FAILED: {name}")
        if self.sim and (self.failures or rc not in (0, None)):
            print("--- kube-sim log tail\n" + self.sim.log_tail())
        if self.sim and self.sim.tmp:
            shutil.rmtree(self.sim.tmp, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
        sys.exit(1 if self.failures or rc not in (0, None) else 0)

    # --- running -------------------------------------------------------------

    def run(self, argv, env=None, stdin=None, timeout=60):
        merged = dict(self.env)
        merged.update(env or {})
        started = time.monotonic()
        try:
            p = subprocess.run(argv, env=merged, input=stdin, capture_output=True, text=True,
                               timeout=timeout, cwd=self.tmp)
            return Result(p.returncode, p.stdout, p.stderr, time.monotonic() - started)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            return Result(-9, out, f"(timed out after {timeout}s)", timeout)

    def kt(self, *args, **kw):
        """`kubectl kargo-token ARGS` through the dispatcher."""
        return self.run(["kubectl", "kargo-token", *args], **kw)

    def kubectl(self, *args, **kw):
        """kubectl itself (setup and inspection): kubectl.1.NN directly when a
        version is pinned, to spare the dispatcher's /version round trip."""
        return self.run([self.direct_kubectl, *args], **kw)

    def case(self, name, result, rc=0, out="", err="", secret_free=True):
        """Checks one command's exit code, stdout and stderr (each a string or
        an expect.py-style expectation; None = not checked)."""
        if self.args.only and self.args.only not in name:
            return result
        problems = []
        if rc is not None and result.rc != rc:
            problems.append(f"exit code {result.rc}, want {rc}")
        for stream, want, got in (("stdout", out, result.out), ("stderr", err, result.err)):
            if want is None:
                continue
            for p in expectation(want).problems(got):
                problems.append(f"{stream}: {p}")
        for token in self.tokens:
            if token and token in result.err:
                problems.append("a token value appears on stderr")
            if secret_free and token and token in result.out:
                problems.append("a token value appears on stdout")
        self.record(name, problems, result)
        return result

    def check(self, name, problems, result=None):
        """Records a case judged by the caller (problems: list of strings)."""
        if self.args.only and self.args.only not in name:
            return
        self.record(name, problems, result)

    def record(self, name, problems, result):
        if problems:
            self.failures.append(name)
            print(f"FAIL {name}")
            for p in problems:
                print("     " + p.replace("\n", "\n     "))
            if result is not None:
                print("     " + repr(result).replace("\n", "\n     "))
        else:
            self.passed += 1
            print(f"ok   {name}")

    def remember(self, token):
        if token:
            self.tokens.add(token)
        return token

    def create_token(self, name, role="kargo-admin", scope=("--system",), extra=()):
        """Creates a token through the plugin and returns its value (None on failure)."""
        block = TokenBlock()
        r = self.kt("create", *scope, "--role", role, name, *extra)
        self.case(f"create {name}", r, out=block, secret_free=False)
        return self.remember(block.token)

    def secret_json(self, ns, name):
        r = self.kubectl("get", "secret", "-n", ns, name, "-o", "json")
        return json.loads(r.out) if r.rc == 0 else None

    def wait_for_token_data(self, ns, name, seconds=10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            s = self.secret_json(ns, name)
            if s and s.get("data", {}).get("token"):
                return s
            time.sleep(0.1)
        return None


def write(path, text, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path
