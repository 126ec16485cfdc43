#!/usr/bin/env python3
"""Bad input against the real kargo-token-webhook over TLS (issue 9, the
bad-input table; results in docs/reliability/bad-input.md).

The webhook runs against a kube-sim (its API server). Each body case posts one
hostile request and checks the answer: a 4xx Status, or an AdmissionReview
decision (never allowed on error) that echoes the uid. The connection cases
hold slow-loris clients and thousands of idle connections open while a normal
review must still be answered. After every case the webhook must still be
running and serving.

    webhook_bad_input.py --webhook W --kube-sim K

Exit 0 if every case passes, 1 otherwise, 77 if openssl is missing.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SKIP, KubeSim, Webhook, make_certs, run_in_tmpdir  # noqa: E402

PATH = "/validate-secrets"
MIB = 1 << 20
ANSWER_SECONDS = 15  # generous: the machine running CI is heavily loaded


def review(name="ci-token-1", uid="uid-1", annotations=None, api_version="admission.k8s.io/v1",
           kind="AdmissionReview", drop=()):
    secret = {
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": name, "namespace": "kargo",
                     "labels": {"rbac.kargo.akuity.io/api-token": "true"},
                     "annotations": {"kubernetes.io/service-account.name": "ci",
                                     "rbac.kargo.akuity.io/managed": "true",
                                     **(annotations or {})}}}
    request = {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Secret"},
        "resource": {"group": "", "version": "v1", "resource": "secrets"},
        "requestKind": {"group": "", "version": "v1", "kind": "Secret"},
        "requestResource": {"group": "", "version": "v1", "resource": "secrets"},
        "name": name, "namespace": "kargo", "operation": "CREATE",
        "userInfo": {"username": "bob", "groups": ["system:authenticated"]},
        "object": secret, "oldObject": None, "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}
    body = {"apiVersion": api_version, "kind": kind, "request": request}
    for key in drop:
        if key == "uid":
            del request["uid"]
        else:
            del body[key]
    return json.dumps(body).encode()


class Client:
    def __init__(self, port, ca):
        self.port = port
        self.ctx = ssl.create_default_context(cafile=ca)

    def tls_socket(self, timeout=ANSWER_SECONDS):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return self.ctx.wrap_socket(raw, server_hostname="127.0.0.1")

    def post(self, body, content_type="application/json", method="POST", headers=None,
             chunked=False):
        """(status, parsed JSON or raw text, seconds); status None on a
        connection error (text says which)."""
        started = time.monotonic()
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx,
                                           timeout=ANSWER_SECONDS)
        try:
            hdrs = {"Content-Type": content_type, **(headers or {})}
            conn.request(method, PATH, body=body, headers=hdrs, encode_chunked=chunked)
            r = conn.getresponse()
            text = r.read().decode(errors="replace")
            try:
                payload = json.loads(text)
            except ValueError:
                payload = text
            return r.status, payload, time.monotonic() - started
        except (OSError, http.client.HTTPException) as e:
            return None, f"{type(e).__name__}: {e}", time.monotonic() - started
        finally:
            conn.close()

    def raw_exchange(self, data, wait=ANSWER_SECONDS):
        """Sends raw bytes on a TLS connection, then reads until the server
        answers or closes; returns (first response line or '', seconds)."""
        started = time.monotonic()
        s = self.tls_socket(timeout=wait)
        try:
            s.sendall(data)
            got = b""
            while b"\r\n" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            return got.split(b"\r\n", 1)[0].decode(errors="replace"), time.monotonic() - started
        except OSError as e:
            return f"{type(e).__name__}", time.monotonic() - started
        finally:
            s.close()


def status_message(payload):
    return payload.get("message", "") if isinstance(payload, dict) else str(payload)[:120]


def decision(payload):
    response = payload.get("response", {}) if isinstance(payload, dict) else {}
    return response


def body_cases(client, table):
    """(case, body, content type, expected status, message needle)."""
    half = review()[: len(review()) // 2]
    deep = b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":' + \
        b"[" * 100000 + b"]" * 100000 + b"}"
    bad_utf8 = review(name="ci-token-\udcff").replace(b"\\udcff", b"\xff\xfe")
    rows = [
        ("malformed JSON", b'{"apiVersion": "admission.k8s.io/v1", "kind": ', "application/json", 400,
         ""),
        ("truncated body (half a review)", half, "application/json", 400, ""),
        ("empty body", b"", "application/json", 400, "empty"),
        ("wrong content type", review(), "text/plain", 400, "application/json"),
        ("10 MiB body", b"{" + b" " * (10 * MIB) + b"}", "application/json", 413, "larger than"),
        ("deep nesting (100000 levels)", deep, "application/json", 400, "levels"),
        ("wrong apiVersion (v1beta1)", review(api_version="admission.k8s.io/v1beta1"),
         "application/json", 400, "apiVersion"),
        ("wrong kind", review(kind="Secret"), "application/json", 400, "kind"),
        ("missing request", review(drop=("request",)), "application/json", 400, "request"),
        ("missing request.uid", review(drop=("uid",)), "application/json", 400, "uid"),
        ("non-UTF-8 name (bytes ff fe)", bad_utf8, "application/json", 400, ""),
    ]
    for name, body, ctype, want, needle in rows:
        status, payload, seconds = client.post(body, ctype)
        message = status_message(payload)
        ok = status == want and needle.lower() in message.lower()
        if isinstance(payload, dict) and status and status >= 400:
            ok = ok and payload.get("kind") == "Status" and payload.get("code") == want
        table.check(f"webhook: {name}", ok, f"{status} {message[:90]!r} in {seconds:.2f}s",
                    f"payload={str(payload)[:300]}")


def decision_cases(client, table):
    # A valid UTF-8 but non-DNS name is decided (denied by the naming rule).
    status, payload, seconds = client.post(review(name="tökén-1", uid="uid-utf8"))
    r = decision(payload)
    table.check("webhook: non-ASCII UTF-8 name is denied, uid echoed",
                status == 200 and r.get("allowed") is False and r.get("uid") == "uid-utf8",
                f"{status} allowed={r.get('allowed')} "
                f"{r.get('status', {}).get('message', '')[:80]!r} in {seconds:.2f}s",
                str(payload)[:300])
    # 40 000 annotations (~2.4 MB, under the 3 MiB cap) are decided, not choked on.
    many = {f"example.com/a{i:05d}": "v" * 40 for i in range(40000)}
    body = review(uid="uid-huge", annotations=many)
    status, payload, seconds = client.post(body)
    r = decision(payload)
    table.check(f"webhook: huge annotation map ({len(many)} keys, {len(body) / MIB:.1f} MiB) "
                "is decided", status == 200 and r.get("uid") == "uid-huge" and
                r.get("allowed") is False,
                f"{status} allowed={r.get('allowed')} in {seconds:.2f}s", str(payload)[:300])
    # Over the cap in a chunked body (no Content-Length to refuse up front).
    def chunks():
        for _ in range(10):
            yield b" " * MIB
    status, payload, seconds = client.post(chunks(), headers={"Transfer-Encoding": "chunked"},
                                           chunked=True)
    table.check("webhook: 10 MiB chunked body is refused", status == 413,
                f"{status} {status_message(payload)[:80]!r} in {seconds:.2f}s")
    status, payload, seconds = client.post(b"", method="GET")
    table.check("webhook: GET on the review path is refused", status in (404, 405),
                f"{status} in {seconds:.2f}s")


def connection_cases(client, table, webhook):
    # Truncated: Content-Length promises 1000 bytes, 100 arrive, then nothing.
    head = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000\r\n\r\n").encode()
    line, seconds = client.raw_exchange(head + b"{" * 100, wait=40)
    table.check("webhook: body stalls after 100 of 1000 bytes: refused at the read timeout",
                (line in ("", "SSLEOFError", "ConnectionResetError") or
                 line.startswith("HTTP/1.1 4")) and seconds < 35,
                f"{line or 'closed without answer'} after {seconds:.1f}s")
    # Garbage that is not HTTP at all.
    line, seconds = client.raw_exchange(b"\x00\x01\x02 not http \xff\r\n\r\n")
    table.check("webhook: non-HTTP bytes after the TLS handshake",
                line == "" or line.startswith("HTTP/1.1 4"), f"{line or 'closed'} in {seconds:.2f}s")

    slow_loris(client, table, webhook)
    idle_connections(client, table, webhook)


def still_serves(client, label, table):
    status, payload, seconds = client.post(review(uid=f"uid-{label}"))
    r = decision(payload)
    ok = status == 200 and r.get("uid") == f"uid-{label}" and r.get("allowed") is False
    table.check(f"webhook: a normal review is answered {label}", ok,
                f"{status} in {seconds:.2f}s", str(payload)[:300])


def process_status(pid):
    """(threads, resident MiB) of a process from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields.get("Threads", "0")), int(fields.get("VmRSS", "0 kB").split()[0]) / 1024


