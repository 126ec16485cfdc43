#!/usr/bin/env python3
"""The release archive and the krew manifests (docs/release.md).

Builds the plugin-archive target (which packs, renders the manifest and runs
check_release.py: rules, sha256, layout, simulated krew install), checks the
archive is reproducible, and that check_release.py catches each kind of drift.

  krew_archive_test.py BUILD_DIR CPACK_COMMAND
"""
import copy
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_release  # noqa: E402
import render_krew_manifest  # noqa: E402

# (what is wrong, how to break the committed manifest, expected error text)
RULE_CASES = [
    ('upper-case sha256', lambda m: m['spec']['platforms'][0].update(sha256='E3B0' + 'a' * 60), 'lower-case hex'),
    ('long shortDescription', lambda m: m['spec'].update(shortDescription='x' * 51), 'at most 50'),
    ('two-line shortDescription', lambda m: m['spec'].update(shortDescription='a\nb'), 'one non-empty line'),
    ('overlapping platforms', lambda m: m['spec']['platforms'].append(copy.deepcopy(m['spec']['platforms'][0])),
     'overlap on linux/amd64'),
    ('selector matching nothing', lambda m: m['spec']['platforms'][0]['selector']['matchLabels'].update(os='plan9'),
     'matches no os/arch'),
    ('selector key', lambda m: m['spec']['platforms'][0]['selector']['matchLabels'].update(distro='debian'),
     "key 'distro'"),
    ('empty matchLabels', lambda m: m['spec']['platforms'][0]['selector'].update(matchLabels={}), 'specified but empty'),
    ('unknown field', lambda m: m['spec'].update(shortDesc='x'), 'unknown field "shortDesc"'),
    ('version without v', lambda m: m['spec'].update(version='0.1.0'), 'semver with a leading v'),
    ('bin outside the install dir', lambda m: m['spec']['platforms'][0].update(bin='../kubectl-kargo_token'),
     'inside the install directory'),
    ('empty files', lambda m: m['spec']['platforms'][0].update(files=[]), 'files: specified but empty'),
    ('file op without to', lambda m: m['spec']['platforms'][0]['files'][0].pop('to'), 'needs both from and to'),
    ('wrong name', lambda m: m['metadata'].update(name='kargo_token'), 'metadata.name must be kargo-token'),
    ('no completion caveat', lambda m: m['spec'].update(caveats='Enjoy.'), 'kubectl_complete-kargo_token shim'),
    ('wrong apiVersion', lambda m: m.update(apiVersion='krew.googlecontainertools.github.com/v1alpha1'),
     'apiVersion must be'),
]


def expect(errors, text, what):
    if not any(text in e for e in errors):
        raise AssertionError(f'{what}: want an error containing {text!r}, got {errors}')


def dump(manifest, path):
    with open(path, 'w') as f:
        f.write(render_krew_manifest.dump(manifest))
    return path


