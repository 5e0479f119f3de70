#!/usr/bin/env python3
"""aotc names the proposal a module needs when it refuses it.

Converts the proposal scripts of the spec suite (exception-handling,
tail-call, extended-const, multi-memory, memory64, threads) with wast2json and
compiles every module they declare valid, with the proposal disabled where
aotc implements it (--disable-NAME). Each module must either compile (it uses
nothing from the proposal) or fail with one `error:` line that names the
proposal; and in every script directory at least one module must be refused
naming it. Exits 77 (skipped) when the
suite or wast2json is missing.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

# Directory under proposals/ -> (what aotc's message must contain, aotc's
# extra arguments): implemented proposals are refused only when disabled.
PROPOSALS = {
    'exception-handling': ('exception-handling proposal, disabled by --disable-exception-handling',
                           ['--disable-exception-handling']),
    'tail-call': ('tail-call proposal, disabled by --disable-tail-call', ['--disable-tail-call']),
    'extended-const': ('extended-const proposal, disabled by --disable-extended-const',
                       ['--disable-extended-const']),
    'multi-memory': ('multi-memory proposal, disabled by --disable-multi-memory',
                     ['--disable-multi-memory']),
    'memory64': ('memory64 proposal, disabled by --disable-memory64', ['--disable-memory64']),
    'threads': ('threads proposal, disabled by --disable-threads', ['--disable-threads']),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--aotc', required=True)
    parser.add_argument('--wast2json', default='wast2json')
    parser.add_argument('--suite', required=True, help='the testsuite directory (holding proposals/)')
    args = parser.parse_args()
    suite = os.environ.get('KILN_TESTSUITE_ROOT', args.suite)
    if not os.path.isdir(os.path.join(suite, 'proposals')):
        print('skipped: no spec suite at %s (put the testsuite there, beside the checkout, or set '
              'KILN_TESTSUITE_ROOT=DIR)' % suite)
        return 1 if os.environ.get('CI') == 'true' else 77
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix='kiln-proposals-') as work:
        for name, (needle, extra) in PROPOSALS.items():
            refused = compiled = 0
            for wast in sorted(glob.glob(os.path.join(suite, 'proposals', name, '*.wast'))):
                out = os.path.join(work, name, os.path.basename(wast)[:-5])
                os.makedirs(out, exist_ok=True)
                json_path = os.path.join(out, 'script.json')
                conv = subprocess.run([args.wast2json, '--enable-all', wast, '-o', json_path],
                                      capture_output=True, text=True)
                if conv.returncode != 0:
                    print('FAIL %s: wast2json: %s' % (wast, conv.stderr.strip()[:200]))
                    failed += 1
                    continue
                with open(json_path) as f:
                    commands = json.load(f)['commands']
                for command in commands:
                    wasm = command.get('filename', '')
                    if command['type'] != 'module' or not wasm.endswith('.wasm'):
                        continue
                    r = subprocess.run([args.aotc, '-O0'] + extra + [os.path.join(out, wasm), '-o',
                                        os.path.join(out, 'module.so')],
                                       capture_output=True, text=True, timeout=300)
                    lines = r.stderr.strip().splitlines()
                    where = '%s/%s line %d' % (name, os.path.basename(wast), command['line'])
                    if r.returncode == 0:
                        compiled += 1
                    elif r.returncode == 1 and len(lines) == 1 and needle in lines[0]:
                        refused += 1
                    else:
                        print('FAIL %s: exit %d: %s' % (where, r.returncode, r.stderr.strip()[:300]))
                        failed += 1
            if refused == 0:
                print('FAIL %s: no module refused naming the %s' % (name, needle))
                failed += 1
            else:
                print('ok   %s: %d refused naming it, %d compiled' % (name, refused, compiled))
                passed += 1
    print('unsupported-proposals: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
