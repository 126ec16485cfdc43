"""When did the tokens controller populate a token? A watch on the Secrets of
one namespace, opened with kube-sim's admin kubeconfig, records the monotonic
time at which each Secret is first seen with data.token set — what any
watching client (the plugin's create included) can see at the earliest. The
create curve reports the plugin's exit time minus this."""
import base64
import json
import os
import socket
import ssl
import threading
import time
import urllib.request

import yaml


class PopulatedWatch:
    def __init__(self, kubeconfig, namespace, tmp):
        with open(kubeconfig) as f:
            cfg = yaml.safe_load(f)
        cluster, user = cfg["clusters"][0]["cluster"], cfg["users"][0]["user"]
        files = {}
        for key in ("certificate-authority-data", "client-certificate-data", "client-key-data"):
            files[key] = os.path.join(tmp, f"watch-{key}.pem")
            with open(files[key], "wb") as f:
                f.write(base64.b64decode(cluster.get(key) or user.get(key)))
        ctx = ssl.create_default_context(cafile=files["certificate-authority-data"])
        ctx.load_cert_chain(files["client-certificate-data"], files["client-key-data"])
        url = f"{cluster['server']}/api/v1/namespaces/{namespace}/secrets?watch=true&timeoutSeconds=3600"
        self._resp = urllib.request.urlopen(url, context=ctx, timeout=3600)
        self._sock = self._resp.fp.raw._sock  # to end the stream from another thread
        self.populated = {}
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self._resp:
                now = time.monotonic()
                event = json.loads(line)
                obj = event.get("object", {})
                name = obj.get("metadata", {}).get("name")
                if event.get("type") in ("ADDED", "MODIFIED") and obj.get("data", {}).get("token"):
                    with self._cv:
                        self.populated.setdefault(name, now)
                        self._cv.notify_all()
        except (OSError, ValueError):
            pass

    def wait(self, name, seconds=10):
        """Monotonic time `name` was first seen populated (waits for it)."""
        with self._cv:
            self._cv.wait_for(lambda: name in self.populated, timeout=seconds)
            if name not in self.populated:
                raise RuntimeError(f"never saw {name} populated")
            return self.populated[name]

    def close(self):
        """Ends the stream (the reader thread sees EOF and stops)."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
