#!/usr/bin/env python3
"""Runs aotc over the fuzz corpus and every saved crash/hang input.

Each input must either compile (exit 0) or be rejected cleanly: exit 1 with a
one-line "error: ..." message that is not an internal compiler error, within
the timeout. The options for each input are the ones the compile fuzzer picks
for it (tests/fuzz/fuzz_options.h), so a saved crash reproduces as found.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def input_hash(data: bytes) -> int:
    """FNV-1a, as kiln::fuzz::input_hash."""
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def options_for_input(data: bytes) -> list:
    """As kiln::fuzz::options_for_input."""
    h = input_hash(data)
    options = ['-O%d' % (0, 0, 0, 0, 0, 1, 2, 3)[h & 7]]
    if (h >> 3) & 3 == 0:
        options.append('--bounds-checks=explicit')
    if (h >> 5) & 3 == 0:
        options.append('--interruptible')
    return options


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                full = os.path.join(path, name)
                if os.path.isfile(full) and not name.startswith('.') and not name.endswith('.md'):
                    files.append(full)
        elif os.path.isfile(path):
            files.append(path)
        else:
            print('warning: %s does not exist' % path)
    return files


def check(aotc, path, work, timeout):
    """Returns None when aotc behaved, else a one-line reason."""
    with open(path, 'rb') as f:
        data = f.read()
    # The fuzzer hands every input to the binary decoder; a .wasm name makes
    # aotc do the same whatever the bytes are.
    src = os.path.join(work, 'input.wasm')
    out = os.path.join(work, 'input.so')
    with open(src, 'wb') as f:
        f.write(data)
    if os.path.exists(out):
        os.remove(out)
    options = options_for_input(data)
    cmd = [aotc, src, '-o', out] + options
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors='replace', timeout=timeout)
    except subprocess.TimeoutExpired:
        return 'timed out after %ss (%s)' % (timeout, ' '.join(options))
    lines = proc.stderr.strip().splitlines()
    if proc.returncode == 0:
        return None
    if proc.returncode == 1 and len(lines) == 1 and lines[0].startswith('error: '):
        if 'internal compiler error' in lines[0]:
            return '%s (%s)' % (lines[0], ' '.join(options))
        return None
    detail = lines[-1] if lines else ''
    if proc.returncode < 0:
        return 'killed by signal %d (%s) %s' % (-proc.returncode, ' '.join(options), detail)
    return 'exit %d (%s) %s' % (proc.returncode, ' '.join(options), detail)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--aotc', required=True)
    parser.add_argument('--timeout', type=float, default=120)
    parser.add_argument('paths', nargs='+', help='files or directories of inputs')
    args = parser.parse_args()

    files = collect(args.paths)
    passed = failed = 0
    work = tempfile.mkdtemp(prefix='kiln-fuzz-regressions-')
    try:
        for path in files:
            problem = check(args.aotc, path, work, args.timeout)
            if problem:
                failed += 1
                print('FAIL %s: %s' % (path, problem))
            else:
                passed += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not files:
        print('error: no inputs found')
        return 1
    print('fuzz-regressions: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
