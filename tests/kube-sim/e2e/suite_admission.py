#!/usr/bin/env python3
"""Admission webhooks through real kubectl: a ValidatingWebhookConfiguration
applied with kubectl makes kube-sim call a local HTTPS webhook (webhook_server.py)
on `kubectl apply`; allow (with a warning), deny, timeout, wrong CA under
failurePolicy Fail and Ignore, server dry-run, matchConditions keeping other
Secrets away, and the tokens controller's update reaching the webhook with its
identity. Exact kubectl output and exit codes.

    suite_admission.py --kube-sim BUILD/tests/kube-sim/kube-sim --kubectl-version 1.32

Exit 0 if all cases pass, 1 if any fails, 77 (CTest skip) if kubectl.1.NN is missing.
"""
import base64
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from expect import Lines  # noqa: E402
from kubectl_matrix import Suite  # noqa: E402
from kubesim import SKIP, KubeSim, run_suite  # noqa: E402
from webhook_server import (SERVICE_NAME, SERVICE_NAMESPACE, WARNING, WebhookPki,  # noqa: E402
                            WebhookServer)

NS = "default"
HOOK = "tokens.e2e.kargo.io"
WRONG_CA = "wrong-ca.e2e.kargo.io"
WRONG_CA_IGNORE = "wrong-ca-ignore.e2e.kargo.io"
TOKEN_TYPE = "kubernetes.io/service-account-token"
SVC_URL = f"https://{SERVICE_NAME}.{SERVICE_NAMESPACE}.svc:443/validate"
CONTROLLER = "system:serviceaccount:kube-system:tokens-controller"


def webhook(name, ca_pem, cases, failure_policy="Fail", timeout=1):
    b64 = base64.b64encode(ca_pem.encode()).decode()
    return f"""- name: {name}
  clientConfig:
    service:
      namespace: {SERVICE_NAMESPACE}
      name: {SERVICE_NAME}
      path: /validate
    caBundle: {b64}
  rules:
  - operations: ["CREATE", "UPDATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["secrets"]
  objectSelector:
    matchExpressions:
    - key: case
      operator: In
      values: [{", ".join(cases)}]
  matchConditions:
  - name: token-secrets-only
    expression: "object.type == '{TOKEN_TYPE}'"
  failurePolicy: {failure_policy}
  sideEffects: None
  timeoutSeconds: {timeout}
  admissionReviewVersions: ["v1"]
"""


def configuration(pki):
    return ("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
            "metadata:\n  name: e2e-tokens\nwebhooks:\n"
            + webhook(HOOK, pki.ca_pem, ["hooked"])
            + webhook(WRONG_CA, pki.other_ca_pem, ["wrong-ca"], timeout=5)
            + webhook(WRONG_CA_IGNORE, pki.other_ca_pem, ["wrong-ca-ignore"], "Ignore", timeout=5))


def secret(name, case, verdict, type_=TOKEN_TYPE):
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: {NS}
  labels:
    case: {case}
    verdict: {verdict}
  annotations:
    kubernetes.io/service-account.name: default
