#!/usr/bin/env python3
"""Token commands end to end: `kubectl kargo-token create/get/delete` through
the real kubectl dispatcher against kube-sim. The seed page's flow, every error
path of issue #5, the output formats, global flags in any position, kubeconfig
variants (multi-file, client certificates, exec credential plugin, tokenFile,
--token, --as), compatibility with Kargo's own token Secrets both ways, and the
rule that token values never reach stderr or -v output. See harness.py.
"""
import base64
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import KubeSim, Matches, Result, Normalised, Suite, Table, TokenBlock, write  # noqa: E402

HDR = ["NAME", "ROLE", "KARGO MANAGED", "AGE"]
WIDE = HDR + ["LAST USED", "EXPIRES"]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
REDACTED = "KioqIFJFREFDVEVEICoqKg=="
INVALID_NAME = ('The Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 '
                "label must consist of lower case alphanumeric characters or '-', and must start and end with an "
                "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n")


def usage(cmd, reason):
    return f"error: {reason}\nSee 'kubectl kargo-token {cmd} --help' for usage.\n"


class SecretYaml(Normalised):
    """A Secret as YAML; besides expect.py's fields, ca.crt data, managedFields
    times and uid keys are normalised."""

    @staticmethod
    def normalise(text):
        text = re.sub(r"(ca\.crt: )[A-Za-z0-9+/=]{20,}", r"\1<ca>", text)
        text = re.sub(r'(time: )"[0-9TZ:-]+"', r'\1"<ts>"', text)
        # The tokens controller's own managedFields entry (kube-sim's business).
        text = re.sub(r'  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n(?:      .*\n)*?'
                      r'    manager: kube-controller-manager\n    operation: Update\n    time: "<ts>"\n', "", text)
        text = re.sub(r'k:\{"uid":"' + UUID + r'"\}', 'k:{"uid":"<uid>"}', text)
        return Normalised.normalise(text)


SEED_TOKEN_YAML = """apiVersion: v1
data:
  ca.crt: <ca>
  namespace: a2FyZ28=
  token: KioqIFJFREFDVEVEICoqKg==
kind: Secret
metadata:
  annotations:
    kubernetes.io/service-account.name: kargo-admin
    kubernetes.io/service-account.uid: <uid>
    rbac.kargo.akuity.io/managed: "true"
  creationTimestamp: "<ts>"
  labels:
    rbac.kargo.akuity.io/api-token: "true"
  name: kargo-admin-token-1
  namespace: kargo
  ownerReferences:
  - apiVersion: v1
    kind: ServiceAccount
    name: kargo-admin
    uid: <uid>
  resourceVersion: "<rv>"
  uid: <uid>
type: kubernetes.io/service-account-token
"""

SETUP_YAML = """apiVersion: v1
kind: Namespace
metadata:
  name: proj1
  labels:
    kargo.akuity.io/project: "true"
---
apiVersion: v1
kind: Namespace
metadata:
  name: plainns
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: dev
  namespace: proj1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: plain
  namespace: kargo
"""


def kargo_shaped_secret(name, sa_uid, labels=None, annotations=None, typ="kubernetes.io/service-account-token"):
    """A token Secret exactly as Kargo's CreateAPIToken builds it (kargo.md §1.2),
    optionally with labels/annotations replaced to make hand-made variants."""
    return json.dumps({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {
            "name": name, "namespace": "kargo",
            "labels": {"rbac.kargo.akuity.io/api-token": "true"} if labels is None else labels,
            "annotations": ({"kubernetes.io/service-account.name": "kargo-admin",
                             "rbac.kargo.akuity.io/managed": "true"} if annotations is None else annotations),
            "ownerReferences": [{"apiVersion": "v1", "kind": "ServiceAccount", "name": "kargo-admin",
                                 "uid": sa_uid}],
        },
        "type": typ,
    })


def is_kargo_api_token(secret):
    """Kargo's isKargoAPIToken (kargo.md §1.3)."""
    return (secret.get("type") == "kubernetes.io/service-account-token"
            and secret.get("metadata", {}).get("labels", {}).get("rbac.kargo.akuity.io/api-token") == "true")


