#!/usr/bin/env python3
"""webhook/Containerfile builds exactly what the manifests run (the image
cannot be built here): for each image the release workflow pushes, the
manifests name it with the project version, run it as the Containerfile's
numeric non-root USER with a read-only root file system, and use its
entrypoint; the webhook's ports are EXPOSEd and its certificate paths are the
default args and lie in the read-only Secret mount.

  containerfile_test.py SOURCE_DIR
"""
import json
import os
import re
import shlex
import sys

import yaml

errors = []


def fail(msg):
    errors.append(msg)


def containerfile_stages(path):
    """{stage: {'from', 'user', 'expose', 'entrypoint', 'cmd', 'copies'}}, instructions inherited from the base stage."""
    text = re.sub(r'\\\n', ' ', open(path).read())
    stages, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        op, _, rest = line.partition(' ')
        op, rest = op.upper(), rest.strip()
        if op == 'FROM':
            words = rest.split()
            base, name = words[0], words[2] if len(words) > 2 and words[1].upper() == 'AS' else words[0]
            inherited = dict(stages[base]) if base in stages else {'expose': [], 'copies': {}}
            inherited.update({'from': inherited.get('from', base), 'copies': dict(inherited['copies'])})
            current = stages[name] = inherited
        elif op == 'USER':
            current['user'] = rest
        elif op == 'EXPOSE':
            current['expose'] = current['expose'] + [int(p.split('/')[0]) for p in rest.split()]
        elif op in ('ENTRYPOINT', 'CMD'):
            current[op.lower()] = json.loads(rest)
        elif op == 'COPY':
            words = [w for w in shlex.split(rest) if not w.startswith('--')]
            current['copies'][words[-1]] = words[0]
    return stages


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def pod_specs(docs):
    for d in docs:
        spec = d.get('spec', {})
        if d.get('kind') == 'Deployment':
            yield d['metadata']['name'], spec['template']['spec']
        elif d.get('kind') == 'CronJob':
            yield d['metadata']['name'], spec['jobTemplate']['spec']['template']['spec']


def args_map(args):
    return dict(a[2:].split('=', 1) for a in args if a.startswith('--') and '=' in a)


def check_common(where, pod, container, stage, image, version):
    if container.get('image') != f'{image}:{version}':
        fail(f'{where}: image {container.get("image")!r}, want {image}:{version} (what release.yml pushes '
             'for this version)')
    uid, _, gid = stage.get('user', '').partition(':')
    if not uid.isdigit() or uid == '0':
        fail(f'Containerfile: USER {stage.get("user")!r} must be a numeric non-root uid:gid')
    ctx = dict(pod.get('securityContext', {}), **container.get('securityContext', {}))
    if str(ctx.get('runAsUser')) != uid or (gid and str(ctx.get('runAsGroup')) != gid):
        fail(f'{where}: runAsUser/runAsGroup {ctx.get("runAsUser")}/{ctx.get("runAsGroup")} differ from '
             f'the Containerfile USER {stage.get("user")}')
    if ctx.get('runAsNonRoot') is not True or ctx.get('readOnlyRootFilesystem') is not True:
        fail(f'{where}: needs runAsNonRoot: true and readOnlyRootFilesystem: true')
    entry = stage.get('entrypoint') or []
    if not entry or entry[0] not in stage['copies']:
        fail(f'Containerfile: ENTRYPOINT {entry} is not a binary the stage copies in')
    command = container.get('command')
    if command and os.path.basename(command[0]) != os.path.basename(entry[0] if entry else ''):
        fail(f'{where}: command {command} does not run the image\'s {entry}')
    if command and not os.path.isabs(command[0]) and os.path.dirname(entry[0]) not in (
            '/usr/local/bin', '/usr/bin', '/bin'):
        fail(f'{where}: command {command[0]} is looked up on PATH, but the image has it in {entry[0]}')
    if not stage.get('from', '').startswith(('scratch', 'gcr.io/distroless/static')):
        fail(f'Containerfile: base {stage.get("from")} is not scratch or distroless/static')


def check_webhook(where, pod, container, stage):
    ports = {p['name']: p['containerPort'] for p in container.get('ports', [])}
    if sorted(ports.values()) != sorted(stage['expose']):
        fail(f'{where}: containerPorts {sorted(ports.values())} differ from EXPOSE {sorted(stage["expose"])}')
    args = args_map(container.get('args', []))
    defaults = args_map(stage.get('cmd', []))
    for flag, port_name in (('listen', 'webhook'), ('probe-listen', 'probes')):
        if args.get(flag, '').rsplit(':', 1)[-1] != str(ports.get(port_name)):
            fail(f'{where}: --{flag}={args.get(flag)} does not listen on containerPort {port_name}')
        if defaults.get(flag) != args.get(flag):
            fail(f'Containerfile: CMD --{flag}={defaults.get(flag)} differs from the Deployment\'s {args.get(flag)}')
    mounts = [m for m in container.get('volumeMounts', []) if m.get('readOnly')]
    for flag in ('tls-cert-file', 'tls-private-key-file'):
        path = args.get(flag)
        if defaults.get(flag) != path:
            fail(f'Containerfile: CMD --{flag}={defaults.get(flag)} differs from the Deployment\'s {path}')
        mount = next((m for m in mounts if path and path.startswith(m['mountPath'].rstrip('/') + '/')), None)
        if mount is None:
            fail(f'{where}: --{flag}={path} is not in a read-only volumeMount')
            continue
        volume = next((v for v in pod.get('volumes', []) if v['name'] == mount['name']), {})
        key = os.path.basename(path)
        if 'secret' not in volume or key not in ('tls.crt', 'tls.key'):
            fail(f'{where}: --{flag} must read {key} of the TLS Secret volume {mount["name"]}')


