#!/usr/bin/env python3
"""Checks a plugin release archive against its krew manifests; run by the
package step (plugin/packaging.cmake) and by the release tests.

  check_release.py --archive A.tar.gz --rendered kargo-token.yaml \
      --committed manifests/krew/kargo-token.yaml --version 0.1.0 [--static]

Fails (exit 1, one `error:` line per problem) when
- either manifest breaks a rule of krew's validator or krew-index CI
  (../shared/design/kubectl-plugin.md §2.2);
- the committed manifest differs from .krew.yaml rendered for this version on
  any field but sha256 (so a version bump or template edit without the
  manifest, or the reverse, is caught; sha256 values change with every
  build and are refreshed at release time, docs/release.md);
- the rendered sha256 or the .sha256 file is not the archive's;
- the archive's layout is not the expected flat one, or installing it the
  way `kubectl krew install` does leaves no LICENSE or no executable `bin`,
  or the installed plugin does not run (--help, version --client) or
  reports another version;
- with --static, an executable in the archive needs a dynamic loader or library.
"""
import argparse
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render_krew_manifest  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = 'kargo-token'
ARCHIVE_FILES = ['LICENSE', 'README.md', 'kubectl-kargo_token', 'kubectl_complete-kargo_token']
EXECUTABLES = ['kubectl-kargo_token', 'kubectl_complete-kargo_token']
# krew cmd/validate-krew-manifest: allPlatforms() and the license file names.
ALL_PLATFORMS = [('windows', '386'), ('windows', 'amd64'), ('windows', 'arm64'), ('linux', '386'),
                 ('linux', 'amd64'), ('linux', 'arm'), ('linux', 'arm64'), ('linux', 'ppc64le'),
                 ('darwin', '386'), ('darwin', 'amd64'), ('darwin', 'arm64')]
LICENSE_NAMES = {'license', 'license.txt', 'license.md', 'licenses', 'licenses.txt', 'licenses.md',
                 'copying', 'copying.txt'}
WINDOWS_RESERVED = {'con', 'prn', 'aux', 'nul'} | {f'{p}{i}' for p in ('com', 'lpt') for i in range(1, 10)}
SEMVER_V = re.compile(r'^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$')
KNOWN_FIELDS = {
    '': {'apiVersion', 'kind', 'metadata', 'spec'},
    'spec': {'version', 'homepage', 'shortDescription', 'description', 'caveats', 'platforms'},
    'platform': {'selector', 'uri', 'sha256', 'bin', 'files'},
    'selector': {'matchLabels', 'matchExpressions'},
    'file': {'from', 'to'},
}
SHORT_DESCRIPTION_MAX = 50  # krew-index review asks for "a few words"; our issue says <= 50


def unknown_fields(obj, kind, where):
    if not isinstance(obj, dict):
        return [f'{where}: must be a mapping']
    extra = sorted(set(obj) - KNOWN_FIELDS[kind])
    return [f'{where}: unknown field "{k}" (krew reads manifests strictly)' for k in extra]