def kargo_delete_refusal(secret):
    """None if Kargo's DeleteAPIToken would delete this Secret, else its reason (§1.3)."""
    meta = secret.get("metadata", {})
    if secret.get("type") != "kubernetes.io/service-account-token":
        return "not a service account token"
    if "kubernetes.io/service-account.name" not in meta.get("annotations", {}):
        return "missing the service account annotation"
    if not is_kargo_api_token(secret):
        return "not labeled as a Kargo API token"
    if meta.get("annotations", {}).get("rbac.kargo.akuity.io/managed") != "true":
        return "not annotated as Kargo-managed"
    return None


def seed_flow(s):
    block = TokenBlock()
    s.case("seed: create token --system --role kargo-admin kargo-admin-token-1",
           s.kt("create", "token", "--system", "--role", "kargo-admin", "kargo-admin-token-1"),
           out=block, secret_free=False)
    s.remember(block.token)
    row = ["kargo-admin-token-1", "kargo-admin", "true", "<age>"]
    s.case("seed: get tokens --system", s.kt("get", "tokens", "--system"), out=Table([HDR, row]))
    s.case("seed: get tokens --system --role kargo-admin",
           s.kt("get", "tokens", "--system", "--role", "kargo-admin"), out=Table([HDR, row]))
    s.case("seed: get token --system NAME -o yaml is redacted",
           s.kt("get", "token", "--system", "kargo-admin-token-1", "-o", "yaml"), out=SecretYaml(SEED_TOKEN_YAML))
    s.case("seed: get -o wide", s.kt("get", "tokens", "--system", "-o", "wide"),
           out=Table([WIDE, row + ["<none>", "<none>"]]))
    s.case("seed: get -A", s.kt("get", "tokens", "-A"), out=Table([["NAMESPACE"] + HDR, ["kargo"] + row]))
    s.case("seed: get --no-headers", s.kt("get", "--system", "--no-headers"),
           out=Matches(r"kargo-admin-token-1   kargo-admin   true   \d+s\n"))
    s.case("seed: get -o name", s.kt("get", "--system", "-o", "name"), out="secret/kargo-admin-token-1\n")
    s.case("seed: get -o jsonpath", s.kt("get", "--system", "-o", "jsonpath={.items[*].data.token}"),
           out=REDACTED)
    r = s.kt("get", "--system", "kargo-admin-token-1", "-o", "json")
    s.case("seed: get NAME -o json", r, out=None)
    if r.rc == 0:
        obj = json.loads(r.out)
        s.check("seed: -o json data.token redacted, ca.crt kept",
                [] if obj["data"]["token"] == REDACTED and obj["data"].get("ca.crt") else [f"data: {obj['data']}"])
    secret = s.secret_json("kargo", "kargo-admin-token-1")
    s.check("seed: stored token is the printed one",
            [] if secret and base64.b64decode(secret["data"]["token"]).decode() == block.token
            else ["data.token does not decode to the printed token"])
    s.case("seed: delete token --system kargo-admin-token-1",
           s.kt("delete", "token", "--system", "kargo-admin-token-1"),
           out="token.kargo.akuity.io/kargo-admin-token-1 deleted\n")
    s.case("seed: get tokens --system after delete", s.kt("get", "tokens", "--system"),
           out="", err="No resources found in kargo namespace.\n")
    s.case("seed: get -A after delete", s.kt("get", "tokens", "-A"), out="", err="No resources found\n")


