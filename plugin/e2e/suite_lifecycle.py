#!/usr/bin/env python3
"""Role trios, rotation, pruning and completion end to end: `kubectl
kargo-token role create/get/delete` (with rollback leaving nothing behind),
`rotate`, `prune --expired [--dry-run]`, and the completion protocol both as
`kubectl kargo-token __complete ...` and through kubectl's own `kubectl
__complete kargo-token ...` with kubectl_complete-kargo_token on PATH. Each
part runs when the plugin lists that subcommand in --help; the suite is
skipped (77) when it lists none. See harness.py.
"""
import base64
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Matches, Suite, Table, TokenBlock  # noqa: E402

SETUP_YAML = """apiVersion: v1
kind: Namespace
metadata:
  name: proj1
  labels:
    kargo.akuity.io/project: "true"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: dev
  namespace: proj1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: clash
  namespace: proj1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: somebody-else
subjects:
- kind: ServiceAccount
  name: dev
  namespace: proj1
"""


def available_subcommands(s):
    r = s.kt("--help")
    found = set()
    in_list = False
    for line in r.out.splitlines():
        if line.startswith("Subcommands:"):
            in_list = True
        elif in_list and line.startswith("  "):
            found.add(line.split()[0].rstrip(","))
    return found


def exists(s, kind, ns, name):
    args = ["get", kind, name, "-o", "name"] + (["-n", ns] if ns else [])
    return s.kubectl(*args).rc == 0