def slow_loris(client, table, webhook, clients=40, wait=50):
    """`clients` connections each send one header byte per second; the
    server must keep serving and cut each one at its request deadline."""
    stop = threading.Event()
    outcome = [None] * clients  # ("cut", seconds) or ("handshake failed", error)
    started = time.monotonic()

    def drip(i):
        try:
            s = client.tls_socket(timeout=10)
        except OSError as e:
            outcome[i] = ("handshake failed", str(e))
            return
        data = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a" * 10000).encode()
        try:
            s.settimeout(1)
            for b in data:
                if stop.is_set():
                    return
                s.sendall(bytes([b]))
                try:
                    if s.recv(1) == b"":
                        break
                except socket.timeout:
                    pass
            outcome[i] = ("cut", time.monotonic() - started)
        except OSError:
            outcome[i] = ("cut", time.monotonic() - started)
        finally:
            s.close()

    threads = [threading.Thread(target=drip, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(3)
    still_serves(client, f"while {clients} slow-loris clients send 1 byte/s", table)
    threads_now, rss = process_status(webhook.proc.pid)
    while time.monotonic() < started + wait and None in outcome:
        time.sleep(0.5)
    stop.set()
    cut = [o[1] for o in outcome if o and o[0] == "cut"]
    failed = [o[1] for o in outcome if o and o[0] == "handshake failed"]
    table.check(f"webhook: slow-loris connections are cut at the request deadline (30 s)",
                len(cut) == clients and min(cut) >= 25,
                f"{len(cut)}/{clients} cut" + (f" after {min(cut):.0f}-{max(cut):.0f}s" if cut else "")
                + (f", {len(failed)} handshakes failed" if failed else "")
                + f"; webhook had {threads_now} threads, {rss:.0f} MiB resident")
    for t in threads:
        t.join(timeout=5)


# The Deployment's memory limit (manifests/webhook/deployment.yaml).
RSS_LIMIT_MIB = 128


def idle_connections(client, table, webhook, tcp=3000, tls=300):
    """`tcp` connections that never send a byte and `tls` that finish the
    handshake and then say nothing."""
    socks, tls_socks = [], []
    # With TCP_DEFER_ACCEPT the kernel never hands a silent connection to the
    # webhook; once its small accept backlog is full it holds further
    # connects off (SYN retransmits), so opening stops at the first connect
    # that takes over 2 s or after 20 s.
    held_off = ""
    opening_ends = time.monotonic() + 20
    for _ in range(tcp):
        if time.monotonic() > opening_ends:
            held_off = " (opening for 20 s)"
            break
        try:
            socks.append(socket.create_connection(("127.0.0.1", client.port), timeout=2))
        except OSError as e:
            held_off = f" (the kernel held connect {len(socks) + 1} off: {type(e).__name__})"
            break
    try:
        for _ in range(tls):
            tls_socks.append(client.tls_socket(timeout=10))
    except OSError as e:
        table.check("webhook: open idle TLS connections", False,
                    f"{len(tls_socks)} TLS opened: {e}")
    print(f"     {len(socks)} idle TCP connections open{held_off}")
    time.sleep(1)
    still_serves(client, f"while {len(socks)} idle TCP + {len(tls_socks)} idle TLS connections "
                 "are open", table)
    threads_now, rss = process_status(webhook.proc.pid)
    ready = webhook.readyz()
    limit = RSS_LIMIT_MIB
    table.check("webhook: /readyz and memory while idle connections are open",
                ready == 200 and (limit == 0 or rss < limit), f"readyz {ready}; {threads_now} "
                f"threads, {rss:.0f} MiB resident " + (f"(Deployment limit {limit} MiB)" if limit
                else "(not checked: sanitizer build, whose shadow memory is not the webhook's)"))
    for s in socks + tls_socks:
        s.close()


def main():
    global RSS_LIMIT_MIB
    ap = argparse.ArgumentParser()
    ap.add_argument("--webhook", required=True)
    ap.add_argument("--kube-sim", required=True)
    ap.add_argument("--rss-limit-mib", type=int, default=RSS_LIMIT_MIB,
                    help="the webhook's resident-memory bound with idle connections open "
                         "(0: not checked, for sanitizer builds)")
    a = ap.parse_args()
    RSS_LIMIT_MIB = a.rss_limit_mib
    if not shutil.which("openssl"):
        print("SKIP: openssl is not installed")
        return SKIP

    def body(tmp, table):
        ca = make_certs(tmp)
        with KubeSim(a.kube_sim) as sim:
            webhook = Webhook(a.webhook, tmp, sim.kubeconfig)
            try:
                webhook.wait_ready()
                client = Client(webhook.port, ca)
                still_serves(client, "before the bad input", table)
                body_cases(client, table)
                decision_cases(client, table)
                connection_cases(client, table, webhook)
                still_serves(client, "after the bad input", table)
                table.check("webhook: still running after every case", webhook.proc.poll() is None,
                            f"exit code {webhook.proc.poll()}")
                log = webhook.log_text()
                table.check("webhook: no request body in the log", "example.com/a00001" not in log
                            and "X-Slow" not in log, f"{len(log.splitlines())} log lines scanned")
            finally:
                rc = webhook.stop()
            table.check("webhook: exits 0 on SIGTERM afterwards", rc == 0, f"exit code {rc}")
            if table.failed:
                print("--- webhook log tail\n" + "\n".join(webhook.log_text().splitlines()[-20:]))

    return run_in_tmpdir("kt-bad-input-", body)


if __name__ == "__main__":
    sys.exit(main())