def error_paths(s):
    s.case("create: invalid name, upstream wording, before any request",
           s.kt("create", "--system", "--role", "kargo-admin", "Bad_Name", "--server", "https://127.0.0.1:1"),
           rc=1, err=INVALID_NAME)
    s.case("create: missing role", s.kt("create", "--system", "--role", "nope", "t-x"), rc=1,
           err='Error from server (NotFound): serviceaccounts "nope" not found\n')
    s.case("create: non-system role with --system is Kargo's 404",
           s.kt("create", "--system", "--role", "plain", "t-x"), rc=1,
           err='Error from server (NotFound): Role.rbac.kargo.akuity.io "plain" not found\n')
    s.case("create: neither --system nor -p", s.kt("create", "--role", "kargo-admin", "t-x"), rc=1,
           err=usage("create", "either project or system is required"))
    s.case("create: both --system and -p", s.kt("create", "-p", "proj1", "--system", "--role", "dev", "t-x"), rc=1,
           err=usage("create", "if any flags in the group [project system] are set none of the others can be; "
                                "[project system] were all set"))
    s.case("create: no --role", s.kt("create", "--system", "t-x"), rc=1,
           err=usage("create", 'required flag(s) "role" not set'))
    s.case("create: no name", s.kt("create", "--system", "--role", "kargo-admin"), rc=1,
           err=usage("create", "accepts 1 arg(s), received 0"))
    s.case("create: bad --expires-in", s.kt("create", "--system", "--role", "kargo-admin", "t-x", "--expires-in", "5q"),
           rc=1, err=usage("create", 'invalid value "5q" for --expires-in: want a positive duration such as 90d, '
                                     "12h or 1d12h"))
    s.case("get: unknown flag", s.kt("get", "--system", "--bogus"), rc=1,
           err=usage("get", "unknown flag: --bogus"))
    s.case("delete: no names", s.kt("delete", "--system"), rc=1,
           err=usage("delete", "requires at least 1 arg(s), only received 0"))
    s.case("kubectl: global flags before the plugin name",
           s.run(["kubectl", "-n", "proj1", "kargo-token", "get"]), rc=1,
           err="Error: flags cannot be placed before plugin name: -n\n")
    s.case("get: the failures created nothing", s.kt("get", "--system"), out="",
           err="No resources found in kargo namespace.\n")
    s.remember(s.create_token("dup"))
    s.case("create: existing name", s.kt("create", "--system", "--role", "kargo-admin", "dup"), rc=1,
           err='Error from server (AlreadyExists): secrets "dup" already exists\n')
    s.case("get: missing name among found ones", s.kt("get", "--system", "dup", "missing"), rc=1,
           out=Table([HDR, ["dup", "kargo-admin", "true", "<age>"]]),
           err='Error from server (NotFound): secrets "missing" not found\n')
    s.kubectl("create", "secret", "generic", "opaque", "-n", "kargo", "--from-literal=k=v")
    s.case("get: a non-token Secret by name is Kargo's 400, no table", s.kt("get", "--system", "opaque"), rc=1,
           out="", err='Error from server (BadRequest): Kubernetes Secret "opaque" in namespace "kargo" is not '
                       "labeled as a Kargo API token\n")
    s.case("delete: several names, partial failure",
           s.kt("delete", "--system", "opaque", "dup", "missing"), rc=1,
           out="token.kargo.akuity.io/dup deleted\n",
           err='Error from server (Conflict): Operation cannot be fulfilled on secrets "opaque": Kubernetes Secret '
               '"opaque" in namespace "kargo" is not a service account token\n'
               'Error from server (NotFound): secrets "missing" not found\n')
    s.case("delete: the opaque Secret is still there", s.kubectl("get", "secret", "-n", "kargo", "opaque", "-o", "name"),
           out="secret/opaque\n")