def wait_gone(s, kind, ns, name, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not exists(s, kind, ns, name):
            return True
        time.sleep(0.2)
    return False


def obj(s, kind, ns, name):
    args = ["get", kind, name, "-o", "json"] + (["-n", ns] if ns else [])
    r = s.kubectl(*args)
    return json.loads(r.out) if r.rc == 0 else {}


def roles(s):
    r = s.kt("role", "create", "-p", "proj1", "deployer", "--rule", "get,list:configmaps",
             "--description", "CI deployer")
    s.case("role create -p (project trio)", r, out="role.rbac.kargo.akuity.io/deployer created\n")
    sa, role, rb = (obj(s, "serviceaccount", "proj1", "deployer"), obj(s, "role", "proj1", "deployer"),
                    obj(s, "rolebinding", "proj1", "deployer"))
    problems = []
    ann = sa.get("metadata", {}).get("annotations", {})
    if ann.get("rbac.kargo.akuity.io/managed") != "true" or ann.get("kargo.akuity.io/description") != "CI deployer":
        problems.append(f"SA annotations {ann}")
    if role.get("metadata", {}).get("annotations", {}).get("rbac.kargo.akuity.io/managed") != "true":
        problems.append("Role not annotated managed")
    rules = role.get("rules", [])
    if not rules or any(r.get("apiGroups") != [""] for r in rules) or \
            sorted(v for r in rules for v in r.get("verbs", [])) != ["get", "list"] or \
            {res for r in rules for res in r.get("resources", [])} != {"configmaps"}:
        problems.append(f"Role rules {rules}")
    if rb.get("roleRef") != {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "deployer"} or \
            rb.get("subjects") != [{"kind": "ServiceAccount", "name": "deployer", "namespace": "proj1"}]:
        problems.append(f"RoleBinding {rb.get('roleRef')} {rb.get('subjects')}")
    if rb.get("metadata", {}).get("annotations", {}).get("rbac.kargo.akuity.io/managed") != "true":
        problems.append("RoleBinding not annotated managed")
    s.check("role create: SA + Role + RoleBinding shaped like Kargo's", problems)
    s.case("role create: existing role", s.kt("role", "create", "-p", "proj1", "deployer"), rc=1,
           err=Matches(r'Error from server \(AlreadyExists\): .*"deployer" already exists\n'))
    s.case("role get -p proj1 deployer", s.kt("role", "get", "-p", "proj1", "deployer"),
           out=Table([["NAME", "KARGO MANAGED", "AGE"], ["deployer", "true", "<age>"]]))
    sas = sorted(json.loads(s.kubectl("get", "sa", "-n", "proj1", "-o", "json").out or "{}").get("items", []),
                 key=lambda o: o["metadata"]["name"])
    rows = [[o["metadata"]["name"], "true" if o["metadata"]["name"] == "deployer" else "false", "<age>"]
            for o in sas]
    s.case("role get -p proj1 lists every ServiceAccount", s.kt("role", "get", "-p", "proj1"),
           out=Table([["NAME", "KARGO MANAGED", "AGE"]] + rows))
    r = s.kt("role", "get", "-p", "proj1", "deployer", "-o", "yaml")
    s.case("role get -o yaml shows the trio", r, out=None)
    kinds = re.findall(r"^  kind: (\w+)$|^kind: (\w+)$", r.out, re.M)
    kinds = [a or b for a, b in kinds]
    s.check("role get -o yaml: ServiceAccount, Role and RoleBinding",
            [] if {"ServiceAccount", "Role", "RoleBinding"} <= set(kinds) else [f"kinds {kinds}"], r)
    s.case("role get --system lists the built-in roles", s.kt("role", "get", "--system"),
           out=Table([["NAME", "KARGO MANAGED", "AGE"]] +
                     [[n, "false", "<age>"] for n in ("kargo-admin", "kargo-project-creator", "kargo-user",
                                                     "kargo-viewer")]))
    s.case("role get: missing system role is Kargo's 404", s.kt("role", "get", "--system", "dev"), rc=1,
           err='Error from server (NotFound): serviceaccounts "dev" not found\n')
    s.case("role create: invalid name", s.kt("role", "create", "-p", "proj1", "Bad_Name"), rc=1,
           err=Matches(r'The ServiceAccount "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": .*\n'))
    # Rollback: the RoleBinding "clash" exists, so the third step fails and
    # the SA and Role made before it are removed again.
    r = s.kt("role", "create", "-p", "proj1", "clash", "--rule", "get:secrets")
    s.case("role create: a failing step", r, rc=1,
           err=Matches(r'.*rolebindings\.rbac\.authorization\.k8s\.io "clash" already exists\n'))
    s.check("role create: rollback leaves no ServiceAccount or Role behind",
            [f"{k} clash left behind" for k in ("serviceaccount", "role") if exists(s, k, "proj1", "clash")])
    s.check("role create: rollback keeps the RoleBinding it did not make",
            [] if exists(s, "rolebinding", "proj1", "clash") else ["the pre-existing RoleBinding was deleted"])
    s.case("role delete: not Kargo-managed", s.kt("role", "delete", "-p", "proj1", "dev"), rc=1,
           err='Error from server (BadRequest): ServiceAccount "dev" in namespace "proj1" is not annotated as '
               'Kargo-managed\n')
    # A token of the role goes with it.
    s.create_token("deployer-token", role="deployer", scope=("-p", "proj1"))
    s.case("role delete -p proj1 deployer", s.kt("role", "delete", "-p", "proj1", "deployer"),
           out="role.rbac.kargo.akuity.io/deployer deleted\n")
    s.check("role delete removes the trio",
            [f"{k} deployer left" for k in ("serviceaccount", "role", "rolebinding") if exists(s, k, "proj1",
                                                                                            "deployer")])
    s.check("role delete: its tokens follow through ownerReferences",
            [] if wait_gone(s, "secret", "proj1", "deployer-token") else ["token Secret still there"])
    # System role bound to an existing ClusterRole.
    s.case("role create --system --clusterrole", s.kt("role", "create", "--system", "ci-viewer", "--clusterrole",
                                                      "kargo-viewer"),
           out="role.rbac.kargo.akuity.io/ci-viewer created\n")
    sa = obj(s, "serviceaccount", "kargo", "ci-viewer")
    crb = obj(s, "clusterrolebinding", "", "ci-viewer")
    problems = []
    if sa.get("metadata", {}).get("labels", {}).get("rbac.kargo.akuity.io/system-role") != "true":
        problems.append("SA lacks the system-role label")
    if crb.get("roleRef", {}).get("name") != "kargo-viewer" or crb.get("roleRef", {}).get("kind") != "ClusterRole":
        problems.append(f"ClusterRoleBinding roleRef {crb.get('roleRef')}")
    s.check("role create --system: labelled SA + ClusterRoleBinding to the existing ClusterRole", problems)
    s.create_token("ci-viewer-token", role="ci-viewer")
    s.case("role delete --system", s.kt("role", "delete", "--system", "ci-viewer"),
           out="role.rbac.kargo.akuity.io/ci-viewer deleted\n")
    s.check("role delete --system keeps the ClusterRole it only bound",
            [] if exists(s, "clusterrole", "", "kargo-viewer") else ["kargo-viewer ClusterRole deleted"])
    s.check("role delete --system removes SA and binding",
            [f"{k} left" for k, ns in (("serviceaccount", "kargo"), ("clusterrolebinding", ""))
             if exists(s, k, ns, "ci-viewer")])


def rotate(s):
    old = s.create_token("rot")
    block = TokenBlock()
    r = s.kt("rotate", "--system", "rot", "--new-name", "rot-2")
    s.case("rotate --new-name prints the new token like create", r, out=block, secret_free=False,
           err="token.kargo.akuity.io/rot deleted\n")
    s.remember(block.token)
    s.check("rotate: a different token", [] if block.token and block.token != old else ["same token"])
    s.check("rotate: the old token is deleted", [] if wait_gone(s, "secret", "kargo", "rot") else ["rot left"])
    s.case("rotate: the new token has the same role", s.kt("get", "--system", "rot-2"),
           out=Table([["NAME", "ROLE", "KARGO MANAGED", "AGE"], ["rot-2", "kargo-admin", "true", "<age>"]]))
    block = TokenBlock()
    r = s.kt("rotate", "--system", "rot-2")
    s.case("rotate without --new-name", r, out=block, secret_free=False,
           err="token.kargo.akuity.io/rot-2 deleted\n")
    s.remember(block.token)
    names = s.kt("get", "--system", "-o", "name").out.split()
    s.check("rotate: new name is NAME-<suffix>",
            [] if any(re.fullmatch(r"secret/rot-2-[a-z0-9]+", n) for n in names) and "secret/rot-2" not in names
            else [f"names {names}"])
    s.case("rotate: missing token", s.kt("rotate", "--system", "nope"), rc=1,
           err='Error from server (NotFound): secrets "nope" not found\n')


def prune(s):
    sa_uid = s.kubectl("get", "sa", "-n", "kargo", "kargo-admin", "-o", "jsonpath={.metadata.uid}").out
    for name, at in (("expired", "2020-01-01T00:00:00Z"), ("current", "2099-01-01T00:00:00Z")):
        s.kubectl("apply", "-f", "-", stdin=json.dumps({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": name, "namespace": "kargo",
                         "labels": {"rbac.kargo.akuity.io/api-token": "true"},
                         "annotations": {"kubernetes.io/service-account.name": "kargo-admin",
                                         "rbac.kargo.akuity.io/managed": "true",
                                         "rbac.kargo.akuity.io/expires-at": at},
                         "ownerReferences": [{"apiVersion": "v1", "kind": "ServiceAccount",
                                              "name": "kargo-admin", "uid": sa_uid}]},
            "type": "kubernetes.io/service-account-token"}))
        secret = s.wait_for_token_data("kargo", name)
        if secret:
            s.remember(base64.b64decode(secret["data"]["token"]).decode())
    r = s.kt("prune", "--expired", "--system", "--dry-run")
    s.case("prune --expired --dry-run names the expired token only", r,
           out="token.kargo.akuity.io/expired would be deleted (dry run)\n")
    s.check("prune --dry-run deletes nothing", [] if exists(s, "secret", "kargo", "expired") else ["deleted"])
    s.case("prune --expired", s.kt("prune", "--expired", "--system"),
           out="token.kargo.akuity.io/expired deleted (expired at 2020-01-01T00:00:00Z)\n")
    s.case("prune --expired with nothing due", s.kt("prune", "--expired", "--system"),
           err="No expired tokens found in kargo namespace.\n")
    s.check("prune: expired gone, current kept",
            ([] if wait_gone(s, "secret", "kargo", "expired") else ["expired left"]) +
            ([] if exists(s, "secret", "kargo", "current") else ["current deleted"]))


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bound(s):
    block = TokenBlock()
    r = s.kt("create", "--system", "--role", "kargo-admin", "--bound", "--duration", "1h", "ci-bound")
    s.case("create --bound --duration 1h prints the token like create", r, out=block, secret_free=False)
    s.remember(block.token)
    problems = []
    if block.token:
        claims = jwt_claims(block.token)
        if claims.get("exp", 0) - claims.get("iat", 0) != 3600:
            problems.append(f"lifetime {claims.get('exp', 0) - claims.get('iat', 0)}s, want 3600s")
        if claims.get("sub") != "system:serviceaccount:kargo:kargo-admin":
            problems.append(f"sub {claims.get('sub')!r}")
    s.check("create --bound: a TokenRequest token of the role's ServiceAccount, 1h", problems)
    s.check("create --bound stores nothing",
            [] if not exists(s, "secret", "kargo", "ci-bound") else ["a Secret ci-bound was created"])
    s.case("create --bound: same role rules", s.kt("create", "--system", "--role", "nope", "--bound"), rc=1,
           err='Error from server (NotFound): serviceaccounts "nope" not found\n')
    s.case("create --duration without --bound", s.kt("create", "--system", "--role", "kargo-admin", "x",
                                                     "--duration", "1h"), rc=1,
           err="error: --duration can only be used with --bound\nSee 'kubectl kargo-token create --help' for "
               "usage.\n")


