#!/usr/bin/env python3
"""Renders the krew-release-bot template (.krew.yaml) the way the bot does.

The bot expands `{{ .TagName }}` and `{{addURIAndSha "URL" .TagName }}` (a
`uri:` line plus a `sha256:` line computed from the published asset). Here
the sha256 comes from the archive of the same name in --archives; with
--only-present, platforms whose archive was not built here are left out (the
package step builds one platform), otherwise a missing archive is an error.

  render_krew_manifest.py --template .krew.yaml --tag v0.1.0 --archives DIR [--only-present] --output FILE
"""
import argparse
import hashlib
import os
import re
import sys

import yaml

_URI_AND_SHA = re.compile(r'^(?P<indent>[ \t]*)\{\{\s*addURIAndSha\s+"(?P<url>[^"]+)"\s+\.TagName\s*\}\}[ \t]*$',
                          re.MULTILINE)
_TAG = re.compile(r'\{\{\s*\.TagName\s*\}\}')
_ABSENT = 'absent'


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def render(template, tag, archives):
    """Returns (manifest dict, names of archives not in `archives`).

    Platforms without an archive keep sha256 None."""
    missing = []

    def uri_and_sha(m):
        url = _TAG.sub(tag, m.group('url'))
        name = url.rsplit('/', 1)[-1]
        path = os.path.join(archives, name)
        sha = sha256_file(path) if os.path.isfile(path) else _ABSENT
        if sha == _ABSENT:
            missing.append(name)
        return f"{m.group('indent')}uri: {url}\n{m.group('indent')}sha256: {sha}"

    text = _URI_AND_SHA.sub(uri_and_sha, template)
    if '{{' in _TAG.sub(tag, text):
        raise ValueError('template uses more than {{ .TagName }} and {{addURIAndSha "URL" .TagName }}')
    manifest = yaml.safe_load(_TAG.sub(tag, text))
    for platform in manifest.get('spec', {}).get('platforms', []):
        if platform.get('sha256') == _ABSENT:
            platform['sha256'] = None
    return manifest, missing


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, as in the template."""


_BlockDumper.add_representer(str, lambda d, s: d.represent_scalar(
    'tag:yaml.org,2002:str', s, style='|' if '\n' in s else None))


def dump(manifest):
    return yaml.dump(manifest, Dumper=_BlockDumper, sort_keys=False, width=1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--template', required=True)
    parser.add_argument('--tag', required=True)
    parser.add_argument('--archives', required=True)
    parser.add_argument('--only-present', action='store_true')
    parser.add_argument('--output', required=True)
    args = parser.parse_args()
    with open(args.template) as f:
        manifest, missing = render(f.read(), args.tag, args.archives)
    platforms = manifest['spec']['platforms']
    if args.only_present:
        platforms[:] = [p for p in platforms if p['sha256'] is not None]
        if not platforms:
            sys.exit(f'error: no archive named in {args.template} is in {args.archives}: '
                     'build it first (cmake --build BUILD --target plugin-archive)')
    elif missing:
        sys.exit(f'error: {", ".join(missing)} not in {args.archives}: put every platform\'s archive there')
    with open(args.output, 'w') as f:
        f.write(dump(manifest))


if __name__ == '__main__':
    main()
