#!/usr/bin/env python3
"""Hostile kubeconfigs against the real kubectl-kargo_token (issue 9, the
bad-input table; results in docs/reliability/bad-input.md).

Each case writes a kubeconfig (or a file it points at) and runs
`kubectl-kargo_token get tokens --system --kubeconfig FILE` against a running
kube-sim, so only the hostile part can fail. Every case must end quickly with
a non-zero exit (not a signal) and exactly one error line, worded as kubectl
words it ("error: ..." for configuration errors, "Unable to connect to the
server: getting credentials: ..." for credential helpers), that names where
the problem is. Other stderr lines may only be kubectl's usage hint or what
an exec helper itself wrote to stderr.

    plugin_bad_kubeconfig.py --plugin P --kube-sim K

Exit 0 if every case passes, 1 otherwise.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import KubeSim, run_in_tmpdir  # noqa: E402

QUICK = 20  # seconds: "quickly" on a heavily loaded machine
ERROR_PREFIXES = ("error: ", "Unable to connect to the server: ")
USAGE_HINT = re.compile(r"^See '.* --help' for usage\.$")
HELPER_STDERR = {"helper: login required"}


def kubeconfig(server, ca, user="{token: abc}", cluster_extra=""):
    return f"""apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: {server}
    certificate-authority: {ca}
{cluster_extra}contexts:
- name: c
  context: {{cluster: c, user: u}}
current-context: c
users:
- name: u
  user: {user}
