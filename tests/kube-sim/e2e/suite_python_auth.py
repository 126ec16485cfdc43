#!/usr/bin/env python3
"""python3-kubernetes with a ServiceAccount bearer token against kube-sim:
allowed list, 403 in another namespace, 401 for a garbage token. Registered
per kubectl version by the suite_*.py glob but runs only for 1.32 (exit 77
otherwise: the client does not depend on kubectl).

    suite_python_auth.py --kube-sim BUILD/tests/kube-sim/kube-sim --kubectl-version 1.32
"""
import argparse
import base64
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kubesim import SKIP, KubeSim, KubeSimError  # noqa: E402

try:
    from kubernetes import client, config
    from kubernetes.client.rest import ApiException
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.access("/usr/bin/python3", os.X_OK) and not os.environ.get("KT_PY_REEXEC"):
        os.environ["KT_PY_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: python module 'kubernetes' not available (apt install python3-kubernetes)")
    sys.exit(SKIP)

NS, OTHER = "pyauth", "pyother"


def token_client(sim, token):
    conf = client.Configuration()
    conf.host = sim.url
    conf.ssl_ca_cert = os.path.join(os.path.dirname(sim.kubeconfig), "ca.crt")
    conf.verify_ssl = True
    conf.api_key = {"authorization": "Bearer " + token}
    return client.CoreV1Api(client.ApiClient(conf))


def setup(sim):
    admin = config.new_client_from_config(config_file=sim.kubeconfig)
    core, rbac = client.CoreV1Api(admin), client.RbacAuthorizationV1Api(admin)
    for ns in (NS, OTHER):
        core.create_namespace({"metadata": {"name": ns}})
    core.create_namespaced_service_account(NS, {"metadata": {"name": "robot"}})
    core.create_namespaced_secret(NS, {"metadata": {"name": "robot-token", "annotations": {
        "kubernetes.io/service-account.name": "robot"}}, "type": "kubernetes.io/service-account-token"})
    rbac.create_namespaced_role(NS, {"metadata": {"name": "reader"}, "rules": [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]})
    rbac.create_namespaced_role_binding(NS, {
        "metadata": {"name": "robot-reads"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
        "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": NS}]})
    deadline = time.time() + 15
    while time.time() < deadline:
        data = core.read_namespaced_secret("robot-token", NS).data or {}
        if "token" in data:
            return base64.b64decode(data["token"]).decode()
        time.sleep(0.2)
    raise KubeSimError("the tokens controller did not fill robot-token")


def status_of(fn):
    try:
        fn()
        return 200
    except ApiException as e:
        return e.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kube-sim", required=True, help="path of the kube-sim binary")
    parser.add_argument("--kubectl-version", required=True, help="runs only for 1.32")
    opts = parser.parse_args()
    if opts.kubectl_version != "1.32":
        print("SKIP: the python client suite runs once, with --kubectl-version 1.32")
        return SKIP
    failed, passed = [], 0
    try:
        with KubeSim(opts.kube_sim) as sim:
            token = setup(sim)
            api = token_client(sim, token)
            names = [s.metadata.name for s in api.list_namespaced_secret(NS).items]
            checks = [
                ("bearer token lists its namespace", names == ["robot-token"], names),
                ("forbidden in another namespace", status_of(lambda: api.list_namespaced_secret(OTHER)) == 403, None),
                ("garbage token is 401",
                 status_of(lambda: token_client(sim, "garbage").list_namespaced_secret(NS)) == 401, None),
            ]
            want = ('secrets is forbidden: User "system:serviceaccount:pyauth:robot" cannot list resource "secrets" '
                    'in API group "" in the namespace "pyother"')
            try:
                api.list_namespaced_secret(OTHER)
                got = None
            except ApiException as e:
                got = json.loads(e.body).get("message")
            checks.append(("403 message is upstream's", got == want, got))
            for name, ok, detail in checks:
                print(("ok   " if ok else "FAIL ") + name + ("" if ok or detail is None else f": {detail!r}"))
                passed += ok
                if not ok:
                    failed.append(name)
            if failed:
                print(f"--- kube-sim log tail:\n{sim.log_tail()}")
    except KubeSimError as e:
        print(f"FAIL: {e}")
        return 1
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
