"""The static release binaries run on Debian 11 (bullseye, glibc 2.31).

    python3 bullseye_test.py --static-build BUILD-STATIC --kube-sim BUILD/tests/kube-sim/kube-sim \
        [--dynamic-plugin BUILD/plugin/kubectl-kargo_token] [--root /var/cache/kargo-token/bullseye-amd64]

Runs the binaries of .ci/build-static.sh inside a debootstrap root of Debian
11 (made once by bullseye_root.sh and cached) with chroot, against a kube-sim
started on the host by tests/kube-sim/e2e/kubesim.py (the chroot shares the
host's network): --help, version, create and get over 127.0.0.1, over
`localhost` and a name from the root's /etc/hosts, over a name only a DNS
server knows, and TLS against the root's system CA bundle. A dynamically
linked plugin, when given, must fail there (the control that shows the root
really is another system). Exit 0 if all cases pass, 1 otherwise, 77 (CTest
skip) where the root cannot be made or chroot is not allowed.
"""
import argparse
import base64
import fcntl
import glob
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "kube-sim", "e2e"))
from kubesim import SKIP, KubeSim, KubeSimError  # noqa: E402

BINARIES = {"kubectl-kargo_token": "plugin", "kubectl_complete-kargo_token": "plugin",
            "kargo-token-webhook": "webhook"}
HOSTS_NAME = "kube-sim.hosts.portability.test"  # only in the root's /etc/hosts
DNS_NAME = "kube-sim.dns.portability.test"      # only in the test's DNS server
FEDORA_BUNDLE = "etc/pki/tls/certs/ca-bundle.crt"


class Cases:
    def __init__(self):
        self.passed, self.failed = 0, []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed.append(name)
            print(f"FAIL {name}\n     " + detail.replace("\n", "\n     "))


class Chroot:
    """Runs commands inside ROOT as root, with a clean environment."""

    def __init__(self, root, workdir_in_root):
        self.root, self.work = root, workdir_in_root

    def host_path(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def run(self, *argv, kubeconfig=None, timeout=60, wrap=()):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": self.work, "LANG": "C"}
        if kubeconfig:
            env["KUBECONFIG"] = kubeconfig
        try:
            p = subprocess.run([*wrap, "chroot", self.root, *argv], env=env, capture_output=True, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return -9, "", f"(timed out after {timeout}s)"


def show(result):
    rc, out, err = result
    return f"rc={rc}\n--- stdout\n{out}--- stderr\n{err}"


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".kt-tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


class DnsServer:
    """A DNS server on 127.0.0.1:53/udp that answers A queries for one name
    with 127.0.0.1, other types of that name with no records and every other
    name with NXDOMAIN (just enough of RFC 1035 for glibc's stub resolver)."""

    def __init__(self, name):
        self.name = name.lower().rstrip(".")
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 53))
        self.queries = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                packet, peer = self.sock.recvfrom(512)
            except OSError:
                return
            reply = self.answer(packet)
            if reply:
                self.sock.sendto(reply, peer)

    def answer(self, packet):
        if len(packet) < 12:
            return None
        ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
        labels, i = [], 12
        while i < len(packet) and packet[i] != 0:
            labels.append(packet[i + 1:i + 1 + packet[i]].decode("ascii", "replace"))
            i += 1 + packet[i]
        question = packet[12:i + 5]
        qtype = struct.unpack("!H", packet[i + 1:i + 3])[0] if i + 3 <= len(packet) else 0
        name = ".".join(labels).lower()
        self.queries.append((name, qtype))
        rd = flags & 0x0100
        if name != self.name:
            return struct.pack("!HHHHHH", ident, 0x8080 | rd | 3, 1, 0, 0, 0) + question
        answers = b""
        if qtype == 1:
            answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 5, 4) + socket.inet_aton("127.0.0.1")
        return struct.pack("!HHHHHH", ident, 0x8480 | rd, 1, 1 if answers else 0, 0, 0) + question + answers

    def close(self):
        self.sock.close()


def kubeconfig(admin_text, server, ca=True, tls_server_name=None):
    """kube-sim's admin kubeconfig (inline data) pointed at SERVER."""
    text = re.sub(r"(?m)^(\s*server:\s*).*$", lambda m: m.group(1) + server, admin_text)
    if not ca:
        text = re.sub(r"(?m)^\s*certificate-authority-data:.*\n", "", text)
    if tls_server_name:
        text = re.sub(r"(?m)^(\s*)server:(.*)$", lambda m: f"{m.group(0)}\n{m.group(1)}tls-server-name: {tls_server_name}",
                      text)
    return text