def outputs(s):
    r = s.kt("create", "--system", "--role", "kargo-admin", "as-json", "-o", "json")
    s.case("create -o json", r, out=None, secret_free=False)
    if r.rc == 0:
        obj = json.loads(r.out)
        token = s.remember(base64.b64decode(obj["data"]["token"]).decode())
        s.check("create -o json carries the raw token once", [] if token and token != "*** REDACTED ***" else
                ["no raw token"])
    r = s.kt("create", "--system", "--role", "kargo-admin", "as-yaml", "-o", "yaml")
    s.case("create -o yaml", r, out=None, secret_free=False)
    m = re.search(r"^  token: (\S+)$", r.out, re.M)
    s.check("create -o yaml carries the raw token", [] if m else ["no data.token"])
    if m:
        s.remember(base64.b64decode(m.group(1)).decode())
    s.case("create -o name", s.kt("create", "--system", "--role", "kargo-admin", "as-name", "-o", "name"),
           out="secret/as-name created\n")
    populated = s.wait_for_token_data("kargo", "as-name")
    if populated:
        s.remember(base64.b64decode(populated["data"]["token"]).decode())
    s.case("create -o bogus", s.kt("create", "--system", "--role", "kargo-admin", "x", "-o", "bogus"), rc=1,
           err=usage("create", 'unable to match a printer suitable for the output format "bogus", allowed formats '
                               "are: json,kubeconfig,name,yaml"))
    # --expires-in records expires-at; -o wide shows it.
    before = datetime.datetime.now(datetime.timezone.utc)
    s.remember(s.create_token("expiring", extra=("--expires-in", "90d")))
    secret = s.secret_json("kargo", "expiring") or {}
    at = secret.get("metadata", {}).get("annotations", {}).get("rbac.kargo.akuity.io/expires-at", "")
    problems = []
    try:
        when = datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        delta = when - before - datetime.timedelta(days=90)
        if not datetime.timedelta(seconds=-2) <= delta <= datetime.timedelta(seconds=60):
            problems.append(f"expires-at {at} is not 90 days from now")
    except ValueError:
        problems.append(f"expires-at {at!r} is not RFC 3339")
    s.check("create --expires-in 90d records rbac.kargo.akuity.io/expires-at", problems)
    s.case("get -o wide shows EXPIRES", s.kt("get", "--system", "expiring", "-o", "wide"),
           out=Table([WIDE, ["expiring", "kargo-admin", "true", "<age>", "<none>", at]]))
    s.case("get -o jsonpath on one name", s.kt("get", "--system", "expiring", "-o", "jsonpath={.metadata.name}"),
           out="expiring")
    # -o kubeconfig: a ready-to-use kubeconfig with the new token as user.
    r = s.kt("create", "--system", "--role", "kargo-admin", "ci", "-o", "kubeconfig")
    s.case("create -o kubeconfig", r, out=None, secret_free=False)
    m = re.search(r"^    token: (\S+)$", r.out, re.M)
    token = s.remember(m.group(1) if m else None)
    expected = (f"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: <ca>\n"
                f"    server: {s.sim.url}\n  name: kube-sim\ncontexts:\n- context:\n    cluster: kube-sim\n"
                f"    namespace: kargo\n    user: ci\n  name: ci@kube-sim\ncurrent-context: ci@kube-sim\n"
                f"kind: Config\npreferences: {{}}\nusers:\n- name: ci\n  user:\n    token: <token>\n")
    got = re.sub(r"(certificate-authority-data: )\S+", r"\1<ca>", r.out)
    got = re.sub(r"(    token: )\S+", r"\1<token>", got)
    s.check("create -o kubeconfig layout", [] if got == expected else [f"got:\n{got}"])
    if token:
        path = write(os.path.join(s.tmp, "ci.kubeconfig"), r.out)
        if s.auth:
            s.case("the printed kubeconfig works with kubectl (kargo-admin may list namespaces)",
                   s.kubectl("get", "namespace", "kargo", "-o", "name", "--kubeconfig", path),
                   out="namespace/kargo\n")
            s.case("the printed kubeconfig has kargo-admin's rights only (no secrets)",
                   s.kt("get", "--system", "--kubeconfig", path), rc=1,
                   err='Error from server (Forbidden): secrets is forbidden: User '
                       '"system:serviceaccount:kargo:kargo-admin" cannot list resource "secrets" in API group "" '
                       'in the namespace "kargo"\n')
        else:
            s.case("the printed kubeconfig works with kubectl",
                   s.kubectl("get", "namespace", "kargo", "-o", "name", "--kubeconfig", path),
                   out="namespace/kargo\n")
    # Project scope: -p, and the context's namespace when it is a project.
    s.remember(s.create_token("dev-token", role="dev", scope=("-p", "proj1")))
    dev_row = ["dev-token", "dev", "true", "<age>"]
    s.case("get -p proj1", s.kt("get", "-p", "proj1"), out=Table([HDR, dev_row]))
    s.case("get -A covers kargo and labelled project namespaces only",
           s.kt("get", "-A", "--role", "dev"), out=Table([["NAMESPACE"] + HDR, ["proj1"] + dev_row]))
    s.case("delete -p proj1", s.kt("delete", "-p", "proj1", "dev-token"), out="token.kargo.akuity.io/dev-token deleted\n")


