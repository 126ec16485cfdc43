#!/usr/bin/env python3
"""Debian's python3-kubernetes (22.6) against a fresh kube-sim: CRUD, label
and field selectors, watch, 404/409 handling and stale-resourceVersion
replace. Prints one line per case and `N passed, M failed`.

    python_client.py --kube-sim BUILD/tests/kube-sim/kube-sim

If the running interpreter lacks `kubernetes`, re-executes under
/usr/bin/python3; exits 77 (CTest skip) if neither has it.
"""
import argparse
import base64
import json
import os
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kubesim import SKIP, KubeSim, KubeSimError  # noqa: E402

try:
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.access("/usr/bin/python3", os.X_OK) and not os.environ.get("KT_PY_REEXEC"):
        os.environ["KT_PY_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: python module 'kubernetes' not available (apt install python3-kubernetes)")
    sys.exit(SKIP)

NS = "py"
RESULTS = {"passed": 0, "failed": []}


def case(fn):
    """Runs one case; an AssertionError or unexpected exception fails it."""
    try:
        fn()
        RESULTS["passed"] += 1
        print(f"ok   {fn.__name__}")
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        RESULTS["failed"].append(fn.__name__)
        print(f"FAIL {fn.__name__}: {type(e).__name__}: {e}")
        traceback.print_exc(limit=3, file=sys.stdout)
    sys.stdout.flush()


def expect_api_error(call, status, reason, message=None):
    try:
        call()
    except ApiException as e:
        body = json.loads(e.body) if e.body else {}
        assert e.status == status, f"status {e.status}, want {status}; body {e.body}"
        assert body.get("kind") == "Status", f"body is not a Status: {e.body}"
        assert body.get("reason") == reason, f"reason {body.get('reason')!r}, want {reason!r}"
        if message is not None:
            assert body.get("message") == message, f"message {body.get('message')!r}, want {message!r}"
        return body
    raise AssertionError(f"no ApiException, want {status} {reason}")


def b64(text):
    return base64.b64encode(text.encode()).decode()


def secret(name, labels=None, string_data=None):
    return client.V1Secret(metadata=client.V1ObjectMeta(name=name, labels=labels),
                           string_data=string_data or {"a": "b"}, type="Opaque")


def names(items):
    return sorted(i.metadata.name for i in items)