def seed_roles(path):
    roles = os.path.join(REPO, "manifests", "roles")
    files = [os.path.join(roles, "namespace.yaml")] + sorted(glob.glob(os.path.join(roles, "kargo-*.yaml")))
    with open(path, "w") as out:
        out.write("\n---\n".join(open(f).read() for f in files))


def run(opts):
    cases = Cases()
    root = opts.root
    work_in_root = f"/tmp/kt-portability-{os.getpid()}"
    box = Chroot(root, work_in_root)
    host_work = box.host_path(work_in_root)
    os.makedirs(os.path.join(host_work, "bin"))
    bins = {}
    for name, sub in BINARIES.items():
        shutil.copy2(os.path.join(opts.static_build, sub, name), os.path.join(host_work, "bin", name))
        bins[name] = f"{work_in_root}/bin/{name}"

    # The root is another system: glibc 2.31, and a binary linked against
    # this machine's shared libraries cannot run there.
    libc = box.run("ldd", "--version")
    cases.check("the root runs glibc 2.31", libc[0] == 0 and "2.31" in libc[1].splitlines()[0], show(libc))
    if opts.dynamic_plugin:
        shutil.copy2(opts.dynamic_plugin, os.path.join(host_work, "bin", "dynamic-plugin"))
        r = box.run(f"{work_in_root}/bin/dynamic-plugin", "--help")
        cases.check("control: the dynamically linked plugin does not run there",
                    r[0] != 0 and ("GLIBC_" in r[2] or "error while loading shared libraries" in r[2]), show(r))

    r = box.run(bins["kubectl-kargo_token"], "--help")
    cases.check("plugin --help", r[0] == 0 and re.search(r"(?m)^\s+create\b", r[1])
                and re.search(r"(?m)^\s+get\b", r[1]) and r[2] == "", show(r))
    r = box.run(bins["kubectl_complete-kargo_token"], "")
    cases.check("completer lists the commands", r[0] == 0 and re.search(r"(?m)^create\b", r[1])
                and r[1].rstrip().endswith(":4"), show(r))
    r = box.run(bins["kargo-token-webhook"], "--help")
    cases.check("webhook --help", r[0] == 0 and "--tls-cert-file" in r[1] and r[2] == "", show(r))

    seed = os.path.join(host_work, "roles.yaml")
    seed_roles(seed)
    with KubeSim(opts.kube_sim, extra_args=["--seed", seed], ready_timeout=60) as sim:
        admin = open(sim.kubeconfig).read()
        port = sim.host_port.rsplit(":", 1)[1]
        ca_pem = base64.b64decode(re.search(r"certificate-authority-data:\s*(\S+)", admin).group(1)).decode()

        def config(name, server, **kw):
            write(os.path.join(host_work, name), kubeconfig(admin, server, **kw), 0o600)
            return f"{work_in_root}/{name}"

        plugin = bins["kubectl-kargo_token"]
        by_ip = config("ip.kubeconfig", f"https://127.0.0.1:{port}")
        r = box.run(plugin, "version", kubeconfig=by_ip)
        cases.check("version over 127.0.0.1", r[0] == 0 and "Client Version:" in r[1]
                    and "Server Version:" in r[1], show(r))
        r = box.run(plugin, "create", "--system", "--role", "kargo-admin", "bullseye-robot", kubeconfig=by_ip)
        cases.check("create over 127.0.0.1 prints the token once",
                    r[0] == 0 and r[1].startswith("Token created successfully!") and r[2] == "", show(r))
        listed = re.compile(r"(?m)^bullseye-robot\s")
        r = box.run(plugin, "get", "--system", kubeconfig=by_ip)
        cases.check("get over 127.0.0.1", r[0] == 0 and listed.search(r[1]), show(r))

        r = box.run(plugin, "get", "--system", kubeconfig=config("localhost.kubeconfig", f"https://localhost:{port}"))
        cases.check("get over localhost (the root's /etc/hosts)", r[0] == 0 and listed.search(r[1]), show(r))
        r = box.run(plugin, "get", "--system", kubeconfig=config(
            "hosts.kubeconfig", f"https://{HOSTS_NAME}:{port}", tls_server_name="localhost"))
        cases.check(f"get over {HOSTS_NAME} (only in the root's /etc/hosts)",
                    r[0] == 0 and listed.search(r[1]), show(r))
        r = box.run(plugin, "get", "--system", kubeconfig=config(
            "unknown.kubeconfig", "https://no-such-host.portability.invalid:6443"), timeout=120)
        cases.check("an unknown host name is one clear error",
                    r[0] != 0 and "no-such-host.portability.invalid" in r[2] and r[1] == "", show(r))

        try:
            dns = DnsServer(DNS_NAME)
        except OSError as e:
            print(f"# DNS case skipped: cannot listen on 127.0.0.1:53/udp ({e})")
            dns = None
        if dns:
            # The root's nsswitch.conf names modules (mdns4_minimal, resolve,
            # myhostname) that a static binary must not dlopen: they are built
            # for the root's glibc. Under strace, none may even be opened.
            trace = os.path.join(host_work, "openat.trace")
            wrap = ["strace", "-f", "-qq", "-e", "trace=openat", "-o", trace] if shutil.which("strace") else []
            try:
                r = box.run(plugin, "get", "--system", kubeconfig=config(
                    "dns.kubeconfig", f"https://{DNS_NAME}:{port}", tls_server_name="localhost"), wrap=wrap)
                cases.check(f"get over {DNS_NAME} (only in DNS)",
                            r[0] == 0 and listed.search(r[1]) and (DNS_NAME, 1) in dns.queries,
                            show(r) + f"\nDNS queries: {dns.queries}")
            finally:
                dns.close()
            if wrap:
                opened = [line for line in open(trace) if "libnss_" in line]
                cases.check("no NSS module is loaded on the way to DNS", not opened, "".join(opened))
            else:
                print("# NSS module case skipped: strace is not installed")

        # System roots: none in the root yet, then kube-sim's CA in Fedora's
        # bundle path (the static OpenSSL's own default, Debian's
        # /usr/lib/ssl, does not exist there).
        no_ca = config("system-ca.kubeconfig", f"https://localhost:{port}", ca=False)
        r = box.run(plugin, "get", "--system", kubeconfig=no_ca)
        cases.check("no system CA bundle: the server is not trusted",
                    r[0] != 0 and "certificate signed by unknown authority" in r[2], show(r))
        bundle = box.host_path(FEDORA_BUNDLE)
        write(bundle, ca_pem)
        try:
            r = box.run(plugin, "get", "--system", kubeconfig=no_ca)
            cases.check(f"kube-sim's CA in /{FEDORA_BUNDLE} is trusted", r[0] == 0 and listed.search(r[1]), show(r))
        finally:
            os.remove(bundle)
    return cases