def global_flags(s):
    names = ["ci", "expiring"]  # left by outputs(); as-json, as-yaml, as-name too
    rows = [["as-json", "kargo-admin", "true", "<age>"], ["as-name", "kargo-admin", "true", "<age>"],
            ["as-yaml", "kargo-admin", "true", "<age>"]] + [[n, "kargo-admin", "true", "<age>"] for n in names]
    rows.sort()
    table = Table([HDR] + rows)
    # A multi-file KUBECONFIG whose first file picks a dead cluster.
    dead = write(os.path.join(s.tmp, "dead.kubeconfig"), """apiVersion: v1
kind: Config
clusters:
- name: dead
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: dead
  context:
    cluster: dead
    user: dead
current-context: dead
users:
- name: dead
  user: {}
""")
    multi = {"KUBECONFIG": dead + os.pathsep + s.sim.kubeconfig}
    s.case("multi-file KUBECONFIG: the first file's current-context wins",
           s.kt("get", "--system", env=multi), rc=1,
           err="The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n")
    for i, argv in enumerate((["--context", "kube-sim", "get", "--system"],
                              ["get", "--context=kube-sim", "--system"],
                              ["get", "--system", "--context", "kube-sim"])):
        s.case(f"--context anywhere ({i})", s.kt(*argv, env=multi), out=table)
    s.case("--kubeconfig overrides KUBECONFIG",
           s.kt("--kubeconfig", s.sim.kubeconfig, "get", "--system", env={"KUBECONFIG": dead}), out=table)
    s.case("--kubeconfig that does not exist", s.kt("get", "--system", "--kubeconfig", "/nonexistent/kc"), rc=1,
           err="error: stat /nonexistent/kc: no such file or directory\n")
    s.remember(s.create_token("dev-2", role="dev", scope=("-p", "proj1")))
    dev = Table([HDR, ["dev-2", "dev", "true", "<age>"]])
    s.case("-n PROJECT before the subcommand is the default project", s.kt("-n", "proj1", "get"), out=dev)
    s.case("--namespace=PROJECT after it", s.kt("get", "--namespace=proj1"), out=dev)
    s.case("-n of a non-project namespace is Kargo's message", s.kt("get", "-n", "plainns"), rc=1,
           err=usage("get", "either project or system is required"))
    s.case("--kargo-namespace moves the system namespace", s.kt("get", "--system", "--kargo-namespace", "proj1"),
           out=dev)
    s.case("KARGO_NAMESPACE moves the system namespace", s.kt("get", "--system", env={"KARGO_NAMESPACE": "proj1"}),
           out=dev)
    if s.auth:
        s.case("--as a viewer cannot create tokens",
               s.kt("create", "--system", "--role", "kargo-admin", "as-test", "--as",
                    "system:serviceaccount:kargo:kargo-viewer"), rc=1,
               err=Matches(r'Error from server \(Forbidden\): .*"system:serviceaccount:kargo:kargo-viewer".*\n'))
    else:
        s.case("--as is accepted anywhere", s.kt("--as", "kube-sim-admin", "get", "--system", "--as-group",
                                                  "system:masters"), out=table)


def kubeconfig_variants(s):
    state = os.path.dirname(s.sim.kubeconfig)
    ca = os.path.join(state, "ca.crt")
    cfg_dir = os.path.join(s.tmp, "kc")
    os.makedirs(cfg_dir, exist_ok=True)

    def kubeconfig(name, user):
        return write(os.path.join(cfg_dir, name), f"""apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: {s.sim.url}
    certificate-authority: {ca}
contexts:
- name: sim
  context:
    cluster: sim
    user: u
current-context: sim
users:
- name: u
  user:
{user}""")

    table = Matches(r"NAME +ROLE +KARGO MANAGED +AGE\n(\S+ +kargo-admin +true +\d+[smh]\n)+")
    # Client certificate files, relative to the kubeconfig's directory.
    for f in ("admin.crt", "admin.key"):
        with open(os.path.join(state, f)) as src:
            write(os.path.join(cfg_dir, f), src.read())
    certs = kubeconfig("certs", "    client-certificate: admin.crt\n    client-key: admin.key\n")
    s.case("client-certificate/client-key files (relative paths)", s.kt("get", "--system", "--kubeconfig", certs),
           out=table)
    # An exec credential plugin answering with the admin's client certificate.
    helper = write(os.path.join(cfg_dir, "cred-helper"), f"""#!/usr/bin/env python3
import json
cert = open({os.path.join(state, "admin.crt")!r}).read()
key = open({os.path.join(state, "admin.key")!r}).read()
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {{"clientCertificateData": cert, "clientKeyData": key}}}}))
""", mode=0o700)
    exec_cfg = kubeconfig("exec", f"""    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./cred-helper
      interactiveMode: Never
""")
    s.case("exec credential plugin (client certificate data)", s.kt("get", "--system", "--kubeconfig", exec_cfg),
           out=table)
    if not s.auth:
        print("# kube-sim does not authenticate bearer tokens yet: tokenFile/--token/exec-token cases skipped")
        return
    token = s.create_token("reader")
    write(os.path.join(cfg_dir, "tok.txt"), token)
    forbidden = ('Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:kargo:kargo-admin" '
                 'cannot list resource "secrets" in API group "" in the namespace "kargo"\n')
    token_file = kubeconfig("tokenfile", "    tokenFile: tok.txt\n")
    s.case("tokenFile: authenticated as kargo-admin", s.kt("get", "--system", "--kubeconfig", token_file), rc=1,
           err=forbidden)
    s.case("--token: authenticated as kargo-admin, -v=8 does not show it",
           s.kt("get", "--system", "--kubeconfig", s.anonymous_kubeconfig(), "--token", token, "-v=8"),
           rc=1, err=Matches(r'.*Error from server \(Forbidden\): secrets is forbidden: User '
                             r'"system:serviceaccount:kargo:kargo-admin".*'))
    helper2 = write(os.path.join(cfg_dir, "token-helper"), f"""#!/bin/sh
exec cat <<'EOF'
{{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {{"token": "{token}"}}}}
EOF
""", mode=0o700)
    del helper2
    exec_tok = kubeconfig("exec-token", """    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./token-helper
      interactiveMode: Never
""")
    s.case("exec credential plugin (token)", s.kt("get", "--system", "--kubeconfig", exec_tok), rc=1, err=forbidden)
    s.case("bad bearer token is 401", s.kt("get", "--system", "--kubeconfig", s.anonymous_kubeconfig(),
                                           "--token", "not-a-token"), rc=1,
           err="error: You must be logged in to the server (Unauthorized)\n")


