#!/usr/bin/env python3
"""kargo-token-webhook under a misbehaving API server, SIGTERM and
certificate rotation (issue #9; measured outcomes in docs/reliability/faults.md).

The real webhook talks to kube-sim through a TCP proxy (so the API server can
be made unreachable and connections dropped, as when it restarts); kube-sim's
--fault-file turns faults on and off while everything runs. AdmissionReviews
are POSTed to the webhook over TLS as the API server would. Scenarios:

  unreachable, slow (8 s > the 5 s webhook timeout), 503, connection reset:
      token CREATEs are denied with a clear "could not ... retry" message within
      the webhook timeout (never admitted); /readyz turns 503 naming the cache
      while the caches cannot list or watch (slow answers do not: the watch
      still works); after the fault the webhook recovers by itself.
  watch dropped every 1.5 s, watch answered 410 Gone: the cache keeps up (a
      ServiceAccount created during the fault is cached), /readyz stays 200.
  certificate rotation under load (kubelet's ..data symlink swap): zero failed
      requests (wrk, kept-alive and new-connection-per-request), the new
      certificate is served within 2 s.
  SIGTERM under load: /readyz turns 503 at once, zero failed requests, a
      request in flight when the listener closes is answered, exit 0 within the
      shutdown delay plus a grace period.

    suite_faults.py --kube-sim K --webhook W --manifests DIR [--kubectl-version 1.NN]

Exit 0 if all pass, 1 if any fails, 77 if kubectl, wrk or openssl is missing.
Every measured number is printed on a `measure` line.
"""
import os
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "kube-sim", "e2e"))
sys.path.insert(0, HERE)
from faults_support import (SecretVolume, TcpProxy, Webhook, Wrk, issue_leaf,  # noqa: E402
                            review, token_secret, wait_for)
from kubesim import KubeSim  # noqa: E402
from suite_webhook import (DNS, NS, SVC, SVC_NS, Run, free_port, make_certs,  # noqa: E402
                           setup_cluster, suite_main, wait_ready)

WEBHOOK_TIMEOUT = 5.0   # timeoutSeconds of the shipped ValidatingWebhookConfiguration
SHUTDOWN_DELAY = 6.0    # --shutdown-delay of the webhook under test
EXIT_GRACE = 10.0       # SIGTERM → exit allowed beyond the delay (loaded CI machine)
RECOVERY_LIMIT = 45.0   # the reflector's backoff is capped at 30 s