def prepare_root(root):
    """The root's name service files this test relies on."""
    write(os.path.join(root, "etc/hosts"), f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
                                            f"127.0.0.1\t{HOSTS_NAME}\n")
    write(os.path.join(root, "etc/resolv.conf"), "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n")
    write(os.path.join(root, "etc/nsswitch.conf"),
          "passwd: files\ngroup: files\nshadow: files\n"
          "hosts: files mdns4_minimal [NOTFOUND=return] resolve [!UNAVAIL=return] dns myhostname\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--static-build", required=True, help="build dir of .ci/build-static.sh")
    parser.add_argument("--kube-sim", required=True)
    parser.add_argument("--dynamic-plugin", help="a dynamically linked kubectl-kargo_token (control case)")
    parser.add_argument("--root", default="/var/cache/kargo-token/bullseye-amd64")
    opts = parser.parse_args()
    for name, sub in BINARIES.items():
        path = os.path.join(opts.static_build, sub, name)
        if not os.access(path, os.X_OK):
            print(f"FAIL: {path} is missing; run bash .ci/build-static.sh {opts.static_build}")
            return 1
    rc = subprocess.run(["bash", os.path.join(HERE, "bullseye_root.sh"), opts.root]).returncode
    if rc != 0:
        return rc
    with open(opts.root + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one run at a time edits the root's /etc
        probe = subprocess.run(["chroot", opts.root, "/bin/true"], capture_output=True, text=True)
        if probe.returncode != 0:
            print(f"SKIP: chroot into {opts.root} is not allowed here: {probe.stderr.strip()}")
            return SKIP
        prepare_root(opts.root)
        work = os.path.join(opts.root, "tmp", f"kt-portability-{os.getpid()}")
        try:
            cases = run(opts)
        except KubeSimError as e:
            print(f"FAIL: {e}")
            return 1
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{cases.passed} passed, {len(cases.failed)} failed")
    return 1 if cases.failed else 0


if __name__ == "__main__":
    sys.exit(main())
