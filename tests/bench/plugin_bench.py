"""Plugin vs kubectl (issue #8): whole-process wall time and peak RSS
(wait4 rusage) of kubectl-kargo_token get --system, get -A, create and delete
beside the equivalent kubectl commands, through the kubectl dispatcher and
invoking the newest kubectl.1.NN directly. Runs are interleaved across the
commands of one operation; the first run of each command is a warm-up (page
cache, kubectl's discovery cache) and is not counted.

The cluster: kube-sim with the kargo-admin system role and 10 tokens. The
plugin's create waits (watch) until the tokens controller has populated the
token; kubectl create -f returns as soon as the Secret is stored."""
import json
import os
import re
import subprocess

from measure import fmt_mmm, median, timed
from reviews import ROLE, create_system_role, token_secret

LABEL = "rbac.kargo.akuity.io/api-token"


def kubectl_variants(kubectl, server_minor="32"):
    """[(label, path)]: the dispatcher and, invoked directly, the versioned
    binary it picks for kube-sim (which reports 1.32 by default), so the
    difference is the dispatcher's own cost."""
    versioned = os.path.dirname(os.path.realpath(kubectl))
    direct = sorted((p for p in os.listdir(versioned) if re.match(r"kubectl\.1\.\d+$", p)),
                    key=lambda p: int(p.rsplit(".", 1)[1]))
    out = [("kubectl (dispatcher)", kubectl)]
    if direct:
        pick = f"kubectl.1.{server_minor}" if f"kubectl.1.{server_minor}" in direct else direct[-1]
        out.append((f"{pick} (direct)", os.path.join(versioned, pick)))
    return out


def secret_file(tmp, name):
    path = os.path.join(tmp, f"{name}.json")
    with open(path, "w") as f:
        json.dump(token_secret(name), f)
    return path


def populate(kubectl, env, tmp, count, prefix="bench-seed"):
    """`count` token Secrets for the role, created in one kubectl call."""
    items = [token_secret(f"{prefix}-{i}") for i in range(count)]
    path = os.path.join(tmp, f"{prefix}.json")
    with open(path, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
    subprocess.run([kubectl, "create", "-f", path], env=env, check=True, capture_output=True)


def operations(a, tmp, kubectls, env):
    """[(operation, [(command label, argv(i), setup(i) or None)])]."""
    plugin = a.plugin
    # The release ships the static binary (docs/portability.md): measure it
    # beside the dynamic build when run.sh could build it.
    builds = [("plugin", plugin)] + ([("plugin (static)", a.plugin_static)] if a.plugin_static else [])
    ops = [("get --system", [(f"{b} get --system", lambda i, b=bin_: [b, "get", "--system"], None)
                             for b, bin_ in builds]
            + [(f"{k} get secrets -n kargo -l", lambda i, p=p: [p, "get", "secrets", "-n", "kargo", "-l", LABEL], None)
               for k, p in kubectls]),
           ("get -A", [(f"{b} get -A", lambda i, b=bin_: [b, "get", "-A"], None) for b, bin_ in builds]
            + [(f"{k} get secrets -A -l", lambda i, p=p: [p, "get", "secrets", "-A", "-l", LABEL], None)
               for k, p in kubectls])]
    create = [("plugin create --system", lambda i: [plugin, "create", "--system", "--role", ROLE, f"bench-pc-{i}"], None)]
    delete = [("plugin delete --system", lambda i: [plugin, "delete", "--system", f"bench-pd-{i}"],
               lambda i: _precreate(kubectls[0][1], env, tmp, f"bench-pd-{i}"))]
    for n, (k, p) in enumerate(kubectls):
        create.append((f"{k} create -f", lambda i, p=p, n=n: [p, "create", "-f", secret_file(tmp, f"bench-kc{n}-{i}")], None))
        delete.append((f"{k} delete secret", lambda i, p=p, n=n: [p, "delete", "secret", "-n", "kargo", f"bench-kd{n}-{i}"],
                       lambda i, n=n: _precreate(kubectls[0][1], env, tmp, f"bench-kd{n}-{i}")))
    ops += [("create", create), ("delete", delete)]
    return ops


def _precreate(kubectl, env, tmp, name):
    subprocess.run([kubectl, "create", "-f", secret_file(tmp, name)], env=env, check=True, capture_output=True)


def run(a, tmp, sim, kubectl, env):
    """(markdown, data): data[operation][command] = [(wall s, rss MiB)]."""
    kubectls = kubectl_variants(kubectl)
    create_system_role(kubectls[0][1], sim.kubeconfig, env)
    populate(kubectls[0][1], env, tmp, 10)
    runs = 3 if a.quick else 11
    data, rows = {}, ["| operation | command | wall ms median (min–max) | peak RSS MiB median (min–max) | × kubectl direct wall | × kubectl direct RSS |",
                      "|---|---|---|---|---|---|"]
    for op, commands in operations(a, tmp, kubectls, env):
        samples = {label: [] for label, _, _ in commands}
        for i in range(runs + 1):
            for label, argv, setup in commands:
                if setup:
                    setup(i)
                s = timed(argv(i), env)
                if i > 0:
                    samples[label].append(s)
        data[op] = samples
        direct = samples[commands[-1][0]]
        for label, _, _ in commands:
            s = samples[label]
            wall_ratio = median([x[0] for x in s]) / median([x[0] for x in direct])
            rss_ratio = median([x[1] for x in s]) / median([x[1] for x in direct])
            rows.append(f"| {op} | {label} | {fmt_mmm([x[0] * 1000 for x in s])} | "
                        f"{fmt_mmm([x[1] for x in s])} | {wall_ratio:.2f} | {rss_ratio:.2f} |")
            print("  " + rows[-1], flush=True)
    return (f"## Plugin vs kubectl, {runs} runs each (after one warm-up), 10 tokens in the cluster\n\n"
            + "\n".join(rows)), data