def main():
    build, cpack = sys.argv[1], sys.argv[2]
    source = check_release.REPO
    version = None
    run = subprocess.run(['cmake', '--build', build, '--target', 'plugin-archive'], capture_output=True, text=True)
    print(run.stdout[-3000:], run.stderr[-3000:])
    if run.returncode != 0:
        sys.exit('error: the plugin-archive target failed (see above)')
    [archive] = glob.glob(os.path.join(build, 'release', '*.tar.gz'))
    rendered_path = os.path.join(build, 'release', 'kargo-token.yaml')
    committed_path = os.path.join(source, 'manifests', 'krew', 'kargo-token.yaml')
    version = yaml.safe_load(open(committed_path))['spec']['version'][1:]
    sha = render_krew_manifest.sha256_file(archive)
    print(f'built {os.path.basename(archive)} sha256 {sha}')

    # Reproducible: packing the same build again gives the same bytes.
    with tempfile.TemporaryDirectory() as again:
        subprocess.run([cpack, '--config', os.path.join(build, 'CPackConfig.cmake'), '-B', again],
                       check=True, capture_output=True)
        [second] = glob.glob(os.path.join(again, '*.tar.gz'))
        assert render_krew_manifest.sha256_file(second) == sha, 'a second cpack run gave different bytes'
    print('reproducible: a second cpack run gives the same sha256')

    committed = yaml.safe_load(open(committed_path))
    rendered = yaml.safe_load(open(rendered_path))
    assert check_release.check(archive, rendered_path, committed_path, version) == []

    for what, breaks, text in RULE_CASES:
        broken = copy.deepcopy(committed)
        breaks(broken)
        expect(check_release.krew_rule_errors(broken, committed_path), text, what)
    print(f'{len(RULE_CASES)} krew rule violations caught')

    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, 'release')
        shutil.copytree(os.path.dirname(archive), work)
        tmp_archive = os.path.join(work, os.path.basename(archive))
        tmp_rendered = os.path.join(work, 'kargo-token.yaml')
        bumped = yaml.safe_load(yaml.safe_dump(committed).replace(f'v{version}', 'v9.9.9'))
        manifest_dir = os.path.join(tmp, 'krew')
        os.makedirs(manifest_dir)
        errors = check_release.check(tmp_archive, tmp_rendered, dump(bumped, f'{manifest_dir}/kargo-token.yaml'), version)
        expect(errors, 'spec.version differs from .krew.yaml', 'committed manifest of another version')

        wrong_sha = copy.deepcopy(rendered)
        wrong_sha['spec']['platforms'][0]['sha256'] = '0' * 64
        errors = check_release.check(tmp_archive, dump(wrong_sha, tmp_rendered), committed_path, version)
        expect(errors, 'the archive\'s is', 'rendered sha256 not the archive\'s')
        dump(rendered, tmp_rendered)

        open(tmp_archive + '.sha256', 'w').write('0' * 64 + '  x\n')
        expect(check_release.check(tmp_archive, tmp_rendered, committed_path, version), '.sha256', 'bad .sha256 file')
        shutil.copy(archive + '.sha256', tmp_archive + '.sha256')

        expect(check_release.check(tmp_archive, tmp_rendered, committed_path, '9.9.9'), 'differs', 'version drift')

        # An archive without LICENSE, packed the same way, fails layout and install.
        unpacked = os.path.join(tmp, 'unpacked')
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked)
        os.remove(os.path.join(unpacked, 'LICENSE'))
        with tarfile.open(tmp_archive, 'w:gz') as tar:
            for name in sorted(os.listdir(unpacked)):
                tar.add(os.path.join(unpacked, name), name)
        rendered_now, _ = render_krew_manifest.render(open(os.path.join(source, '.krew.yaml')).read(),
                                                      f'v{version}', work)
        rendered_now['spec']['platforms'] = [p for p in rendered_now['spec']['platforms'] if p['sha256']]
        dump(rendered_now, tmp_rendered)
        open(tmp_archive + '.sha256', 'w').write(render_krew_manifest.sha256_file(tmp_archive) + '\n')
        errors = check_release.check(tmp_archive, tmp_rendered, committed_path, version)
        expect(errors, 'want exactly', 'archive without LICENSE')
        platform = rendered_now['spec']['platforms'][0]
        try:
            check_release.krew_install(tmp_archive, platform, tempfile.mkdtemp(dir=tmp))
            raise AssertionError('krew install of an archive without LICENSE succeeded')
        except RuntimeError as e:
            assert 'LICENSE' in str(e), e
    print('drift caught: manifest version, rendered sha256, .sha256 file, project version, missing LICENSE')

    static = check_release.static_errors(archive)
    if 'KT_STATIC:BOOL=ON' in open(os.path.join(build, 'CMakeCache.txt')).read():
        assert static == [], static
        print('static: no executable needs a loader or library')
    else:
        expect(static, 'is not static', 'dynamic executables under --static')
        print('dynamic build: --static rejects it:', static[0])
    print('ok')


if __name__ == '__main__':
    main()