def compatibility(s):
    sa_uid = s.kubectl("get", "sa", "-n", "kargo", "kargo-admin", "-o", "jsonpath={.metadata.uid}").out
    # Kargo -> us: a Secret exactly as Kargo's CreateAPIToken builds it, applied with kubectl.
    r = s.kubectl("apply", "-f", "-", stdin=kargo_shaped_secret("kargo-made", sa_uid))
    s.case("kubectl apply of a Kargo-built token Secret", r, out="secret/kargo-made created\n")
    populated = s.wait_for_token_data("kargo", "kargo-made")
    s.check("the tokens controller populates it", [] if populated else ["no data.token"])
    if populated:
        s.remember(base64.b64decode(populated["data"]["token"]).decode())
    s.case("Kargo's token is listed", s.kt("get", "--system", "--role", "kargo-admin", "kargo-made"),
           out=Table([HDR, ["kargo-made", "kargo-admin", "true", "<age>"]]))
    r = s.kt("get", "--system", "kargo-made", "-o", "json")
    s.case("Kargo's token is shown", r, out=None)
    if r.rc == 0:
        s.check("Kargo's token is shown redacted",
                [] if json.loads(r.out)["data"]["token"] == REDACTED else ["not redacted"])
    s.case("Kargo's token is deleted", s.kt("delete", "--system", "kargo-made"),
           out="token.kargo.akuity.io/kargo-made deleted\n")
    # Hand-made variants Kargo lists but will not delete: the same refusals.
    s.kubectl("apply", "-f", "-", stdin=kargo_shaped_secret(
        "unmanaged", sa_uid, annotations={"kubernetes.io/service-account.name": "kargo-admin"}))
    s.kubectl("apply", "-f", "-", stdin=kargo_shaped_secret("unlabelled", sa_uid, labels={}))
    s.case("a token without the managed annotation is listed as KARGO MANAGED false",
           s.kt("get", "--system", "unmanaged"), out=Table([HDR, ["unmanaged", "kargo-admin", "false", "<age>"]]))
    s.case("Kargo's refusals on delete", s.kt("delete", "--system", "unmanaged", "unlabelled"), rc=1,
           err='Error from server (Conflict): Operation cannot be fulfilled on secrets "unmanaged": Kubernetes '
               'Secret "unmanaged" in namespace "kargo" is not annotated as Kargo-managed\n'
               'Error from server (Conflict): Operation cannot be fulfilled on secrets "unlabelled": Kubernetes '
               'Secret "unlabelled" in namespace "kargo" is not labeled as a Kargo API token\n')
    for name in ("unmanaged", "unlabelled"):
        secret = s.wait_for_token_data("kargo", name)
        if secret:
            s.remember(base64.b64decode(secret["data"]["token"]).decode())
    # us -> Kargo: our Secret passes isKargoAPIToken and every delete check.
    s.remember(s.create_token("ours"))
    ours = s.secret_json("kargo", "ours") or {}
    meta = ours.get("metadata", {})
    problems = []
    if not is_kargo_api_token(ours):
        problems.append("isKargoAPIToken is false")
    if kargo_delete_refusal(ours):
        problems.append("Kargo would refuse to delete it: " + kargo_delete_refusal(ours))
    if meta.get("labels") != {"rbac.kargo.akuity.io/api-token": "true"}:
        problems.append(f"labels {meta.get('labels')}")
    if meta.get("annotations", {}).get("kubernetes.io/service-account.name") != "kargo-admin":
        problems.append("service-account.name annotation")
    if meta.get("ownerReferences") != [{"apiVersion": "v1", "kind": "ServiceAccount", "name": "kargo-admin",
                                        "uid": sa_uid}]:
        problems.append(f"ownerReferences {meta.get('ownerReferences')}")
    s.check("our token Secret is shaped like Kargo's (isKargoAPIToken, delete checks, ownerReference)", problems)


