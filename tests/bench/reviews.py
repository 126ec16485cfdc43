"""The AdmissionReview bodies the webhook benchmarks POST, and the cluster
objects case (b) needs.

(a) a non-token Secret: the fast path (out of scope, no lookup);
(b) a valid token CREATE: a token Secret in the Kargo namespace for the
    system role kargo-admin (a cached ServiceAccount) by user "token-minter",
    who may create serviceaccounts/token for it (a Role and RoleBinding), so
    the policy runs every rule and the anti-escalation check asks kube-sim
    one SubjectAccessReview (allowed; rule "passed"). Not an admin: members of
    system:masters are trusted writers and skip the rules and the review;
(c) a denied token: a token Secret naming a ServiceAccount that does not
    exist (a cache miss and a live GET, then denied by role-existence).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "reliability"))
from webhook_bad_input import review as denied_review  # noqa: E402

ROLE = "kargo-admin"
MINTER = {"username": "token-minter", "groups": ["system:authenticated"]}
MINTER_RBAC = [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
     "metadata": {"name": "bench-token-minter", "namespace": "kargo"},
     "rules": [{"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]},
               {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
     "metadata": {"name": "bench-token-minter", "namespace": "kargo"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "bench-token-minter"},
     "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "token-minter"}]}]


def _review(obj, name, namespace="kargo", user=None, uid="bench-1"):
    request = {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Secret"},
        "resource": {"group": "", "version": "v1", "resource": "secrets"},
        "requestKind": {"group": "", "version": "v1", "kind": "Secret"},
        "requestResource": {"group": "", "version": "v1", "resource": "secrets"},
        "name": name, "namespace": namespace, "operation": "CREATE",
        "userInfo": user or {"username": "bob", "groups": ["system:authenticated"]},
        "object": obj, "oldObject": None, "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": request}).encode()


def fast_path_review():
    return _review({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                    "metadata": {"name": "plain", "namespace": "kargo"}}, "plain")


def token_secret(name, role=ROLE, namespace="kargo"):
    return {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {"name": name, "namespace": namespace,
                         "labels": {"rbac.kargo.akuity.io/api-token": "true"},
                         "annotations": {"kubernetes.io/service-account.name": role,
                                         "rbac.kargo.akuity.io/managed": "true"}}}


def valid_token_review(role=ROLE, name="kargo-admin-token-1"):
    return _review(token_secret(name, role), name, user=MINTER)


CASES = [("a", "non-token Secret (fast path)", fast_path_review),
         ("b", "valid token CREATE (cache hit + SubjectAccessReview)", valid_token_review),
         ("c", "token for a ServiceAccount that does not exist (denied)", denied_review)]
EXPECTED = {"a": (True, "out-of-scope"), "b": (True, "passed"), "c": (False, "role-existence")}


def expect(port, body, allowed, rule):
    """POSTs `body` once to a webhook on `port` and checks the decision, so
    a case measures what its title says."""
    import http.client
    import ssl
    ctx = ssl._create_unverified_context()
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
    conn.request("POST", "/validate-secrets", body=body, headers={"Content-Type": "application/json"})
    reply = conn.getresponse()
    text = reply.read()
    conn.close()
    got = json.loads(text).get("response", {})
    if (reply.status != 200 or got.get("allowed") is not allowed
            or not any(v == rule for k, v in got.get("auditAnnotations", {}).items() if k.endswith("rule"))):
        raise RuntimeError(f"expected allowed={allowed} rule={rule}, got {reply.status} {text[:600]!r}")
    return got


def create_system_role(kubectl, kubeconfig, env=None):
    """The kargo namespace and the kargo-admin system role (ServiceAccount,
    ClusterRole, binding) from manifests/roles, and case (b)'s token-minter
    RBAC, applied with kubectl."""
    for f in ("namespace.yaml", f"{ROLE}.yaml"):
        subprocess.run([kubectl, "--kubeconfig", kubeconfig, "apply", "-f",
                        os.path.join(REPO, "manifests", "roles", f)],
                       check=True, capture_output=True, env=env)
    subprocess.run([kubectl, "--kubeconfig", kubeconfig, "apply", "-f", "-"],
                   input=json.dumps({"apiVersion": "v1", "kind": "List", "items": MINTER_RBAC}).encode(),
                   check=True, capture_output=True, env=env)
