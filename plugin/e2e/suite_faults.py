#!/usr/bin/env python3
"""The plugin against a misbehaving API server (issue #9; measured outcomes
in docs/reliability/faults.md), through the real kubectl dispatcher and
kube-sim's --fault-file (faults switched on and off between commands):

  - reads that lose their connection are retried (kube-sim logs each injected
    reset, the command still succeeds); a write that fails is sent once and
    reported; a 503 is reported as kubectl words it; a read slower than
    --request-timeout fails with a clear timeout line in about that time;
  - role create with a failure at each of its three steps (status 500, and a
    write that happened but whose answer was lost): nothing is left behind;
  - rotate with a failure at each step (read old, read role, create new, wait,
    delete old): the role always keeps a valid token, no half-made token is
    left, and the error says which token was kept;
  - Ctrl-C (SIGINT) while each step of role create and rotate is held by a
    kube-sim latency: the same guarantees;
  - a tokens controller that never populates (kube-sim restarted with it
    paused): create ends with a clean timeout line and leaves the Secret for
    inspection; Ctrl-C while waiting removes it; rotate keeps the old token.

Runs once (kubectl `default`); see plugin/e2e/CMakeLists.txt.
"""
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import KubeSim, Matches, Suite, TokenBlock  # noqa: E402

NS = "proj1"
SETUP_YAML = f"""apiVersion: v1
kind: Namespace
metadata:
  name: {NS}
  labels:
    kargo.akuity.io/project: "true"
"""
TRIO = (("serviceaccounts", "serviceaccount"), ("roles", "role"), ("rolebindings", "rolebinding"))


