#!/usr/bin/env python3
"""Every `kubectl kargo-token ...` (or `kubectl-kargo_token ...`) command in a
code block of README.md and docs/*.md still parses: `kubectl-kargo_token
<subcommand> --help` succeeds and names every flag the example uses, so a doc
example with a renamed or removed flag or command fails here.

  docs_commands_test.py PLUGIN_BINARY SOURCE_DIR
"""
import glob
import os
import re
import shlex
import subprocess
import sys

PLUGIN_RE = re.compile(r'(?:kubectl kargo-token|kubectl-kargo_token)(?=\s|$)')
TOP = {'create', 'get', 'delete', 'rotate', 'prune', 'role', 'roles', 'completion', 'version'}
ROLE_VERBS = {'create', 'get', 'delete'}
HIDDEN = {'__complete', '__completeNoDesc'}  # kubectl's completion protocol, no --help
SHELL_STOP = {'|', '||', '&&', ';', '>', '>>', '2>', '2>&1', '<', ')', '&'}


def code_blocks(path):
    """(line number, line) of every line inside ``` fences."""
    inside = False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.lstrip().startswith('```'):
                inside = not inside
            elif inside:
                yield n, line.rstrip('\n')


def commands(path):
    """(line number, argument list) of each plugin command in the file's code blocks."""
    for n, line in code_blocks(path):
        text = line.strip()
        if text.startswith('$ '):
            text = text[2:]
        match = PLUGIN_RE.search(text)
        # A command line starts with the plugin (or sources its output); output
        # lines that quote a command ("See 'kubectl kargo-token ...'") do not.
        if not match or not (match.start() == 0 or text[:match.start()].rstrip().endswith('<(')):
            continue
        rest = text[match.end():].split(' #', 1)[0]
        lexer = shlex.shlex(rest, posix=True, punctuation_chars='|&;<>()')
        lexer.whitespace_split = True
        args = []
        for token in lexer:
            if token in SHELL_STOP or token.startswith(('|', '&', ';', '>', ')')):
                break
            args.append(token)
        yield n, args


def command_path(args):
    """The subcommand path of an argument list: ['role', 'create'], ['get'], []."""
    words = [a for a in args if not a.startswith('-')]
    if not words or words[0] not in TOP | HIDDEN:
        return []
    if words[0] in ('role', 'roles'):
        return ['role'] + ([words[1]] if len(words) > 1 and words[1] in ROLE_VERBS else [])
    if words[0] in ROLE_VERBS and len(words) > 1 and words[1] in ('role', 'roles'):
        return ['role', words[0]]  # the kargo CLI's verb-first form
    return [words[0]]


def flag_names(args):
    names = []
    for a in args:
        if a in ('-', '--') or not a.startswith('-'):
            continue
        if a.startswith('--'):
            names.append(a.split('=', 1)[0])
        else:
            names.append(a[:2])  # -o, -oyaml, -o=json
    return names


def help_text(binary, path, env):
    run = subprocess.run([binary] + path + ['--help'], capture_output=True, text=True, env=env, timeout=60)
    return run.returncode, run.stdout + run.stderr


def check(binary, source):
    env = dict(os.environ, KUBECONFIG=os.devnull)
    docs = [os.path.join(source, 'README.md')] + sorted(glob.glob(os.path.join(source, 'docs', '**', '*.md'),
                                                                  recursive=True))
    root_code, root_help = help_text(binary, [], env)
    if root_code != 0:
        return [f'{binary} --help failed: {root_help}'], 0
    errors, count, helps = [], 0, {}
    for doc in docs:
        for line, args in commands(doc):
            count += 1
            where = f'{os.path.relpath(doc, source)}:{line}: kubectl kargo-token {" ".join(args)}'
            path = command_path(args)
            if args and not path and not args[0].startswith('-'):
                errors.append(f'{where}: unknown command {args[0]!r}')
                continue
            if path and path[0] in HIDDEN:
                continue
            key = ' '.join(path)
            if key not in helps:
                helps[key] = help_text(binary, path, env)
            code, text = helps[key]
            if code != 0:
                errors.append(f'{where}: `kubectl-kargo_token {key} --help` failed: {text.strip()}')
                continue
            for flag in flag_names(args):
                pattern = re.compile(r'(?<![\w-])' + re.escape(flag) + r'(?![\w-])')
                if not pattern.search(text) and not pattern.search(root_help):
                    errors.append(f'{where}: flag {flag} is not in `kubectl-kargo_token {key} --help`; '
                                  'fix the example or the command')
    return errors, count


def self_test():
    """The parser itself: a mistake here would silently check nothing."""
    assert command_path(['create', '--system', '--role', 'kargo-admin', 't1']) == ['create']
    assert command_path(['role', 'create', '-p', 'p', 'ci']) == ['role', 'create']
    assert command_path(['get', 'roles', '--system']) == ['role', 'get']
    assert command_path(['--context', 'x']) == []
    assert flag_names(['get', 'tokens', '-A', '-o=wide', '--role=x', '-oyaml', '--']) == ['-A', '-o', '--role', '-o']


def self_test_on_binary(binary):
    """A doc with a removed flag and an unknown command must fail."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, 'README.md'), 'w') as f:
            f.write('```sh\n$ kubectl kargo-token get tokens --system --no-such-flag\n'
                    '$ kubectl kargo-token frobnicate\n$ kubectl kargo-token role create -p p ci --rule x\n```\n')
        errors, count = check(binary, tmp)
    assert count == 3, count
    assert any('flag --no-such-flag is not in' in e for e in errors), errors
    assert any("unknown command 'frobnicate'" in e for e in errors), errors
    assert len(errors) == 2, errors


def main():
    binary, source = sys.argv[1], sys.argv[2]
    self_test()
    self_test_on_binary(binary)
    errors, count = check(binary, source)
    for e in errors:
        print(f'error: {e}', file=sys.stderr)
    if count < 10:
        errors.append(f'only {count} commands found in the docs; the parser is broken')
        print(f'error: {errors[-1]}', file=sys.stderr)
    print(f'{count} documented commands checked, {len(errors)} problems')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