def selector_matches(selector, os_name, arch):
    labels = {'os': os_name, 'arch': arch}
    for key, value in (selector.get('matchLabels') or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get('matchExpressions') or []:
        key, op, values = expr.get('key'), expr.get('operator'), expr.get('values') or []
        if op == 'In' and labels.get(key) not in values:
            return False
        if op == 'NotIn' and labels.get(key) in values:
            return False
        if op == 'DoesNotExist' and key in labels:
            return False
    return True


def selector_errors(selector, where):
    if not selector:
        return [f'{where}.selector: must be set and non-empty']
    errors = unknown_fields(selector, 'selector', f'{where}.selector')
    for field in ('matchLabels', 'matchExpressions'):
        if field in selector and not selector[field]:
            errors.append(f'{where}.selector.{field}: specified but empty')
    keys = list((selector.get('matchLabels') or {}).keys())
    for expr in selector.get('matchExpressions') or []:
        keys.append(expr.get('key'))
        if expr.get('operator') not in ('In', 'NotIn', 'Exists', 'DoesNotExist'):
            errors.append(f'{where}.selector: unknown operator {expr.get("operator")!r}')
    for key in keys:
        if key not in ('os', 'arch'):
            errors.append(f'{where}.selector: key {key!r} is not one of os, arch')
    return errors


def inside(path):
    """Whether a relative path stays inside the directory it is relative to."""
    norm = os.path.normpath(path)
    return not os.path.isabs(path) and norm != '..' and not norm.startswith('../')


def krew_rule_errors(manifest, filename, require_sha=True):
    """The rules of krew's validate.go and krew-index CI that need no download."""
    if not isinstance(manifest, dict):
        return [f'{filename}: not a YAML mapping']
    errors = unknown_fields(manifest, '', filename)
    if manifest.get('apiVersion') != 'krew.googlecontainertools.github.com/v1alpha2':
        errors.append(f'{filename}: apiVersion must be krew.googlecontainertools.github.com/v1alpha2')
    if manifest.get('kind') != 'Plugin':
        errors.append(f'{filename}: kind must be Plugin')
    name = (manifest.get('metadata') or {}).get('name', '')
    if not re.fullmatch(r'[\w-]+', name or '') or name.lower() in WINDOWS_RESERVED:
        errors.append(f'{filename}: metadata.name {name!r} is not a valid plugin name')
    if name != PLUGIN:
        errors.append(f'{filename}: metadata.name must be {PLUGIN}')
    if not filename.endswith('.yaml') or os.path.basename(filename) != f'{name}.yaml':
        errors.append(f'{filename}: file name must be metadata.name + ".yaml" ({name}.yaml)')
    spec = manifest.get('spec') or {}
    errors += unknown_fields(spec, 'spec', f'{filename}: spec')
    if not SEMVER_V.match(str(spec.get('version', ''))):
        errors.append(f'{filename}: spec.version {spec.get("version")!r} is not semver with a leading v')
    short = spec.get('shortDescription') or ''
    if not short or '\n' in short or '\r' in short:
        errors.append(f'{filename}: spec.shortDescription must be one non-empty line')
    if len(short) > SHORT_DESCRIPTION_MAX:
        errors.append(f'{filename}: spec.shortDescription is {len(short)} characters; at most {SHORT_DESCRIPTION_MAX}')
    if not (spec.get('description') or '').strip():
        errors.append(f'{filename}: spec.description must be set')
    caveats = spec.get('caveats') or ''
    if 'kubectl_complete-kargo_token' not in caveats or '__complete' not in caveats:
        errors.append(f'{filename}: spec.caveats must tell how to add the kubectl_complete-kargo_token shim '
                      '(krew installs only one executable)')
    platforms = spec.get('platforms') or []
    if not platforms:
        errors.append(f'{filename}: spec.platforms must list at least one platform')
    selected = {}
    for i, p in enumerate(platforms):
        where = f'{filename}: spec.platforms[{i}]'
        errors += unknown_fields(p, 'platform', where)
        if not isinstance(p, dict):
            continue
        uri = p.get('uri') or ''
        if not (uri.endswith('.tar.gz') or uri.endswith('.zip')):
            errors.append(f'{where}.uri {uri!r} must name a .tar.gz or .zip archive')
        sha = p.get('sha256')
        if (require_sha or sha is not None) and not re.fullmatch(r'[a-f0-9]{64}', str(sha)):
            errors.append(f'{where}.sha256 {sha!r} must be 64 lower-case hex digits')
        bin_path = p.get('bin') or ''
        if not bin_path or not inside(bin_path):
            errors.append(f'{where}.bin {bin_path!r} must be a path inside the install directory')
        files = p.get('files')
        if files is not None:
            if not files:
                errors.append(f'{where}.files: specified but empty')
            for j, op in enumerate(files or []):
                errors += unknown_fields(op, 'file', f'{where}.files[{j}]')
                if not isinstance(op, dict) or not op.get('from') or not op.get('to'):
                    errors.append(f'{where}.files[{j}]: needs both from and to')
                elif op['to'] != os.path.normpath(op['to']) or not inside(op['to']):
                    errors.append(f'{where}.files[{j}].to {op["to"]!r} must be a clean path inside the install dir')
        selector = p.get('selector')
        errors += selector_errors(selector, where)
        matched = [pair for pair in ALL_PLATFORMS if selector and selector_matches(selector, *pair)]
        if selector and not matched:
            errors.append(f'{where}.selector matches no os/arch krew supports')
        for pair in matched:
            if pair in selected:
                errors.append(f'{filename}: spec.platforms[{selected[pair]}] and [{i}] overlap on {"/".join(pair)}')
            selected[pair] = i
    return errors


def without_sha(manifest):
    copy = yaml.safe_load(yaml.safe_dump(manifest))
    for p in (copy.get('spec') or {}).get('platforms') or []:
        if isinstance(p, dict):
            p.pop('sha256', None)
    return copy


def differences(a, b, path=''):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), f'{path}.{k}' if path else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f'{path}[{i}]')]
    return [] if a == b else [path]


