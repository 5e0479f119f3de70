#!/usr/bin/env python3
"""valgrind (callgrind) names wasm functions in a `kiln run`, with no flag.

aotc keeps a symbol table in each artifact by default, functions named by
the name section, else wasm-function[N] (abi/function_names.h), with the
writable segment valgrind 3.19 needs before it reads one; under valgrind
the loader maps the artifact from a private named copy, removed once mapped.

Checks: the artifact's .symtab names (readelf); a `kiln run` under
callgrind gives the right result and callgrind_annotate lists both
functions by name, in the copy's file; the copy's directory is gone after
the run; an artifact built with --no-symbols has no .symtab and no writable
segment, and still runs under valgrind.

usage: valgrind_names.py --aotc AOTC --kiln KILN
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Compiled at -O0 so that the named function is not inlined into its caller.
MODULE = r'''
(module
  (memory 1)
  (func $hot_loop (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $i)))
      (i32.store (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 4095)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $hot_loop (local.get 0)) (i32.load (i32.const 0)))))
'''

from tally import Tally

TALLY = Tally('valgrind-names')
check = TALLY.check


def expected(n):
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) & 0xFFFFFFFF
    # i32.load(0): the value stored at i = 0 and i = 1024, 2048, ... (& 4095 of i*4)
    last0 = 0
    acc2 = 0
    for i in range(n):
        acc2 = (acc2 * 31 + i) & 0xFFFFFFFF
        if (i * 4) & 4095 == 0:
            last0 = acc2
    total = (acc + last0) & 0xFFFFFFFF
    return total if total < 2 ** 31 else total - 2 ** 32


def symbols(readelf, artifact):
    out = subprocess.run([readelf, '-sW', artifact], capture_output=True, text=True, check=True).stdout
    names = set()
    in_symtab = False
    for line in out.splitlines():
        if line.startswith("Symbol table '"):
            in_symtab = "'.symtab'" in line
        elif in_symtab and ' FUNC ' in line:
            names.add(line.split()[-1])
    return names, "'.symtab'" in out


def writable_segments(readelf, artifact):
    out = subprocess.run([readelf, '-lW', artifact], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines()
               if line.split()[:1] == ['LOAD'] and 'W' in line.split()[-2:-1][0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--aotc', required=True)
    ap.add_argument('--kiln', required=True)
    a = ap.parse_args()
    valgrind, annotate, readelf = (shutil.which(t) for t in ('valgrind', 'callgrind_annotate', 'readelf'))
    if not (valgrind and annotate and readelf):
        why = 'valgrind, callgrind_annotate or readelf not found (apt install valgrind binutils)'
        if os.environ.get('CI') == 'true':
            print('FAIL: ' + why + ', and CI must run this test')
            return 1
        print('skipped: ' + why)
        return 77
    with tempfile.TemporaryDirectory(prefix='kiln-valgrind-') as work:
        wat = os.path.join(work, 'm.wat')
        with open(wat, 'w') as f:
            f.write(MODULE)
        artifact = os.path.join(work, 'named.so')
        stripped = os.path.join(work, 'stripped.so')
        subprocess.run([a.aotc, '-O0', wat, '-o', artifact], check=True)
        subprocess.run([a.aotc, '-O0', '--no-symbols', wat, '-o', stripped], check=True)

        names, has_symtab = symbols(readelf, artifact)
        check(has_symtab and {'hot_loop', 'wasm-function[1]'} <= names,
              'the artifact names its functions in .symtab: %r' % sorted(names))
        check(not any(re.fullmatch(r'kiln_f\d+', n) for n in names), 'no kiln_f<N> left: %r' % sorted(names))
        check(writable_segments(readelf, artifact) == 1, 'one writable segment, for valgrind')
        _, stripped_symtab = symbols(readelf, stripped)
        check(not stripped_symtab, '--no-symbols: no .symtab')
        check(writable_segments(readelf, stripped) == 0, '--no-symbols: no writable segment')

        n = 200000
        tmp = os.path.join(work, 'tmp')
        os.mkdir(tmp)
        env = dict(os.environ, TMPDIR=tmp)
        out_file = os.path.join(work, 'callgrind.out')
        run = subprocess.run([valgrind, '--tool=callgrind', '--callgrind-out-file=' + out_file,
                              a.kiln, 'run', '--invoke', 'run', artifact, str(n)],
                             capture_output=True, text=True, env=env, timeout=600)
        check(run.returncode == 0 and run.stdout.strip() == str(expected(n)),
              'run(%d) under callgrind: status %d, %r %r' % (n, run.returncode, run.stdout,
                                                             run.stderr[-2000:]))
        report = subprocess.run([annotate, '--inclusive=yes', out_file], capture_output=True,
                                text=True).stdout if os.path.exists(out_file) else ''
        for name in ('hot_loop', 'wasm-function[1]'):
            check(re.search(r':%s \[[^]]*/named\.so\]' % re.escape(name), report) is not None,
                  'callgrind_annotate names %s in named.so:\n%s' % (name, report[-3000:]))
        check(os.listdir(tmp) == [], 'the copy for valgrind is removed: %r' % os.listdir(tmp))

        run = subprocess.run([valgrind, '--tool=none', a.kiln, 'run', '--invoke', 'run', stripped, '1000'],
                             capture_output=True, text=True, env=env, timeout=600)
        check(run.returncode == 0 and run.stdout.strip() == str(expected(1000)),
              'a --no-symbols artifact runs under valgrind: status %d, %r %r' %
              (run.returncode, run.stdout, run.stderr[-2000:]))
    return TALLY.finish()


if __name__ == '__main__':
    sys.exit(main())