FILES = ['CMakeLists.txt', 'webhook/Containerfile', '.github/workflows/release.yml',
         'manifests/webhook/deployment.yaml', 'manifests/prune-cronjob/cronjob.yaml']
# Each drift must be caught: (file, text, replacement, expected error).
MUTATIONS = [
    ('manifests/webhook/deployment.yaml', 'runAsUser: 65532', 'runAsUser: 1000', 'runAsUser'),
    ('webhook/Containerfile', 'EXPOSE 9443/tcp 8081/tcp', 'EXPOSE 8443/tcp 8081/tcp', 'EXPOSE'),
    ('manifests/webhook/deployment.yaml', 'kargo-token-webhook:0.1.0', 'kargo-token-webhook:0.0.9', 'image'),
    ('CMakeLists.txt', 'VERSION 0.1.0', 'VERSION 0.2.0', 'image'),
    ('manifests/webhook/deployment.yaml', 'tls-cert-file=/etc/kargo-token-webhook/tls/', 'tls-cert-file=/tmp/',
     'tls-cert-file'),
    ('webhook/Containerfile', 'ENTRYPOINT ["/usr/local/bin/kargo-token-webhook"]',
     'ENTRYPOINT ["/kargo-token-webhook"]', 'ENTRYPOINT'),
    ('webhook/Containerfile', 'USER 65532:65532', 'USER 0', 'USER'),
    ('manifests/prune-cronjob/cronjob.yaml', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false',
     'readOnlyRootFilesystem'),
]


def self_test(source):
    """Each mutation of a copy of the files must make check() fail as expected."""
    import shutil
    import tempfile
    for path, old, new, expected in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            for f in FILES:
                os.makedirs(os.path.dirname(f'{tmp}/{f}'), exist_ok=True)
                shutil.copy(f'{source}/{f}', f'{tmp}/{f}')
            text = open(f'{tmp}/{path}').read()
            assert old in text, f'self-test: {path} no longer contains {old!r}; update MUTATIONS'
            open(f'{tmp}/{path}', 'w').write(text.replace(old, new))
            found = check(tmp)
            assert any(expected in e for e in found), f'self-test: {path}: {old!r} -> {new!r} not caught: {found}'
    print(f'{len(MUTATIONS)} mutations caught')


def check(source):
    errors.clear()
    version = re.search(r'project\(kargo-token VERSION ([0-9.]+)', open(f'{source}/CMakeLists.txt').read()).group(1)
    stages = containerfile_stages(f'{source}/webhook/Containerfile')
    workflow = yaml.safe_load(open(f'{source}/.github/workflows/release.yml'))
    env = workflow.get('env', {})
    release_steps = json.dumps(workflow)
    for target in ('webhook', 'plugin'):
        if f'--target $target' not in release_steps and f'--target {target}' not in release_steps:
            fail(f'release.yml does not build the {target} stage of webhook/Containerfile')
    if '-f webhook/Containerfile' not in release_steps:
        fail('release.yml does not build webhook/Containerfile')
    images = [('webhook', env.get('WEBHOOK_IMAGE'), 'manifests/webhook/deployment.yaml', 'webhook'),
              ('plugin', env.get('PLUGIN_IMAGE'), 'manifests/prune-cronjob/cronjob.yaml', 'prune')]
    checked = 0
    for stage_name, image, manifest, container_name in images:
        stage = stages.get(stage_name)
        if stage is None or not image:
            fail(f'no {stage_name} stage in the Containerfile or no image for it in release.yml env')
            continue
        for name, pod in pod_specs(load_all(f'{source}/{manifest}')):
            for container in pod.get('containers', []):
                if container['name'] != container_name:
                    continue
                where = f'{manifest} {name}/{container_name}'
                checked += 1
                check_common(where, pod, container, stage, image, version)
                if stage_name == 'webhook':
                    check_webhook(where, pod, container, stage)
    if checked < 3:  # the Deployment and the two CronJobs
        fail(f'found {checked} containers to check; the manifests changed shape, update this test')
    return list(errors)


def main():
    source = sys.argv[1]
    found = check(source)
    for e in found:
        print(f'error: {e}', file=sys.stderr)
    if found:
        sys.exit(1)
    print('3 containers agree with webhook/Containerfile')
    self_test(source)


if __name__ == '__main__':
    main()