def completion(s):
    r = s.kt("__complete", "")
    s.case("__complete: subcommands, directive :4", r, out=None)
    words = [line.split("\t")[0] for line in r.out.splitlines()]
    s.check("__complete lists the subcommands and ends with :4",
            [] if {"create", "get", "delete"} <= set(words) and words[-1:] == [":4"] else [f"got {words}"], r)
    r = s.kt("__complete", "create", "--system", "--role", "")
    s.case("__complete role names", r, out=None)
    words = [line.split("\t")[0] for line in r.out.splitlines()]
    s.check("__complete --role offers the system roles",
            [] if {"kargo-admin", "kargo-viewer"} <= set(words) else [f"got {words}"], r)
    s.create_token("complete-me")
    r = s.kt("__complete", "delete", "--system", "")
    words = [line.split("\t")[0] for line in r.out.splitlines()]
    s.check("__complete delete offers token names", [] if "complete-me" in words else [f"got {words}"], r)
    if s.has_completer:
        r = s.run(["kubectl", "__complete", "kargo-token", ""])
        words = [line.split("\t")[0] for line in r.out.splitlines()]
        s.check("kubectl __complete kargo-token (kubectl_complete-kargo_token on PATH)",
                [] if {"create", "get", "delete"} <= set(words) and words[-1:] == [":4"] else [f"got {words}"], r)
        r = s.run(["kubectl", "__complete", "kargo-token", "get", "-n", ""])
        words = [line.split("\t")[0] for line in r.out.splitlines()]
        s.check("kubectl __complete kargo-token get -n offers namespaces",
                [] if "proj1" in words else [f"got {words}"], r)
    else:
        s.check("kubectl_complete-kargo_token is built beside the plugin", ["not found beside the plugin"])
    r = s.kt("completion", "bash")
    s.case("completion bash", r, out=None)
    s.check("completion bash prints a bash script", [] if "complete " in r.out and r.rc == 0 else ["no script"], r)


def main():
    s = Suite(__doc__)
    s.start()
    have = available_subcommands(s)
    if "--bound" in s.kt("create", "--help").out:
        have.add("bound")
    parts = [(name, fn) for name, fn in (("role", roles), ("rotate", rotate), ("prune", prune),
                                         ("bound", bound), ("completion", completion)) if name in have]
    if not parts:
        s.skip("the plugin has none of role, rotate, prune, --bound, completion yet")
    try:
        s.case("setup: project proj1, SA dev, RoleBinding clash", s.kubectl("apply", "-f", "-", stdin=SETUP_YAML),
               out=None)
        for name, fn in parts:
            print(f"# {name}")
            fn(s)
        missing = sorted({"role", "rotate", "prune", "bound", "completion"} - have)
        if missing:
            print(f"# not in the plugin yet: {', '.join(missing)}")
    finally:
        s.finish()


if __name__ == "__main__":
    main()