def redaction(s):
    block = TokenBlock()
    r = s.kt("create", "--system", "--role", "kargo-admin", "verbose", "-v=8")
    s.case("create -v=8: the token only in the block on stdout", r, out=block, err=None, secret_free=False)
    s.remember(block.token)
    s.case("get -v=8: no token on stdout or stderr", s.kt("get", "--system", "verbose", "-o", "yaml", "-v", "8"),
           out=None, err=None)
    s.case("delete -v=8", s.kt("delete", "--system", "verbose", "--v=8"),
           out="token.kargo.akuity.io/verbose deleted\n", err=None)


def slow_tokens_controller(s):
    """--timeout bounds the wait for the tokens controller; the Secret stays."""
    sim = KubeSim(s.args.kube_sim, kubernetes_version=s.version, ready_timeout=60,
                  extra_args=["--seed", s.seed, "--token-controller-delay-ms", "5000"])
    sim.start()
    try:
        env = {"KUBECONFIG": sim.kubeconfig}
        s.case("create --timeout: a clear message when the tokens controller is late",
               s.kt("create", "--system", "--role", "kargo-admin", "slow", "--timeout", "1s", env=env), rc=1,
               err='error: timed out after 1s waiting for the tokens controller to populate Secret "slow" in '
                   'namespace "kargo"; it was left for inspection (kubectl get secret -n kargo slow); raise '
                   "--timeout or check that the cluster's tokens controller runs\n")
        s.case("create --timeout: the Secret is left for inspection",
               s.kubectl("get", "secret", "-n", "kargo", "slow", "-o", "name", env=env), out="secret/slow\n")
        # Ctrl-C while waiting: the half-made Secret is deleted, exit 130.
        merged = dict(s.env, KUBECONFIG=sim.kubeconfig)
        proc = subprocess.Popen(["kubectl", "kargo-token", "create", "--system", "--role", "kargo-admin", "slow-2"],
                                env=merged, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and s.kubectl("get", "secret", "-n", "kargo", "slow-2", env=env).rc != 0:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        s.case("create: Ctrl-C while waiting exits 130", Result(proc.returncode, out, err, 0), rc=130,
               err="error: interrupted\n")
        gone = s.kubectl("get", "secret", "-n", "kargo", "slow-2", env=env)
        s.case("create: Ctrl-C deletes the half-made Secret", gone, rc=1,
               err='Error from server (NotFound): secrets "slow-2" not found\n')
    finally:
        sim.stop()


def dispatcher_version(s):
    if not s.version:
        return
    r = s.run(["kubectl", "version", "-o", "json"])
    minor = ""
    try:
        minor = json.loads(r.out)["clientVersion"]["minor"]
    except (ValueError, KeyError):
        pass
    want = s.version.split(".")[1]
    s.check(f"the dispatcher runs kubectl.{s.version}", [] if minor.rstrip("+") == want else [f"minor {minor!r}"], r)


def main():
    s = Suite(__doc__)
    s.start()
    try:
        dispatcher_version(s)
        s.case("setup: project proj1, SA dev, SA kargo/plain", s.kubectl("apply", "-f", "-", stdin=SETUP_YAML),
               out=None)
        seed_flow(s)
        error_paths(s)
        outputs(s)
        global_flags(s)
        kubeconfig_variants(s)
        compatibility(s)
        redaction(s)
        slow_tokens_controller(s)
    finally:
        s.finish()


if __name__ == "__main__":
    main()
