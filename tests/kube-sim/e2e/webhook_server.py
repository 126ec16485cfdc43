"""A small HTTPS validating admission webhook for the e2e suites (stdlib only).

    pki = WebhookPki(tmpdir)                 # openssl CLI: CA, serving cert, a second CA
    with WebhookServer(pki) as hook:
        hook.port                            # 127.0.0.1:PORT serves POST /validate
        hook.reviews()                       # AdmissionReview requests received so far

It decides by the label `verdict` of the object under review:
    allow (or missing)  allowed, with the warning "checked by e2e webhook"
    deny                denied: code 403, reason Forbidden, message "verdict is deny"
    slow                answers after 3 s (past a timeoutSeconds of 1)
The serving certificate is for kargo-token-webhook.kargo-token-system.svc and
127.0.0.1, signed by pki.ca; pki.other_ca signs nothing (a wrong caBundle).
"""
import http.server
import json
import os
import ssl
import subprocess
import threading
import time

SERVICE_NAME = "kargo-token-webhook"
SERVICE_NAMESPACE = "kargo-token-system"
DNS_NAME = f"{SERVICE_NAME}.{SERVICE_NAMESPACE}.svc"
WARNING = "checked by e2e webhook"


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class WebhookPki:
    """Certificates made with the openssl CLI in `directory` (throwaway test material)."""

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        for ca in ("ca", "other-ca"):
            _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                     "-subj", f"/CN=e2e-webhook-{ca}", "-keyout", f"{ca}.key", "-out", f"{ca}.crt",
                     cwd=directory)
        with open(os.path.join(directory, "ext.cnf"), "w") as f:
            f.write(f"subjectAltName=DNS:{DNS_NAME},IP:127.0.0.1\n"
                    "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", f"/CN={DNS_NAME}",
                 "-keyout", "tls.key", "-out", "tls.csr", cwd=directory)
        _openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-sha256", "-extfile", "ext.cnf", "-out", "tls.crt",
                 cwd=directory)
        self.cert = os.path.join(directory, "tls.crt")
        self.key = os.path.join(directory, "tls.key")
        self.ca_pem = self._read("ca.crt")
        self.other_ca_pem = self._read("other-ca.crt")

    def _read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            review = json.loads(self.rfile.read(length))
        except ValueError:
            review = {}
        request = review.get("request") or {}
        self.server.owner._record(request, self.path)
        obj = request.get("object") or {}
        verdict = ((obj.get("metadata") or {}).get("labels") or {}).get("verdict", "allow")
        response = {"uid": request.get("uid", ""), "allowed": True, "warnings": [WARNING]}
        if verdict == "deny":
            response = {"uid": request.get("uid", ""), "allowed": False,
                        "status": {"code": 403, "reason": "Forbidden", "message": "verdict is deny"}}
        if verdict == "slow":
            time.sleep(3)
        body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "response": response}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the caller gave up (timeout)


class WebhookServer:
    def __init__(self, pki):
        self.pki = pki
        self._lock = threading.Lock()
        self._reviews = []
        self.httpd = None
        self.port = None

    def __enter__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.pki.cert, self.pki.key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _record(self, request, path):
        with self._lock:
            self._reviews.append(dict(request, _path=path))

    def reviews(self):
        with self._lock:
            return list(self._reviews)

    def wait_for(self, predicate, timeout=15):
        """The first review matching predicate, waiting up to timeout seconds; None if none came."""
        deadline = time.monotonic() + timeout
        while True:
            for r in self.reviews():
                if predicate(r):
                    return r
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)
