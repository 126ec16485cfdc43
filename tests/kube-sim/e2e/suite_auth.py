#!/usr/bin/env python3
"""Authentication and RBAC of kube-sim through one real kubectl version:
ServiceAccount tokens (legacy Secret tokens and `kubectl create token`),
allowed and forbidden requests with upstream's exact messages, 401 for
garbage, revoked and orphaned tokens, `auth can-i` (incl. --as and --list),
`auth whoami`, and the tokens controller removing a deleted
ServiceAccount's token Secrets.

    suite_auth.py --kube-sim BUILD/tests/kube-sim/kube-sim --kubectl-version 1.32

Exit 0 if all cases pass, 1 if any fails, 77 (CTest skip) if that kubectl
version is not installed.
"""
import base64
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expect import Lines, expectation  # noqa: E402
from kubesim import KubeSim, KubeSimError, run_suite  # noqa: E402

NS, OTHER, SA = "auth", "other", "robot"
USER = f"system:serviceaccount:{NS}:{SA}"

TOKEN_SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: auth
  annotations:
    kubernetes.io/service-account.name: robot
type: kubernetes.io/service-account-token
"""

# kubectl prints a 401 on its first request (discovery) through client-go's
# generic wording, after logging the failed discovery attempts.
UNAUTHORIZED = re.compile(r"(?s)(.*\n)?error: You must be logged in to the server "
                          r"\((Unauthorized|the server has asked for the client to provide credentials)\)\n$")
FORBIDDEN_LIST = (f'Error from server (Forbidden): secrets is forbidden: User "{USER}" cannot list resource '
                  f'"secrets" in API group "" in the namespace "{OTHER}"\n')


class Jwt:
    """A compact JWS on stdout (kubectl create token prints no newline);
    problems never echo the token."""
    SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")

    def problems(self, actual):
        return [] if self.SHAPE.match(actual) else [f"not a JWT ({len(actual)} characters)"]


class Regex:
    def __init__(self, pattern):
        self.pattern = pattern

    def problems(self, actual):
        return [] if self.pattern.match(actual) else [f"expected to match {self.pattern.pattern!r}\n       got {actual!r}"]


class Suite:
    def __init__(self, kubectl, sim, workdir):
        self.kubectl = kubectl
        self.sim = sim
        self.workdir = workdir
        self.home = os.path.join(workdir, "home")
        os.makedirs(self.home)
        self.ca = os.path.join(os.path.dirname(sim.kubeconfig), "ca.crt")
        self.empty_config = os.path.join(workdir, "empty-kubeconfig")
        with open(self.empty_config, "w") as f:
            f.write("apiVersion: v1\nkind: Config\n")
        self.passed, self.failed = 0, []

    def env(self):
        return {"HOME": self.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}

    def argv(self, args, token=None):
        """Admin (client certificate) when token is None, else only the token:
        the certificate would win over a --token (x509 authenticates first)."""
        if token is None:
            return [self.kubectl, "--kubeconfig", self.sim.kubeconfig,
                    "--cache-dir", os.path.join(self.workdir, "cache-admin")] + list(args)
        return [self.kubectl, "--kubeconfig", self.empty_config, "--server", self.sim.url,
                "--certificate-authority", self.ca, "--token", token,
                "--cache-dir", os.path.join(self.workdir, "cache-token")] + list(args)

    def run(self, args, token=None, timeout=60):
        return subprocess.run(self.argv(args, token), cwd=self.workdir, env=self.env(), capture_output=True,
                              text=True, timeout=timeout)

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

    def case(self, name, args, rc=0, out="", err="", token=None):
        shown = ["--token", "<T>"] if token is not None else []
        cmdline = "kubectl " + " ".join(shown + list(args))
        try:
            p = self.run(args, token)
        except subprocess.TimeoutExpired:
            self.record(name, ["timed out"], cmdline)
            return None
        problems = []
        if p.returncode != rc:
            problems.append(f"exit code {p.returncode}, want {rc}; stderr {p.stderr!r}")
        problems += ["stdout: " + x for x in expectation(out).problems(p.stdout)]
        problems += ["stderr: " + x for x in expectation(err).problems(p.stderr)]
        self.record(name, problems, cmdline)
        return p

    def admin(self, *args):
        """A setup step as the admin; a failure fails the case list and stops."""
        p = self.run(args)
        if p.returncode != 0:
            raise KubeSimError(f"setup `kubectl {' '.join(args)}` failed: {p.stderr.strip()}")
        return p.stdout

    def wait_for(self, what, probe, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = probe()
            if value:
                return value
            time.sleep(0.2)
        raise KubeSimError(f"timed out waiting for {what}")

    def legacy_token(self, secret):
        """Creates a token Secret for the robot and waits for the tokens controller."""
        path = os.path.join(self.workdir, secret + ".yaml")
        with open(path, "w") as f:
            f.write(TOKEN_SECRET.format(name=secret))
        self.admin("apply", "-f", path)
        data = self.wait_for(f"the tokens controller to fill {secret}", lambda: self.run(
            ["get", "secret", secret, "-n", NS, "-o", "jsonpath={.data.token}"]).stdout)
        return base64.b64decode(data).decode()


def setup(s):
    s.admin("create", "namespace", NS)
    s.admin("create", "namespace", OTHER)
    s.admin("create", "serviceaccount", SA, "-n", NS)
    s.admin("create", "secret", "generic", "other-secret", "-n", OTHER, "--from-literal=k=v")
    s.admin("create", "role", "reader", "--verb=get,list", "--resource=secrets", "-n", NS)
    s.admin("create", "rolebinding", "robot-reads", "--role=reader", f"--serviceaccount={NS}:{SA}", "-n", NS)
    return s.legacy_token("robot-token"), s.legacy_token("robot-token-2")


def token_cases(s, token, token2):
    s.case("token: allowed list", ["get", "secrets", "-n", NS, "-o", "name"], token=token,
           out="secret/robot-token\nsecret/robot-token-2\n")
    s.case("token: allowed get", ["get", "secret", "robot-token", "-n", NS, "-o", "jsonpath={.metadata.name}"],
           token=token, out="robot-token")
    s.case("token: forbidden list elsewhere", ["get", "secrets", "-n", OTHER], token=token, rc=1, err=FORBIDDEN_LIST)
    s.case("token: forbidden get elsewhere", ["get", "secret", "other-secret", "-n", OTHER], token=token, rc=1,
           err=f'Error from server (Forbidden): secrets "other-secret" is forbidden: User "{USER}" cannot get '
               f'resource "secrets" in API group "" in the namespace "{OTHER}"\n')
    s.case("token: forbidden delete", ["delete", "secret", "robot-token-2", "-n", NS], token=token, rc=1,
           err=f'Error from server (Forbidden): secrets "robot-token-2" is forbidden: User "{USER}" cannot delete '
               f'resource "secrets" in API group "" in the namespace "{NS}"\n')
    s.case("token: forbidden cluster-scoped list", ["get", "namespaces"], token=token, rc=1,
           err=f'Error from server (Forbidden): namespaces is forbidden: User "{USER}" cannot list resource '
               f'"namespaces" in API group "" at the cluster scope\n')
    s.case("garbage token is 401", ["get", "secrets", "-n", NS], token="garbage.not.ajwt", rc=1,
           err=Regex(UNAUTHORIZED))
    today = time.strftime("%Y-%m-%d", time.gmtime())
    s.case("legacy token use is recorded", ["get", "secret", "robot-token", "-n", NS, "-o",
                                             r"jsonpath={.metadata.labels.kubernetes\.io/legacy-token-last-used}"],
           out=today)
    s.admin("delete", "secret", "robot-token-2", "-n", NS)
    s.case("token of a deleted Secret is 401", ["get", "secrets", "-n", NS], token=token2, rc=1,
           err=Regex(UNAUTHORIZED))


def can_i_cases(s, token):
    s.case("can-i yes", ["auth", "can-i", "list", "secrets", "-n", NS], token=token, out="yes\n")
    s.case("can-i no", ["auth", "can-i", "delete", "secrets", "-n", NS], token=token, rc=1, out="no\n")
    s.case("can-i no elsewhere", ["auth", "can-i", "get", "secrets", "-n", OTHER], token=token, rc=1, out="no\n")
    s.case("can-i --as (admin) yes", ["auth", "can-i", "get", "secrets", "-n", NS, "--as", USER], out="yes\n")
    s.case("can-i --as (admin) no", ["auth", "can-i", "get", "secrets", "-n", OTHER, "--as", USER], rc=1,
           out="no\n")
    s.case("can-i admin", ["auth", "can-i", "*", "*"], out="yes\n")
    p = s.case("can-i --list", ["auth", "can-i", "--list", "-n", NS], token=token,
               out=Lines("Resources ", contains=("selfsubjectaccessreviews.authorization.k8s.io",)))
    if p is not None:
        rows = [re.split(r"\s{2,}", line.strip()) for line in p.stdout.splitlines()]
        problems = [] if ["secrets", "[]", "[]", "[get list]"] in rows else [f"no secrets row in {p.stdout!r}"]
        s.record("can-i --list shows the Role's rule", problems, "kubectl auth can-i --list")
    s.case("impersonation without the impersonate verb", ["get", "secrets", "-n", NS, "--as", "alice"],
           token=token, rc=1,
           err=Lines("", contains=(f'users "alice" is forbidden: User "{USER}" cannot impersonate resource '
                                   f'"users" in API group "" at the cluster scope',)))


def whoami_cases(s, token, minor):
    p = s.run(["auth", "whoami"], token=token)
    want = re.compile(r"ATTRIBUTE   VALUE\nUsername    " + re.escape(USER) + r"\nUID         [0-9a-f-]{36}\n"
                      r"Groups      \[system:serviceaccounts system:serviceaccounts:" + NS +
                      r" system:authenticated\]\n$")
    problems = [] if p.returncode == 0 and want.match(p.stdout) else [
        f"rc {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r}"]
    s.record(f"auth whoami (1.{minor})", problems, "kubectl auth whoami")


def create_token_cases(s):
    p = s.case("create token --duration 10m", ["create", "token", SA, "-n", NS, "--duration", "10m"],
               out=Jwt())
    bound = p.stdout.strip() if p is not None and p.returncode == 0 else "missing"
    s.case("bound token works", ["get", "secrets", "-n", NS, "-o", "name"], token=bound,
           out="secret/robot-token\n")
    s.case("bound token is forbidden elsewhere", ["get", "secrets", "-n", OTHER], token=bound, rc=1,
           err=FORBIDDEN_LIST)
    s.case("create token too short", ["create", "token", SA, "-n", NS, "--duration", "1m"], rc=1,
           err=Lines("", contains=('TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: '
                                   'Invalid value: 60: may not specify a duration less than 10 minutes',)))
    s.case("create token for a missing ServiceAccount", ["create", "token", "ghost", "-n", NS], rc=1,
           err=Lines("", contains=('serviceaccounts "ghost" not found',)))
    p = s.case("create token --audience", ["create", "token", SA, "-n", NS, "--audience", "vault"],
               out=Jwt())
    other_aud = p.stdout.strip() if p is not None and p.returncode == 0 else "missing"
    s.case("token for another audience is 401", ["get", "secrets", "-n", NS], token=other_aud, rc=1,
           err=Regex(UNAUTHORIZED))
    return bound


def deletion_cases(s, token, bound):
    s.case("delete the ServiceAccount", ["delete", "serviceaccount", SA, "-n", NS],
           out=f'serviceaccount "{SA}" deleted\n')
    try:
        s.wait_for("its token Secret to go", lambda: s.run(["get", "secret", "robot-token", "-n", NS]).returncode == 1)
        s.record("its token Secret is removed", [], "kubectl get secret robot-token")
    except KubeSimError as e:
        s.record("its token Secret is removed", [str(e)], "kubectl get secret robot-token")
    s.admin("create", "serviceaccount", SA, "-n", NS)
    s.case("legacy token after the ServiceAccount is re-created is 401", ["get", "secrets", "-n", NS], token=token,
           rc=1, err=Regex(UNAUTHORIZED))
    s.case("bound token after the ServiceAccount is re-created is 401", ["get", "secrets", "-n", NS], token=bound,
           rc=1, err=Regex(UNAUTHORIZED))


def run(opts, kubectl, workdir):
    minor = int(opts.kubectl_version.split(".")[1])
    with KubeSim(opts.kube_sim, kubernetes_version=opts.kubectl_version) as sim:
        print(f"kubectl.{opts.kubectl_version} against {sim.url}")
        s = Suite(kubectl, sim, workdir)
        try:
            token, token2 = setup(s)
            token_cases(s, token, token2)
            can_i_cases(s, token)
            whoami_cases(s, token, minor)
            bound = create_token_cases(s)
            deletion_cases(s, token, bound)
        except KubeSimError as e:
            s.record("setup", [str(e)], "")
        if s.failed:
            print(f"--- kube-sim log tail:\n{sim.log_tail()}")
    return s


def main():
    return run_suite(__doc__.split("\n\n")[0], "suite-auth", run)


if __name__ == "__main__":
    sys.exit(main())