class Suite:
    def __init__(self, hook, run, faults_file, proxy, tmp):
        self.hook, self.run, self.faults_file, self.proxy, self.tmp = (
            hook, run, faults_file, proxy, tmp)
        self.serial = 0

    def check(self, case, ok, detail=""):
        self.run.check(case, ok, detail)

    def measure(self, what):
        print("     measure " + what)

    def set_faults(self, *rules):
        """Rewrite kube-sim's --fault-file (rules apply to new requests)."""
        with open(self.faults_file + ".tmp", "w") as f:
            f.write("".join(r + "\n" for r in rules))
        os.rename(self.faults_file + ".tmp", self.faults_file)

    def bounce(self):
        """Drop every open connection to the API server, as a restart does."""
        self.proxy.stop()
        self.proxy.start()

    def name(self, prefix):
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def post_token(self, role):
        return self.hook.post(review(token_secret(NS, self.name(f"{role}-token"), role)))

    def allowed(self, role="ci"):
        _, resp, _ = self.post_token(role)
        return bool(resp) and resp["response"]["allowed"] is True

    def ready(self):
        return self.hook.probe("/readyz")[0] == 200

    def expect_fail_closed(self, scenario):
        """A token CREATE for a cached role (needs a SubjectAccessReview) and
        one for an unknown role (needs a live GET) are both denied in time."""
        for role, what in (("ci", "cached role"), ("ghost", "uncached role")):
            secs, resp, err = self.post_token(role)
            r = (resp or {}).get("response", {})
            msg = r.get("status", {}).get("message", "")
            ok = (resp is not None and r.get("allowed") is False and "retry" in msg
                  and ("could not verify" in msg or "could not be verified" in msg)
                  and secs < WEBHOOK_TIMEOUT)
            self.check(f"{scenario}: token for a {what} is denied within {WEBHOOK_TIMEOUT:.0f} s",
                       ok, f"secs={secs:.2f} err={err!r} response={r}")
            self.measure(f"{scenario}: {what} denied in {secs:.2f} s: {msg}")

    def outage(self, scenario, inject, clear, readyz_turns):
        inject()
        self.expect_fail_closed(scenario)
        if readyz_turns:
            took = wait_for(lambda: not self.ready(), 20)
            status, body = self.hook.probe("/readyz")
            self.check(f"{scenario}: /readyz turns 503 naming the cache",
                       took is not None and status == 503 and "cache" in body,
                       f"status={status} body={body!r}")
            if took is not None:
                self.measure(f"{scenario}: /readyz 503 after {took:.2f} s: {body.strip()}")
        else:
            self.check(f"{scenario}: /readyz stays 200 (the watch still works)", self.ready())
        clear()
        took = wait_for(lambda: self.ready() and self.allowed(), RECOVERY_LIMIT, step=0.2)
        self.check(f"{scenario}: recovers by itself (ready, token admitted)", took is not None)
        if took is not None:
            self.measure(f"{scenario}: recovered {took:.2f} s after the fault ended")

    def watch_fault(self, scenario, rule, role):
        before = self.hook.metric("kargo_token_webhook_cache_objects",
                                  '{resource="serviceaccounts"}')
        self.set_faults(rule)
        self.bounce()  # the open watch ends; every new one meets the fault
        time.sleep(2)
        self.run.must("-n", NS, "create", "serviceaccount", role)
        took = wait_for(lambda: self.hook.metric("kargo_token_webhook_cache_objects",
                                                 '{resource="serviceaccounts"}') == before + 1,
                        30, step=0.1)
        self.check(f"{scenario}: a ServiceAccount created during the fault is cached",
                   took is not None)
        if took is not None:
            self.measure(f"{scenario}: new ServiceAccount cached {took:.2f} s after creation")
        samples = [self.ready() for _ in range(5) if not time.sleep(0.2)]
        self.check(f"{scenario}: /readyz stays 200", all(samples), f"samples={samples}")
        self.check(f"{scenario}: a valid token is admitted", self.allowed(role))
        self.set_faults()

    def scenarios(self):
        self.check("baseline: a valid token is admitted", self.allowed())
        self.outage("unreachable", self.proxy.stop, self.proxy.start, readyz_turns=True)
        # Slow: connections stay up (the open watch is unaffected).
        self.outage("slow (8 s)", lambda: self.set_faults("*:*:latency=8000"), self.set_faults,
                    readyz_turns=False)
        self.outage("503", lambda: (self.set_faults("*:*:status=503"), self.bounce()),
                    self.set_faults, readyz_turns=True)
        self.outage("connection reset", lambda: (self.set_faults("*:*:reset"), self.bounce()),
                    self.set_faults, readyz_turns=True)
        self.watch_fault("watch dropped every 1.5 s", "watch:serviceaccounts:watch-drop=1500",
                         "late-drop")
        self.watch_fault("watch answered 410 Gone", "watch:serviceaccounts:watch-gone",
                         "late-gone")

    def rotation(self, volume):
        serial = issue_leaf(self.tmp, "rotated", DNS)
        load = review({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                       "metadata": {"name": "plain", "namespace": NS}})
        kept = Wrk(self.tmp, "rotate-keepalive", self.hook.port, load, 6, connections=8)
        fresh = Wrk(self.tmp, "rotate-close", self.hook.port, load, 6, connections=4, close=True)
        time.sleep(2)
        volume.publish(os.path.join(self.tmp, "rotated.crt"),
                       os.path.join(self.tmp, "rotated.key"))
        took = wait_for(lambda: self.hook.served_serial() == serial, 10, step=0.02)
        self.check("rotation: the new certificate is served within 2 s",
                   took is not None and took <= 2.0, f"took={took}")
        if took is not None:
            self.measure(f"rotation: new certificate served {took:.2f} s after the swap")
        for name, w in (("kept-alive", kept), ("connection per request", fresh)):
            r = w.result()
            self.check(f"rotation under load ({name}): zero failed requests",
                       r["failed"] == 0 and r["requests"] > 0, r["output"])
            self.measure(f"rotation ({name}): {int(r['requests'])} requests in "
                         f"{r.get('seconds', 0):.1f} s, {r['failed']} failed")

    def sigterm(self, proc, log):
        load = review({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                       "metadata": {"name": "plain", "namespace": NS}})
        # The load ends well inside the drain window (the API server stops
        # sending once the endpoint leaves the Service); the in-flight
        # request's SubjectAccessReview takes 1.5 s across the listener close.
        self.set_faults("create:subjectaccessreviews:latency=1500")
        w = Wrk(self.tmp, "sigterm", self.hook.port, load, 4, connections=12)
        time.sleep(1)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        turned = wait_for(lambda: self.hook.probe("/readyz") == (503, "shutting down\n"), 5)
        self.check("SIGTERM: /readyz turns 503 'shutting down'", turned is not None)
        if turned is not None:
            self.measure(f"SIGTERM: /readyz 503 after {turned:.2f} s")
        in_flight = {}

        def late_request():
            time.sleep(max(0, sent + SHUTDOWN_DELAY - 1.0 - time.monotonic()))
            in_flight["result"] = self.post_token("ci")
        t = threading.Thread(target=late_request)
        t.start()
        r = w.result()
        self.check("SIGTERM under load: zero failed requests", r["failed"] == 0 and
                   r["requests"] > 0, r["output"])
        self.measure(f"SIGTERM: {int(r['requests'])} requests in {r.get('seconds', 0):.1f} s "
                     f"({r['requests'] / max(r.get('seconds', 1), 0.001):.0f}/s), "
                     f"{r['failed']} failed")
        t.join(timeout=30)
        secs, resp, err = in_flight.get("result", (0, None, "no answer"))
        self.check("SIGTERM: a request in flight when the listener closes is answered",
                   bool(resp) and resp["response"]["allowed"] is True,
                   f"secs={secs:.2f} err={err!r} response={resp}")
        try:
            rc = proc.wait(timeout=SHUTDOWN_DELAY + EXIT_GRACE)
        except subprocess.TimeoutExpired:
            rc = None
        exited = time.monotonic() - sent
        self.check(f"SIGTERM: exit 0 within {SHUTDOWN_DELAY + EXIT_GRACE:.0f} s", rc == 0,
                   f"rc={rc} after {exited:.1f} s")
        self.measure(f"SIGTERM: exit {rc} {exited:.2f} s after the signal "
                     f"(shutdown delay {SHUTDOWN_DELAY:.0f} s)")
        self.set_faults()