def run(core, rbac):
    def create_namespace():
        ns = core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
        assert ns.metadata.name == NS
        assert ns.metadata.uid and ns.metadata.resource_version and ns.metadata.creation_timestamp

    def create_secret_folds_string_data():
        s = core.create_namespaced_secret(NS, secret("py1", {"app": "py"}))
        assert s.data == {"a": b64("b")}, s.data
        assert s.string_data is None
        assert s.type == "Opaque"
        core.create_namespaced_secret(NS, secret("py2", {"app": "other"}))

    def read_secret():
        s = core.read_namespaced_secret("py1", NS)
        assert s.metadata.labels == {"app": "py"} and s.data == {"a": b64("b")}

    def generate_name():
        s = core.create_namespaced_secret(NS, client.V1Secret(
            metadata=client.V1ObjectMeta(generate_name="gen-", labels={"gen": "1"})))
        assert s.metadata.name.startswith("gen-") and len(s.metadata.name) == 9, s.metadata.name
        core.delete_namespaced_secret(s.metadata.name, NS)

    def label_selectors():
        sel = {"app=py": ["py1"], "app!=py": ["py2"], "app in (py,other)": ["py1", "py2"],
               "app notin (py)": ["py2"], "app": ["py1", "py2"], "!app": []}
        for selector, want in sel.items():
            got = names(core.list_namespaced_secret(NS, label_selector=selector).items)
            assert got == want, f"{selector!r}: got {got}, want {want}"

    def field_selector():
        got = names(core.list_namespaced_secret(NS, field_selector="metadata.name=py2").items)
        assert got == ["py2"], got

    def list_all_namespaces():
        got = [(i.metadata.namespace, i.metadata.name)
               for i in core.list_secret_for_all_namespaces(label_selector="app=py").items]
        assert got == [(NS, "py1")], got

    def strategic_merge_patch():
        s = core.patch_namespaced_secret("py1", NS, {"metadata": {"labels": {"p": "1"}}})
        assert s.metadata.labels == {"app": "py", "p": "1"}, s.metadata.labels

    def stale_replace_is_409():
        old = core.read_namespaced_secret("py1", NS)
        core.patch_namespaced_secret("py1", NS, {"metadata": {"labels": {"p": "2"}}})
        old.data = {"a": b64("changed")}
        expect_api_error(lambda: core.replace_namespaced_secret("py1", NS, old), 409, "Conflict",
                         'Operation cannot be fulfilled on secrets "py1": the object has been modified; '
                         "please apply your changes to the latest version and try again")

    def replace_with_current_version():
        cur = core.read_namespaced_secret("py1", NS)
        cur.data = {"a": b64("new")}
        out = core.replace_namespaced_secret("py1", NS, cur)
        assert out.data == {"a": b64("new")}
        assert int(out.metadata.resource_version) > int(cur.metadata.resource_version)

    def missing_is_404():
        expect_api_error(lambda: core.read_namespaced_secret("nope", NS), 404, "NotFound",
                         'secrets "nope" not found')

    def missing_namespace_is_404():
        expect_api_error(lambda: core.create_namespaced_secret("no-such-ns", secret("x")), 404, "NotFound",
                         'namespaces "no-such-ns" not found')

    def existing_is_409():
        expect_api_error(lambda: core.create_namespaced_secret(NS, secret("py1")), 409, "AlreadyExists",
                         'secrets "py1" already exists')

    def watch_from_resource_version():
        rv = core.list_namespaced_secret(NS).metadata.resource_version
        events = []

        def stream():
            w = watch.Watch()
            for ev in w.stream(core.list_namespaced_secret, NS, resource_version=rv, timeout_seconds=3):
                events.append((ev["type"], ev["object"].metadata.name))
        t = threading.Thread(target=stream)
        t.start()
        time.sleep(0.5)
        core.create_namespaced_secret(NS, secret("py3"))
        core.patch_namespaced_secret("py3", NS, {"metadata": {"labels": {"w": "1"}}})
        core.delete_namespaced_secret("py3", NS)
        t.join(timeout=15)
        assert not t.is_alive(), "watch did not end at timeoutSeconds"
        want = [("ADDED", "py3"), ("MODIFIED", "py3"), ("DELETED", "py3")]
        assert events == want, f"events {events}, want {want}"

    def watch_without_version_lists_first():
        w = watch.Watch()
        got = sorted((ev["type"], ev["object"].metadata.name)
                     for ev in w.stream(core.list_namespaced_secret, NS, timeout_seconds=1))
        assert got == [("ADDED", "py1"), ("ADDED", "py2")], got

    def delete_secret():
        core.delete_namespaced_secret("py2", NS)
        expect_api_error(lambda: core.read_namespaced_secret("py2", NS), 404, "NotFound")
        expect_api_error(lambda: core.delete_namespaced_secret("py2", NS), 404, "NotFound",
                         'secrets "py2" not found')

    def configmap_crud():
        cm = core.create_namespaced_config_map(NS, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="cm1"), data={"k": "v"}))
        assert cm.data == {"k": "v"}
        cm = core.patch_namespaced_config_map("cm1", NS, {"data": {"k": None, "k2": "v2"}})
        assert cm.data == {"k2": "v2"}, cm.data
        core.delete_namespaced_config_map("cm1", NS)
        expect_api_error(lambda: core.read_namespaced_config_map("cm1", NS), 404, "NotFound",
                         'configmaps "cm1" not found')

    def serviceaccount_crud():
        sa = core.create_namespaced_service_account(NS, client.V1ServiceAccount(
            metadata=client.V1ObjectMeta(name="robot")))
        assert sa.metadata.name == "robot"
        assert "robot" in names(core.list_namespaced_service_account(NS).items)

    def cluster_role_crud():
        role = client.V1ClusterRole(metadata=client.V1ObjectMeta(name="py-reader", labels={"py": "1"}),
                                    rules=[client.V1PolicyRule(api_groups=[""], resources=["secrets"],
                                                               verbs=["get"])])
        rbac.create_cluster_role(role)
        got = names(rbac.list_cluster_role(label_selector="py=1").items)
        assert got == ["py-reader"], got
        expect_api_error(lambda: rbac.create_cluster_role(role), 409, "AlreadyExists",
                         'clusterroles.rbac.authorization.k8s.io "py-reader" already exists')
        rbac.delete_cluster_role("py-reader")
        expect_api_error(lambda: rbac.read_cluster_role("py-reader"), 404, "NotFound",
                         'clusterroles.rbac.authorization.k8s.io "py-reader" not found')

    for fn in (create_namespace, create_secret_folds_string_data, read_secret, generate_name, label_selectors,
               field_selector, list_all_namespaces, strategic_merge_patch, stale_replace_is_409,
               replace_with_current_version, missing_is_404, missing_namespace_is_404, existing_is_409,
               watch_from_resource_version, watch_without_version_lists_first, delete_secret, configmap_crud,
               serviceaccount_crud, cluster_role_crud):
        case(fn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kube-sim", required=True, help="path of the kube-sim binary")
    opts = parser.parse_args()
    try:
        with KubeSim(opts.kube_sim) as sim:
            print(f"python3-kubernetes against {sim.url}")
            api_client = config.new_client_from_config(config_file=sim.kubeconfig)
            run(client.CoreV1Api(api_client), client.RbacAuthorizationV1Api(api_client))
            if RESULTS["failed"]:
                print(f"--- kube-sim log tail:\n{sim.log_tail()}")
    except KubeSimError as e:
        print(f"FAIL: {e}")
        return 1
    print(f"{RESULTS['passed']} passed, {len(RESULTS['failed'])} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