class FaultSuite(Suite):
    def restart_sim(self, *extra):
        """A fresh kube-sim (seeded with the built-in roles) with `extra` flags."""
        self.sim.stop()
        self.faults = os.path.join(self.tmp, "faults")
        self.sim = KubeSim(self.args.kube_sim, kubernetes_version=self.version,
                           extra_args=["--seed", self.seed, "--fault-file", self.faults,
                                       "--fault-seed", "7", *extra], ready_timeout=60)
        self.sim.start()
        self.env["KUBECONFIG"] = self.sim.kubeconfig
        self.kubectl("apply", "-f", "-", stdin=SETUP_YAML)

    def set_faults(self, *rules):
        with open(self.faults + ".tmp", "w") as f:
            f.write("".join(r + "\n" for r in rules))
        os.rename(self.faults + ".tmp", self.faults)

    def injected(self, what):
        """How many times kube-sim logged injecting `what` (e.g. 'reset on get serviceaccounts')."""
        with open(self.sim.log_path, errors="replace") as f:
            return sum(1 for line in f if f"kube-sim: fault {what}" in line)

    def measure(self, text):
        print("     measure " + text)

    def exists(self, kind, name, ns=NS):
        return self.kubectl("get", kind, name, "-n", ns, "-o", "name").rc == 0

    def tokens_of(self, role, ns=NS):
        """{name: populated?} of the token Secrets of `role`."""
        r = self.kubectl("get", "secrets", "-n", ns, "-l", "rbac.kargo.akuity.io/api-token=true",
                         "-o", "jsonpath={range .items[*]}{.metadata.name} "
                         "{.metadata.annotations.kubernetes\\.io/service-account\\.name} "
                         "{.data.token}{\"\\n\"}{end}")
        out = {}
        for line in r.out.splitlines():
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1] == role:
                out[parts[0]] = len(parts) > 2 and bool(parts[2])
        return out

    def interrupt(self, args, hold_rule, after=1.5):
        """Runs `kubectl kargo-token ARGS` with `hold_rule` holding one step,
        sends SIGINT `after` seconds in (kubectl execs the plugin: same pid)."""
        self.set_faults(hold_rule)
        p = subprocess.Popen(["kubectl", "kargo-token", *args], env=self.env, cwd=self.tmp,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(after)
        started = time.monotonic()
        p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        self.set_faults()
        return p.returncode, out, err, time.monotonic() - started


def no_trio_left(s, name):
    return [f"{kind} {name} left behind" for _, kind in TRIO if s.exists(kind, name)]


def server_errors(s):
    s.set_faults("get:serviceaccounts:reset@0.5")
    before = s.injected("reset on get serviceaccounts")
    for i in range(3):
        s.create_token(f"retried-{i}", role="kargo-viewer")
    hits = s.injected("reset on get serviceaccounts") - before
    s.check("a read that loses its connection is retried (create succeeds)",
            [] if hits >= 1 else ["no reset was injected; pick another --fault-seed"])
    s.measure(f"reset@0.5 on reads: {hits} connections reset, 3 of 3 creates succeeded")

    s.set_faults("create:secrets:reset")
    before = s.injected("reset on create secrets")
    r = s.kt("create", "--system", "--role", "kargo-viewer", "write-once")
    sent = s.injected("reset on create secrets") - before
    s.case("a write whose connection is reset fails with one error line", r, rc=1,
           err=Matches(r"(error|Unable to connect to the server): [^\n]+\n"))
    s.check("the write is sent once (never retried)", [] if sent == 1 else [f"sent {sent} times"])
    s.set_faults()
    s.check("nothing was created", ["write-once exists"] if s.exists("secret", "write-once", "kargo") else [])
    s.measure(f"reset on create: exit {r.rc} after {r.seconds:.2f} s: {r.err.strip()}")

    s.set_faults("get:serviceaccounts:status=503")
    r = s.kt("create", "--system", "--role", "kargo-viewer", "unavailable")
    s.case("503 is reported as kubectl words it", r, rc=1,
           err="Error from server (ServiceUnavailable): the server is currently unable to handle "
               "the request\n")
    s.measure(f"503 on the role read: exit {r.rc} after {r.seconds:.2f} s: {r.err.strip()}")

    s.set_faults("get:serviceaccounts:latency=8000")
    r = s.kt("create", "--system", "--role", "kargo-viewer", "slow", "--request-timeout", "1s")
    s.case("a read slower than --request-timeout fails with a timeout line", r, rc=1,
           err=Matches(r"[^\n]*(timeout|Timeout|timed out|deadline)[^\n]*\n"))
    s.check("... within the timeout plus a margin", [] if r.seconds < 6 else [f"took {r.seconds:.1f} s"])
    s.measure(f"8 s read, --request-timeout 1s: exit {r.rc} after {r.seconds:.2f} s: {r.err.strip()}")
    s.set_faults()
    s.check("nothing was created by the failed creates",
            [n for n in ("unavailable", "slow") if s.exists("secret", n, "kargo")])


def role_create_failures(s):
    for i, (resource, kind) in enumerate(TRIO):
        for fault in ("status=500", "reset-after"):
            name = f"broken-{i}-{fault.split('=')[0]}"
            s.set_faults(f"create:{resource}:{fault}")
            r = s.kt("role", "create", "-p", NS, name, "--rule", "get:configmaps")
            s.set_faults()
            s.case(f"role create, {fault} on step {i + 1} ({kind}): one error line", r, rc=1,
                   err=Matches(r"(error|Error from server|Unable to connect)[^\n]*\n"))
            s.check(f"role create, {fault} on step {i + 1} ({kind}): nothing left behind",
                    no_trio_left(s, name), r)
            s.measure(f"role create, {fault} on {kind}: exit {r.rc}: {r.err.strip()}")
    for i, (resource, kind) in enumerate(TRIO):
        name = f"interrupted-{i}"
        rc, out, err, secs = s.interrupt(["role", "create", "-p", NS, name, "--rule", "get:pods"],
                                         f"create:{resource}:latency=3000")
        s.check(f"role create, Ctrl-C while creating the {kind}: non-zero exit, nothing left",
                ([] if rc != 0 else ["exit 0"]) + no_trio_left(s, name),
                f"rc={rc} out={out!r} err={err!r}")
        s.measure(f"role create, SIGINT during the {kind} step: exit {rc} {secs:.2f} s after "
                  f"the signal: {err.strip()}")


def rotate_failures(s):
    s.kt("role", "create", "-p", NS, "ci", "--rule", "get:pods")
    first = s.create_token("ci-0", role="ci", scope=("-p", NS))
    steps = (("get:secrets:status=500", "reading the old token"),
             ("get:serviceaccounts:status=500", "reading the role"),
             ("create:secrets:status=500", "creating the new token"),
             ("create:secrets:reset-after", "creating the new token (answer lost)"),
             ("watch:secrets:status=500", "waiting for the new token"),
             ("delete:secrets:status=500", "deleting the old token"))
    old = "ci-0"
    for n, (rule, step) in enumerate(steps):
        new = f"ci-{n + 1}"
        s.set_faults(rule)
        r = s.kt("rotate", "-p", NS, old, "--new-name", new)
        s.set_faults()
        block = TokenBlock()
        printed = not block.problems(r.out)
        s.remember(block.token)
        tokens = s.tokens_of("ci")
        problems = []
        if not any(tokens.values()):
            problems.append(f"the role has no valid token: {tokens}")
        if printed:  # the new token was handed out: it must exist and be valid
            if not tokens.get(new):
                problems.append(f"printed token {new} is not a valid Secret")
        elif new in tokens:
            problems.append(f"half-made token {new} left behind")
        if r.rc != 0 and old not in tokens and not printed:
            problems.append(f"old token {old} deleted but no new one printed")
        s.case(f"rotate, failure while {step}: exit 1 with one error line", r, rc=1, out=None,
               err=Matches(r"[^\n]+\n"), secret_free=False)
        s.check(f"rotate, failure while {step}: the role keeps a valid token, nothing half-made",
                problems, r)
        s.measure(f"rotate, {rule}: exit {r.rc}, tokens after {sorted(tokens)}: {r.err.strip()}")
        if old not in tokens:
            old = new
    for n, (rule, step) in enumerate((("create:secrets:latency=3000", "creating the new token"),
                                      ("delete:secrets:latency=3000", "deleting the old token"))):
        new = f"ci-int-{n}"
        rc, out, err, secs = s.interrupt(["rotate", "-p", NS, old, "--new-name", new], rule)
        block = TokenBlock()
        printed = not block.problems(out)
        s.remember(block.token)
        tokens = s.tokens_of("ci")
        problems = [] if any(tokens.values()) else [f"the role has no valid token: {tokens}"]
        if not printed and new in tokens:
            problems.append(f"half-made token {new} left behind")
        if printed and not tokens.get(new):
            problems.append(f"printed token {new} is not valid")
        s.check(f"rotate, Ctrl-C while {step}: a valid token remains, nothing half-made",
                problems, f"rc={rc} err={err!r}")
        s.measure(f"rotate, SIGINT while {step}: exit {rc} {secs:.2f} s after the signal, "
                  f"tokens {sorted(tokens)}: {err.strip()}")
        if old not in tokens:
            old = new
    return first


def controller_never_populates(s):
    s.restart_sim("--token-controller-paused")
    r = s.kt("create", "--system", "--role", "kargo-viewer", "stuck", "--timeout", "2s")
    s.case("tokens controller never populates: a clean timeout line", r, rc=1,
           err=Matches(r"error: [^\n]*(timed out|timeout)[^\n]*\n"))
    s.check("... the Secret is left for inspection",
            [] if s.exists("secret", "stuck", "kargo") else ["stuck was deleted"])
    s.measure(f"create --timeout 2s, controller paused: exit {r.rc} after {r.seconds:.2f} s: "
              f"{r.err.strip()}")
    rc, out, err, secs = s.interrupt(["create", "--system", "--role", "kargo-viewer", "waiting"],
                                     "get:nothing:latency=0")
    s.check("Ctrl-C while waiting for the controller: non-zero exit, the Secret is removed",
            ([] if rc != 0 else ["exit 0"]) +
            (["waiting left behind"] if s.exists("secret", "waiting", "kargo") else []),
            f"rc={rc} err={err!r}")
    s.measure(f"SIGINT while waiting: exit {rc} {secs:.2f} s after the signal: {err.strip()}")
    s.kubectl("apply", "-f", "-", stdin=f"""apiVersion: v1
kind: Secret
metadata:
  name: old-token
  namespace: kargo
  labels:
    rbac.kargo.akuity.io/api-token: "true"
  annotations:
    kubernetes.io/service-account.name: kargo-viewer
    rbac.kargo.akuity.io/managed: "true"
type: kubernetes.io/service-account-token
""")
    r = s.kt("rotate", "--system", "old-token", "--new-name", "new-token", "--timeout", "2s")
    s.case("rotate, controller never populates: the old token is kept", r, rc=1,
           err=Matches(r'error: token "old-token" was kept: [^\n]+\n'))
    s.check("... the new token is removed and the old one kept",
            (["new-token left"] if s.exists("secret", "new-token", "kargo") else []) +
            ([] if s.exists("secret", "old-token", "kargo") else ["old-token deleted"]))
    s.measure(f"rotate --timeout 2s, controller paused: exit {r.rc}: {r.err.strip()}")


def main():
    s = FaultSuite(__doc__)
    if s.version:
        print("SKIP: the fault suite runs once, with kubectl `default`")
        sys.exit(77)
    s.start()
    s.restart_sim()
    started = time.monotonic()
    server_errors(s)
    role_create_failures(s)
    rotate_failures(s)
    controller_never_populates(s)
    s.measure(f"suite: {time.monotonic() - started:.1f} s")
    s.finish()


if __name__ == "__main__":
    main()