def main():
    return suite_main(run_suite, "kt-webhook-faults-", tools=("wrk", "openssl"))


def run_suite(a, kubectl, tmp):
    ca_pem = make_certs(tmp)
    volume = SecretVolume(os.path.join(tmp, "serving-certs"))
    volume.publish(os.path.join(tmp, "tls.crt"), os.path.join(tmp, "tls.key"))
    faults_file = os.path.join(tmp, "faults")
    port, probe = free_port(), free_port()
    sim_args = ["--service-endpoint", f"{SVC_NS}/{SVC}=127.0.0.1:{port}",
                "--fault-file", faults_file]
    with KubeSim(a.kube_sim, extra_args=sim_args) as sim:
        host, sim_port = sim.host_port.split(":")
        proxy = TcpProxy((host, int(sim_port)))
        proxy.start()
        with open(sim.kubeconfig) as f:
            kubeconfig = f.read().replace(sim.url, f"https://127.0.0.1:{proxy.port}")
        webhook_kubeconfig = os.path.join(tmp, "webhook.kubeconfig")
        with open(webhook_kubeconfig, "w") as f:
            f.write(kubeconfig)
        log = os.path.join(tmp, "webhook.log")
        with open(log, "w") as logf:
            proc = subprocess.Popen(
                [a.webhook, f"--listen=127.0.0.1:{port}", f"--probe-listen=127.0.0.1:{probe}",
                 f"--tls-cert-file={volume.path}/tls.crt",
                 f"--tls-private-key-file={volume.path}/tls.key",
                 f"--kubeconfig={webhook_kubeconfig}", f"--shutdown-delay={SHUTDOWN_DELAY}"],
                stderr=logf)
        run = Run(kubectl, sim.kubeconfig, tmp)
        try:
            wait_ready(probe, proc, log)
            setup_cluster(run, a.manifests, ca_pem)
            suite = Suite(Webhook(port, probe, os.path.join(tmp, "ca.crt")), run, faults_file,
                          proxy, tmp)
            started = time.monotonic()
            suite.scenarios()
            suite.rotation(volume)
            suite.sigterm(proc, log)
            print(f"     measure suite: {time.monotonic() - started:.1f} s")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proxy.stop()
        if run.failures:
            print(open(log).read()[-6000:])
            print(sim.log_tail())
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