type: {type_}
"""


MANIFESTS = {
    "allow.yaml": secret("allow", "hooked", "allow"),
    "deny.yaml": secret("deny", "hooked", "deny"),
    "slow.yaml": secret("slow", "hooked", "slow"),
    "wrong-ca.yaml": secret("wrong-ca", "wrong-ca", "allow"),
    "wrong-ca-ignore.yaml": secret("wrong-ca-ignore", "wrong-ca-ignore", "allow"),
    "opaque.yaml": secret("opaque", "hooked", "deny", "Opaque"),
    "allow-denied-update.yaml": secret("allow", "hooked", "deny"),
}


def denied(verb_phrase):
    return (f'Error from server (Forbidden): {verb_phrase}admission webhook "{HOOK}" denied the request: '
            "verdict is deny\n")


def cases(s, hook):
    for name, text in MANIFESTS.items():
        with open(os.path.join(s.workdir, name), "w") as f:
            f.write(text)
    with open(os.path.join(s.workdir, "webhook.yaml"), "w") as f:
        f.write(configuration(s.pki))
    s.case("apply webhook configuration", ["apply", "-f", "webhook.yaml"],
           out="validatingwebhookconfiguration.admissionregistration.k8s.io/e2e-tokens created\n")

    s.case("allowed, with the webhook's warning", ["apply", "-f", "allow.yaml"],
           out="secret/allow created\n", err=f"Warning: {WARNING}\n")
    review = hook.wait_for(lambda r: r.get("name") == "allow" and r.get("operation") == "CREATE", 1)
    problems = []
    if not review:
        problems.append("the webhook never saw the CREATE of secret allow")
    else:
        user = review.get("userInfo", {})
        if user.get("username") != "kube-sim-admin":
            problems.append(f"userInfo.username {user.get('username')!r}, want 'kube-sim-admin'")
        if not review.get("_path", "").startswith("/validate?timeout=1s"):
            problems.append(f"path {review.get('_path')!r}, want /validate?timeout=1s")
        if review.get("object", {}).get("metadata", {}).get("annotations", {}).get(
                "kubectl.kubernetes.io/last-applied-configuration") is None:
            problems.append("object lacks kubectl's last-applied annotation")
    s.record("webhook saw the admin's CREATE", problems, "(webhook log)")

    controller = hook.wait_for(lambda r: r.get("name") == "allow" and r.get("operation") == "UPDATE"
                               and r.get("userInfo", {}).get("username") == CONTROLLER)
    problems = []
    if not controller:
        problems.append(f"no UPDATE of secret allow from {CONTROLLER} reached the webhook")
    else:
        groups = controller["userInfo"].get("groups")
        want = ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]
        if groups != want:
            problems.append(f"groups {groups!r}, want {want!r}")
        if not (controller.get("object", {}).get("data") or {}).get("token"):
            problems.append("the controller's UPDATE carries no data.token")
    s.record("tokens controller's update reaches the webhook with its identity", problems, "(webhook log)")

    s.case("denied", ["apply", "-f", "deny.yaml"], rc=1,
           err=denied('error when creating "deny.yaml": '))
    s.case("denied on server dry-run", ["apply", "--dry-run=server", "-f", "deny.yaml"], rc=1,
           err=denied('error when creating "deny.yaml": '))
    s.case("denied on update (client-side apply)", ["apply", "-f", "allow-denied-update.yaml"], rc=1,
           err=Lines("Error from server (Forbidden): error when applying patch:\n",
                     ['\nfor: "allow-denied-update.yaml": error when patching "allow-denied-update.yaml": '
                      f'admission webhook "{HOOK}" denied the request: verdict is deny\n']))
    s.case("denied on server-side apply", ["apply", "--server-side", "--force-conflicts",
                                           "-f", "allow-denied-update.yaml"], rc=1, err=denied(""))
    s.case("timeout with failurePolicy Fail", ["apply", "-f", "slow.yaml"], rc=1,
           err=(f'Error from server (InternalError): error when creating "slow.yaml": Internal error occurred: '
                f'failed calling webhook "{HOOK}": failed to call webhook: Post "{SVC_URL}?timeout=1s": '
                "context deadline exceeded\n"))
    s.case("wrong CA with failurePolicy Fail", ["apply", "-f", "wrong-ca.yaml"], rc=1,
           err=(f'Error from server (InternalError): error when creating "wrong-ca.yaml": Internal error '
                f'occurred: failed calling webhook "{WRONG_CA}": failed to call webhook: Post '
                f'"{SVC_URL}?timeout=5s": tls: failed to verify certificate: x509: certificate signed by '
                "unknown authority\n"))
    s.case("wrong CA with failurePolicy Ignore", ["apply", "-f", "wrong-ca-ignore.yaml"],
           out="secret/wrong-ca-ignore created\n")
    s.case("matchConditions: an Opaque Secret is never sent", ["apply", "-f", "opaque.yaml"],
           out="secret/opaque created\n")
    sent = [r for r in hook.reviews() if r.get("name") in ("opaque", "wrong-ca", "wrong-ca-ignore")]
    s.record("the webhook saw no Opaque or wrong-CA request",
             [f"unexpected review of {r.get('name')!r}" for r in sent], "(webhook log)")
    s.case("denied objects were not stored", ["get", "secret", "deny", "slow", "wrong-ca", "-o", "name"],
           rc=1, err=('Error from server (NotFound): secrets "deny" not found\n'
                      'Error from server (NotFound): secrets "slow" not found\n'
                      'Error from server (NotFound): secrets "wrong-ca" not found\n'))


def fault_cases(s):
    """A second kube-sim with --fault rules: kubectl shows upstream's 503 and 504 texts."""
    s.case("fault: status=503 on get secrets", ["get", "secret", "x", "-n", NS], rc=1,
           err="Error from server (ServiceUnavailable): the server is currently unable to handle the request\n")
    s.case("fault: other resources are untouched", ["get", "configmap", "x", "-n", NS], rc=1,
           err='Error from server (NotFound): configmaps "x" not found\n')
    s.case("fault: status=504 on create", ["create", "configmap", "y", "-n", NS], rc=1,
           err="error: failed to create configmap: the server was unable to return a response in the time "
               "allotted, but may still be processing the request\n")


def run(opts, kubectl, workdir):
    if not shutil.which("openssl"):
        print("SKIP: the openssl CLI is not installed")
        return SKIP
    pki = WebhookPki(os.path.join(workdir, "pki"))
    with WebhookServer(pki) as hook:
        endpoint = f"{SERVICE_NAMESPACE}/{SERVICE_NAME}=127.0.0.1:{hook.port}"
        with KubeSim(opts.kube_sim, kubernetes_version=opts.kubectl_version,
                     extra_args=["--service-endpoint", endpoint]) as sim:
            print(f"kubectl.{opts.kubectl_version} against {sim.url}, webhook on 127.0.0.1:{hook.port}")
            s = Suite(kubectl, sim, workdir)
            s.pki = pki
            cases(s, hook)
            if s.failed:
                print(f"--- kube-sim log tail:\n{sim.log_tail()}")
    with KubeSim(opts.kube_sim, kubernetes_version=opts.kubectl_version,
                 extra_args=["--fault", "get:secrets:status=503", "--fault", "create:configmaps:status=504",
                             "--fault-seed", "1"]) as faulty:
        s.sim = faulty
        fault_cases(s)
    return s


def main():
    return run_suite(__doc__.split("\n\n")[0], "suite-admission", run)


if __name__ == "__main__":
    sys.exit(main())