def drift_errors(committed, template_render, committed_name):
    """The committed manifest must be the template rendered for this version, sha256 aside."""
    diff = differences(without_sha(committed), without_sha(template_render))
    return [f'{committed_name}: {field} differs from .krew.yaml rendered for this version; '
            f'update the manifest (docs/release.md)' for field in diff]


def platform_for(manifest, archive_name):
    for p in manifest['spec']['platforms']:
        if p.get('uri', '').rsplit('/', 1)[-1] == archive_name:
            return p
    return None


def archive_errors(archive):
    """Flat layout, fixed owner and time, gzip without a timestamp."""
    errors = []
    with open(archive, 'rb') as f:
        header = f.read(10)
    if header[:2] != b'\x1f\x8b' or header[4:8] != b'\0\0\0\0':
        errors.append(f'{archive}: not a gzip file without a timestamp (not reproducible)')
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name not in ('.', './')]
    names = sorted(os.path.normpath(m.name) for m in members)
    if names != ARCHIVE_FILES:
        errors.append(f'{archive}: holds {names}; want exactly {ARCHIVE_FILES} at the top level')
    if len({m.mtime for m in members}) > 1 or any(m.uid or m.gid for m in members):
        errors.append(f'{archive}: entries must share one mtime and belong to uid/gid 0 (not reproducible)')
    for m in members:
        want = 0o755 if os.path.normpath(m.name) in EXECUTABLES else 0o644
        if not m.isfile() or m.mode & 0o7777 != want:
            errors.append(f'{archive}: {m.name} must be a regular file with mode {want:o}, has {m.mode & 0o7777:o}')
    return errors


def krew_install(archive, platform, krew_root):
    """What `kubectl krew install --manifest M --archive A` does on disk
    (krew internal/installation/install.go, move.go); returns the bin path."""
    extract = tempfile.mkdtemp(dir=krew_root)
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            if not inside(m.name) or not (m.isfile() or m.isdir()):
                raise RuntimeError(f'{archive}: entry {m.name!r} escapes the archive or is not a plain file')
        tar.extractall(extract)
    install_dir = os.path.join(krew_root, 'store', PLUGIN, 'installed')
    os.makedirs(install_dir)
    for op in platform.get('files') or [{'from': '*', 'to': '.'}]:
        direct = os.path.join(extract, op['from'])
        if os.path.exists(direct):
            to = os.path.join(install_dir, os.path.basename(direct) if op['to'] == '.' else op['to'])
            moves = [(direct, to)]
        else:
            matched = sorted(glob.glob(os.path.join(extract, op['from'])))
            if not matched:
                raise RuntimeError(f'no files in the plugin archive matched the glob pattern={op["from"]}')
            moves = [(m, os.path.join(install_dir, op['to'], os.path.basename(m))) for m in matched]
        for src, dst in moves:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.move(src, dst)
    bin_path = os.path.join(install_dir, platform['bin'])
    os.makedirs(os.path.join(krew_root, 'bin'))
    os.symlink(bin_path, os.path.join(krew_root, 'bin', 'kubectl-' + PLUGIN.replace('-', '_')))
    return install_dir, bin_path


def run(cmd, env):
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)


def installed_plugin_errors(archive, manifest, version):
    platform = platform_for(manifest, os.path.basename(archive))
    if platform is None:
        return [f'no platform of the rendered manifest downloads {os.path.basename(archive)}']
    errors = []
    with tempfile.TemporaryDirectory() as root:
        try:
            install_dir, bin_path = krew_install(archive, platform, root)
        except RuntimeError as e:
            return [f'krew install of {archive}: {e}']
        if not any(f.lower() in LICENSE_NAMES for f in os.listdir(install_dir)):
            errors.append(f'krew install of {archive}: no license file extracted (krew-index requires one)')
        if not os.path.isfile(bin_path) or not os.access(bin_path, os.X_OK):
            return errors + [f'krew install of {archive}: bin {platform["bin"]} is not an executable file']
        env = dict(os.environ, KREW_ROOT=root, HOME=root, KUBECONFIG=os.path.join(root, 'no-kubeconfig'),
                   PATH=os.path.join(root, 'bin') + os.pathsep + os.environ.get('PATH', ''))
        linked = os.path.join(root, 'bin', 'kubectl-kargo_token')
        help_run = run([linked, '--help'], env)
        if help_run.returncode != 0 or 'kubectl kargo-token' not in help_run.stdout:
            errors.append(f'installed plugin: --help failed ({help_run.returncode}): {help_run.stderr.strip()}')
        version_run = run([linked, 'version', '--client'], env)
        if version_run.returncode != 0 or f'Client Version: v{version} ' not in version_run.stdout:
            errors.append(f'installed plugin: `version --client` printed {version_run.stdout.strip()!r}, '
                          f'want Client Version: v{version}')
        if shutil.which('kubectl', path=env['PATH']):
            via = run(['kubectl', PLUGIN, 'version', '--client'], env)
            if via.returncode != 0 or f'v{version}' not in via.stdout:
                errors.append(f'kubectl does not find the installed plugin: {via.stderr.strip()}')
        errors += caveat_shim_errors(manifest, archive, root, env)
    return errors