"""


def exec_user(script):
    return ("\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
            f"      command: {script}\n      interactiveMode: Never")


class Cases:
    def __init__(self, plugin, sim, tmp, table):
        self.plugin, self.sim, self.tmp, self.table = plugin, sim, tmp, table
        self.ca = os.path.join(os.path.dirname(sim.kubeconfig), "ca.crt")

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data, mode=0o600):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        os.chmod(p, mode)
        return p

    def script(self, name, body):
        return self.write(name, "#!/bin/sh\n" + body + "\n", 0o700)

    def run(self, name, config_path, where, extra=(), timeout=QUICK):
        """Runs the plugin on config_path; `where` must appear in the error."""
        started = time.monotonic()
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.tmp}
        try:
            p = subprocess.run([self.plugin, "get", "tokens", "--system", "--kubeconfig",
                                config_path, *extra], capture_output=True, text=True,
                               timeout=timeout + 30, env=env, errors="replace")
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = None, "(hung)"
        seconds = time.monotonic() - started
        lines = [line for line in err.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith(ERROR_PREFIXES)]
        others = [line for line in lines if line not in errors and not USAGE_HINT.match(line)
                  and line not in HELPER_STDERR]
        ok = (rc is not None and rc > 0 and len(errors) == 1 and not others
              and where in errors[0] and seconds < timeout)
        shown = (errors[0] if len(errors) == 1 else err.strip()).replace(self.tmp + "/", "")
        self.table.check(f"plugin: {name}", ok, f"exit {rc} in {seconds:.1f}s: {shown[:160]}",
                         f"stderr={err[:600]!r}")

    def files(self):
        good = kubeconfig(self.sim.url, self.ca)
        self.run("kubeconfig file missing", self.path("absent.yaml"), "absent.yaml")
        os.mkdir(self.path("dir.yaml"))
        self.run("kubeconfig is a directory", self.path("dir.yaml"), "dir.yaml")
        huge = self.path("huge.yaml")
        with open(huge, "wb") as f:
            f.write(good.encode())
            f.write(b"# padding\n" * (2 << 20))  # 20 MiB of comment lines
        self.run("kubeconfig of 20 MiB", huge, "huge.yaml")
        # Seeded, so a failure reproduces; tests/fuzz covers random inputs at scale.
        self.run("binary garbage", self.write("garbage.yaml", random.Random(9).randbytes(64 << 10)),
                 "garbage.yaml")
        self.run("NUL bytes inside YAML", self.write("nul.yaml", good.replace("c\n", "c\0\n", 1)),
                 "nul.yaml")
        laughs = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f",*{chr(97 + i)}" * 8 + "]\n"
            for i in range(9))
        self.run("YAML alias bomb (9^10 nodes)", self.write("laughs.yaml", laughs), "laughs.yaml")
        self.run("nesting 100000 deep", self.write("deep.yaml", "a: " + "[" * 100000 + "]" * 100000),
                 "deep.yaml")

    def wrong_types(self):
        self.run("clusters is a string", self.write("types1.yaml", "apiVersion: v1\nkind: Config\n"
                                                    "clusters: oops\n"), "types1.yaml")
        self.run("current-context is a map", self.write(
            "types2.yaml", kubeconfig(self.sim.url, self.ca).replace("current-context: c",
                                                                     "current-context: {a: 1}")),
            "types2.yaml")
        self.run("token is a list", self.write("types3.yaml", kubeconfig(
            self.sim.url, self.ca, user="{token: [1, 2]}")), "types3.yaml")
        self.run("server is a number", self.write("types4.yaml", kubeconfig(
            "12345", self.ca)), "server")

    def cert_files(self):
        os.mkdir(self.path("ca-dir"))
        self.run("certificate-authority is a directory",
                 self.write("ca-dir.yaml", kubeconfig(self.sim.url, self.path("ca-dir"))), "ca-dir")
        self.run("certificate-authority missing",
                 self.write("ca-missing.yaml", kubeconfig(self.sim.url, self.path("no-ca.crt"))),
                 "no-ca.crt")
        self.run("certificate-authority is garbage",
                 self.write("ca-garbage.yaml", kubeconfig(
                     self.sim.url, self.write("garbage.crt", random.Random(7).randbytes(4096)))),
                 'cluster "c"')
        os.mkdir(self.path("cert-dir"))
        key = self.write("client.key", "not a key\n")
        user = f"{{client-certificate: {self.path('cert-dir')}, client-key: {key}}}"
        self.run("client-certificate is a directory",
                 self.write("cert-dir.yaml", kubeconfig(self.sim.url, self.ca, user=user)),
                 "cert-dir")
        self.run("token-file missing",
                 self.write("tokenfile.yaml", kubeconfig(
                     self.sim.url, self.ca, user=f"{{tokenFile: {self.path('no-token')}}}")),
                 "no-token")

    def exec_helpers(self):
        def case(name, body, where=None, extra=(), timeout=QUICK):
            script = self.script(name.replace(" ", "-") + ".sh", body)
            config = self.write(name.replace(" ", "-") + ".yaml",
                                kubeconfig(self.sim.url, self.ca, user=exec_user(script)))
            self.run(f"exec helper {name}", config, where or os.path.basename(script), extra,
                     timeout)
        case("that hangs (--request-timeout 3s)", "exec sleep 600", extra=("--request-timeout", "3s"))
        # client-go's wording, kept: it says what, not which helper.
        case("that prints garbage", "printf '\\x00\\xffnot json at all'",
             where="getting credentials: decoding stdout")
        case("that prints 200 MiB", "exec head -c 209715200 /dev/zero")
        case("that prints a wrong kind",
             "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"Secret\"}'",
             where="getting credentials: decoding stdout")
        case("that exits 1", "echo 'helper: login required' >&2; exit 1")
        self.run("exec helper missing", self.write("exec-missing.yaml", kubeconfig(
            self.sim.url, self.ca, user=exec_user(self.path("no-such-helper")))), "no-such-helper")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--kube-sim", required=True)
    a = ap.parse_args()

    def body(tmp, table):
        with KubeSim(a.kube_sim) as sim:
            cases = Cases(os.path.abspath(a.plugin), sim, tmp, table)
            cases.files()
            cases.wrong_types()
            cases.cert_files()
            cases.exec_helpers()

    return run_in_tmpdir("kt-bad-kubeconfig-", body)


if __name__ == "__main__":
    sys.exit(main())
