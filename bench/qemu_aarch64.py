#!/usr/bin/env python3
"""The kernels of bench/kernels on aarch64 under qemu-user: each C kernel
built for aarch64 by clang-19 (native) and as wasm compiled by aotc
--target=aarch64-linux-gnu and run by the aarch64 `kiln run`, side by side in
one run (the two alternate, the order swapping every round).

A sanity figure, not a performance claim: qemu translates both programs'
instructions to x86-64, so the ratio says whether aotc's aarch64 code is in
the same class as clang's, not how either runs on Arm hardware. Writes
bench/results/qemu-aarch64.md.

usage: bench/qemu_aarch64.py [--build-dir build] [--cross-build-dir build-aarch64]
                             [--runs 5] [--percent 20] [--kernels a,b]"""
import argparse
import datetime
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import run as bench  # noqa: E402  (the x86-64 report's build and run helpers)

TARGET = 'aarch64-linux-gnu'
# Like the x86-64 native build: no FMA contraction (wasm has none); the
# generic CPU, as aotc's default for this target.
NATIVE_FLAGS = ['--target=' + TARGET, '-O2', '-mcpu=generic', '-ffp-contract=off', '-fuse-ld=lld']
# simd.c is written with wasm_simd128.h intrinsics and x86 SSE ones.
SKIPPED = {'simd': 'written with x86 SSE intrinsics for its native build'}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--build-dir', default=os.path.join(bench.REPO, 'build'), help='native build (aotc)')
    p.add_argument('--cross-build-dir', default=os.path.join(bench.REPO, 'build-aarch64'),
                   help='aarch64 cross build (kiln)')
    p.add_argument('--cc', default='clang-19')
    p.add_argument('--qemu', default='qemu-aarch64-static')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--percent', type=int, default=20, help='work size in percent (qemu is slow)')
    p.add_argument('--kernels', help='comma-separated subset')
    p.add_argument('--timeout', type=int, default=600)
    p.add_argument('--out', default=os.path.join(HERE, 'results', 'qemu-aarch64.md'))
    return p.parse_args()


def main():
    o = parse_args()
    aotc = os.path.join(o.build_dir, 'aotc', 'aotc')
    kiln = os.path.join(o.cross_build_dir, 'tools', 'kiln', 'kiln')
    for tool in (aotc, kiln):
        if not os.path.exists(tool):
            sys.exit('missing %s: build the native and the aarch64 cross build first (README)' % tool)
    work = os.path.join(o.cross_build_dir, 'bench-work')
    kernels = sorted(f[:-2] for f in os.listdir(os.path.join(HERE, 'kernels')) if f.endswith('.c'))
    if o.kernels:
        kernels = [k for k in kernels if k in o.kernels.split(',')]
    headers = bench.kernel_headers()

    rows, ratios, notes = [], [], []
    for k in kernels:
        if k in SKIPPED:
            notes.append('%s: skipped, %s' % (k, SKIPPED[k]))
            continue
        src = os.path.join(HERE, 'kernels', k + '.c')
        native = os.path.join(work, 'native', k)
        wasm = os.path.join(work, 'wasm', k + '.wasm')
        so = os.path.join(work, 'kiln', k + '.so')
        try:
            bench.make(native, [src] + headers, [o.cc] + NATIVE_FLAGS + [src, '-o', native, '-lm'],
                       'aarch64 native build of ' + k)
            bench.make(wasm, [src] + headers,
                       [o.cc] + bench.WASM_FLAGS + ['-msimd128'] + bench.wasm_feature_flags(k) +
                       [src, '-o', wasm],
                       'wasm build of ' + k)
            bench.make(so, [wasm, aotc], [aotc, '--target=' + TARGET, wasm, '-o', so],
                       'aotc --target=%s of %s' % (TARGET, k))
        except bench.Failure as e:
            notes.append('%s: %s' % (k, e))
            continue
        forms = {'native': [o.qemu, native, str(o.percent)],
                 'kiln': [o.qemu, kiln, 'run', so, str(o.percent)]}
        times = {name: [] for name in forms}
        checksums = {}
        try:
            for i in range(o.runs):
                order = list(forms) if i % 2 == 0 else list(reversed(forms))
                for name in order:
                    cs, seconds, _ = bench.run_once(forms[name], o.timeout)
                    checksums.setdefault(name, cs)
                    times[name].append(seconds)
        except bench.Failure as e:
            notes.append('%s: %s' % (k, e))
            continue
        if checksums['native'] != checksums['kiln']:
            notes.append('%s: checksums differ (native %s, kiln %s)' % (k, checksums['native'],
                                                                       checksums['kiln']))
            continue
        n, w = statistics.median(times['native']), statistics.median(times['kiln'])
        ratios.append(w / n)
        rows.append([k, bench.fmt_ms(n), bench.fmt_ms(w), bench.fmt_ratio(w / n)])
        bench.log('%-10s native %8s ms  kiln %8s ms  %sx' % tuple(rows[-1]))

    rows.append(['geomean', '', '', bench.fmt_ratio(bench.geomean(ratios))])
    lines = [
        '# Kernels on aarch64 under qemu-user: aotc artifacts against clang-built native',
        '',
        '%s; %d runs per form, medians of the kernels\' own timings, %d%% work size; qemu %s.' % (
            datetime.date.today().isoformat(), o.runs, o.percent,
            bench.tool_version([o.qemu, '--version'])),
        'Native: `%s %s`. Wasm: `%s` + `-msimd128`, then `aotc --target=%s` (default CPU), run '
        'by the aarch64 `kiln run`.' % (o.cc, ' '.join(NATIVE_FLAGS), ' '.join(bench.WASM_FLAGS), TARGET),
        '',
        '**qemu timings are not hardware timings**: qemu translates both programs to x86-64 code, '
        'so this ratio only shows that aotc\'s aarch64 code is in the same class as clang\'s.',
        '',
    ] + [bench.md_table(['kernel', 'native ms', 'kiln ms', 'kiln/native'], rows)]
    if notes:
        lines += [''] + ['- ' + n for n in notes]
    os.makedirs(os.path.dirname(o.out), exist_ok=True)
    with open(o.out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    return 1 if any('differ' in n or 'exit' in n for n in notes) else 0


if __name__ == '__main__':
    sys.exit(main())
