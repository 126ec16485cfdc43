"""The two reference servers the webhook is measured against, each on a free
loopback port with the certificates of common.make_certs(tmp):

- BareServer: tests/bench/bare_httplib_server (cpp-httplib with the webhook's
  tuning, parses the review and answers, nothing else);
- Nginx: Debian's nginx in the foreground (a child of this process) with a
  generated configuration answering POST /validate-secrets with a static
  AdmissionReview — the ceiling for HTTP + TLS on this machine.

Both have .port, .pids() (every process whose CPU and memory count) and
stop()."""
import os
import shutil
import socket
import subprocess
import time

from common import free_port
from measure import children

STATIC_REVIEW = ('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",'
                 '"response":{"uid":"bench-1","allowed":true}}')


def _wait_port(port, proc, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


class BareServer:
    def __init__(self, binary, tmp):
        self.port = free_port()
        self.proc = subprocess.Popen([binary, f"{tmp}/tls.crt", f"{tmp}/tls.key", str(self.port)],
                                     stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _wait_port(self.port, self.proc, "bare_httplib_server")

    def pids(self):
        return [self.proc.pid]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


NGINX_CONF = """\
daemon off;
master_process on;
user root;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  keepalive_requests 1000;
  keepalive_timeout 5s;
  tcp_nodelay on;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {tmp}/tls.crt;
    ssl_certificate_key {tmp}/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /validate-secrets {{
      default_type application/json;
      return 200 '{body}';
    }}
  }}
}}
"""


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


class Nginx:
    def __init__(self, tmp):
        self.port = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=self.port, body=STATIC_REVIEW))
        self.proc = subprocess.Popen([nginx_binary(), "-p", tmp, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL)
        _wait_port(self.port, self.proc, "nginx")

    def pids(self):
        return [self.proc.pid, *children(self.proc.pid)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
