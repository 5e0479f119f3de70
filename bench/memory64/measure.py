#!/usr/bin/env python3
"""What memory64's explicit bounds checks cost on a load-bound loop.

Compiles sum_i32.wat (guard pages, and again with --bounds-checks=explicit)
and sum_i64.wat (a 64-bit memory) at -O2 and prints, for each, the
instructions one pass of the summing loop executes (valgrind, the
difference between 8 and 4 passes, so start-up and the fill loop cancel)
and the user time of the 64-pass kernel (median and best of --runs).

usage: measure.py --aotc build/aotc/aotc --kiln build/tools/kiln/kiln
"""
import argparse
import os
import re
import resource
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = [('i32 guard pages', 'sum_i32.wat', []),
            ('i32 explicit', 'sum_i32.wat', ['--bounds-checks=explicit']),
            ('i64 (memory64)', 'sum_i64.wat', [])]
ITERATIONS_PER_PASS = 16 * 1024 * 1024 // 8


def compile_with_passes(args, work, source, extra, passes):
    text = open(os.path.join(HERE, source)).read().replace('(i32.const 64)', '(i32.const %d)' % passes)
    wat = os.path.join(work, '%s-%d-%d.wat' % (source, len(extra), passes))
    with open(wat, 'w') as f:
        f.write(text)
    out = wat[:-4] + '.so'
    subprocess.run([args.aotc, '-O2'] + extra + [wat, '-o', out], check=True)
    return out


def instructions(args, artifact):
    r = subprocess.run(['valgrind', '--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null',
                        args.kiln, 'run', '--invoke', 'run', artifact], capture_output=True, text=True, check=True)
    return int(re.search(r'I\s+refs:\s+([\d,]+)', r.stderr).group(1).replace(',', ''))


def user_time(args, artifact):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run([args.kiln, 'run', '--invoke', 'run', artifact], check=True, capture_output=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--aotc', required=True)
    p.add_argument('--kiln', required=True)
    p.add_argument('--runs', type=int, default=11)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix='kiln-memory64-') as work:
        built = [(name, [compile_with_passes(args, work, src, extra, n) for n in (4, 8, 64)])
                 for name, src, extra in VARIANTS]
        times = {name: [] for name, _ in built}
        for _ in range(args.runs):  # alternating, so load changes hit every variant
            for name, artifacts in built:
                times[name].append(user_time(args, artifacts[2]))
        print('%-16s %22s %12s %10s' % ('memory', 'instructions/iteration', 'median user', 'best user'))
        for name, artifacts in built:
            per_pass = instructions(args, artifacts[1]) - instructions(args, artifacts[0])
            t = sorted(times[name])
            print('%-16s %22.1f %11.3fs %9.3fs' % (name, per_pass / (4 * ITERATIONS_PER_PASS), t[len(t) // 2], t[0]))


if __name__ == '__main__':
    main()