def caveat_shim_errors(manifest, archive, root, env):
    """Runs the caveats' completion shim commands and compares the shim with
    the archive's kubectl_complete-kargo_token."""
    lines = [line[2:] for line in manifest['spec'].get('caveats', '').splitlines() if line.startswith('  ')]
    setup = run(['bash', '-euc', '\n'.join(lines)], env)
    shim = os.path.join(root, 'bin', 'kubectl_complete-kargo_token')
    if setup.returncode != 0 or not os.access(shim, os.X_OK):
        return [f'caveats: the completion shim commands failed: {setup.stderr.strip()}']
    with tempfile.TemporaryDirectory() as extract:
        with tarfile.open(archive) as tar:
            tar.extract('kubectl_complete-kargo_token', extract)
        real = run([os.path.join(extract, 'kubectl_complete-kargo_token'), ''], env)
    via_shim = run([shim, ''], env)
    if via_shim.returncode != 0 or via_shim.stdout != real.stdout or 'create' not in real.stdout:
        return [f'caveats: the shim completes {via_shim.stdout!r}, the archive\'s completer {real.stdout!r}']
    return []


def static_errors(archive):
    errors = []
    with tempfile.TemporaryDirectory() as extract:
        with tarfile.open(archive) as tar:
            for name in EXECUTABLES:
                tar.extract(name, extract)
                out = subprocess.run(['readelf', '-ldW', os.path.join(extract, name)],
                                     capture_output=True, text=True, check=True).stdout
                needed = re.findall(r'\(NEEDED\).*\[(.*)\]', out)
                if 'INTERP' in out or needed:
                    errors.append(f'{archive}: {name} is not static: needs '
                                  f'{", ".join(needed) or "a dynamic loader"}')
    return errors


def check(archive, rendered_path, committed_path, version, static=False, template_path=None):
    errors = []
    with open(rendered_path) as f:
        rendered = yaml.safe_load(f)
    with open(committed_path) as f:
        committed = yaml.safe_load(f)
    errors += krew_rule_errors(rendered, rendered_path)
    errors += krew_rule_errors(committed, committed_path)
    with open(template_path or os.path.join(REPO, '.krew.yaml')) as f:
        full, _ = render_krew_manifest.render(f.read(), f'v{version}', os.path.dirname(archive))
    errors += drift_errors(committed, full, committed_path)
    errors += drift_errors(rendered, dict(full, spec=dict(full['spec'], platforms=[
        p for p in full['spec']['platforms'] if p['sha256'] is not None])), rendered_path)
    name = os.path.basename(archive)
    if f'_v{version}_' not in name:
        errors.append(f'{archive}: name does not carry version v{version}')
    sha = render_krew_manifest.sha256_file(archive)
    platform = platform_for(rendered, name) if isinstance(rendered, dict) else None
    if platform is None or platform.get('sha256') != sha:
        errors.append(f'{rendered_path}: sha256 for {name} is {platform and platform.get("sha256")!r}, '
                      f'the archive\'s is {sha}')
    sha_file = archive + '.sha256'
    if not os.path.isfile(sha_file) or open(sha_file).read().split()[:1] != [sha]:
        errors.append(f'{sha_file}: missing or not the archive\'s sha256 {sha}')
    errors += archive_errors(archive)
    if not errors:
        errors += installed_plugin_errors(archive, rendered, version)
    if static:
        errors += static_errors(archive)
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--archive', required=True)
    parser.add_argument('--rendered', required=True)
    parser.add_argument('--committed', required=True)
    parser.add_argument('--version', required=True, help='the CMake project version, e.g. 0.1.0')
    parser.add_argument('--static', action='store_true', help='also require static executables')
    args = parser.parse_args()
    errors = check(args.archive, args.rendered, args.committed, args.version, args.static)
    for e in errors:
        print(f'error: {e}', file=sys.stderr)
    if errors:
        sys.exit(1)
    print(f'{os.path.basename(args.archive)}: krew manifest, sha256, layout and install check out')


if __name__ == '__main__':
    main()
