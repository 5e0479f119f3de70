#!/usr/bin/env python3
"""C++ exceptions: cxx_exceptions/throw_loop.cpp (a throw every 8 calls, caught
two frames up by type) built natively with clang++ -O2 and for wasm with
-fwasm-exceptions (exception handling, 2022 form), run natively, under
`kiln run` and under Node's V8. Runs alternate; every run must print the
native build's checksum. Debian has no wasm32 libc++abi, so
cxx_exceptions/wasm_eh_runtime.cpp supplies what clang's code calls (allocation,
throw, catch, and a personality that reads each function's LSDA).

    python3 bench/exceptions.py --aotc AOTC --kiln KILN [--runs N]  # Markdown table

bench/run.py calls it and puts the table in bench/results/latest.md."""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, 'cxx_exceptions', 'throw_loop.cpp')
RUNTIME = os.path.join(HERE, 'cxx_exceptions', 'wasm_eh_runtime.cpp')
NODE_WASI = os.path.join(HERE, 'node_wasi_run.mjs')
WASM_FLAGS = ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-fwasm-exceptions']
PERCENT = 30


def build(work, cxx, aotc):
    """native binary, wasm module, kiln artifact; raises on a failure."""
    native = os.path.join(work, 'throw_loop')
    wasm = os.path.join(work, 'throw_loop.wasm')
    artifact = os.path.join(work, 'throw_loop.so')
    objects = []
    steps = [[cxx, '-O2', SOURCE, '-o', native]]
    for src in (SOURCE, RUNTIME):
        obj = os.path.join(work, os.path.basename(src) + '.o')
        steps.append([cxx] + WASM_FLAGS + ['-c', src, '-o', obj])
        objects.append(obj)
    steps.append([cxx] + WASM_FLAGS + ['-nostdlib++'] + objects + ['-o', wasm])
    steps.append([aotc, '-O2', wasm, '-o', artifact])
    for cmd in steps:
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError('%s: %s' % (' '.join(cmd[:2]), (run.stderr or run.stdout).strip()[:300]))
    return native, wasm, artifact


def parse(output):
    checksum = re.search(r'^checksum ([0-9a-f]+)$', output, re.M)
    ns = re.search(r'^kernel_ns (\d+)$', output, re.M)
    return (checksum.group(1) if checksum else None), (int(ns.group(1)) if ns else None)


def benchmark(aotc, kiln, node, runs, cxx='clang++-19', log=print):
    """({runtime: [seconds]}, [errors])."""
    times = {'native': [], 'kiln': [], 'node': []}
    errors = []
    with tempfile.TemporaryDirectory(prefix='kiln-bench-exceptions-') as work:
        try:
            native, wasm, artifact = build(work, cxx, aotc)
        except (RuntimeError, OSError) as e:
            return times, ['build: %s' % e]
        commands = {'native': [native, str(PERCENT)],
                    'kiln': [kiln, 'run', artifact, str(PERCENT)],
                    'node': [node, NODE_WASI, wasm, str(PERCENT)] if node else None}
        expected = None
        order = [r for r in times if commands[r]]
        for i in range(runs):
            for runtime in order[i % len(order):] + order[:i % len(order)]:
                run = subprocess.run(commands[runtime], capture_output=True, text=True)
                checksum, ns = parse(run.stdout)
                if run.returncode != 0 or ns is None:
                    errors.append('%s: exit %d %s' % (runtime, run.returncode, run.stderr.strip()[:200]))
                    continue
                expected = expected or (checksum if runtime == 'native' else None)
                if runtime != 'native' and expected and checksum != expected:
                    errors.append('%s: checksum %s, native %s' % (runtime, checksum, expected))
                    continue
                times[runtime].append(ns / 1e9)
        log('exceptions: %s' % ', '.join('%s %d runs' % (r, len(t)) for r, t in times.items()))
    return times, errors


def markdown(times, errors):
    base = statistics.median(times['native']) if times['native'] else None
    rows = ['| program | native | kiln | node | kiln / native | node / native |',
            '|---|---|---|---|---|---|']
    med = {r: statistics.median(t) if t else None for r, t in times.items()}
    fmt = lambda v: '%.3f s' % v if v is not None else 'n/a'  # noqa: E731
    ratio = lambda v: '%.2fx' % (v / base) if v is not None and base else 'n/a'  # noqa: E731
    rows.append('| C++ throw loop (-fwasm-exceptions) | %s | %s | %s | %s | %s |' % (
        fmt(med['native']), fmt(med['kiln']), fmt(med['node']), ratio(med['kiln']), ratio(med['node'])))
    for e in errors:
        rows.append('\nerror: %s' % e)
    return '\n'.join(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--aotc', required=True)
    p.add_argument('--kiln', required=True)
    p.add_argument('--node', default='node')
    p.add_argument('--cxx', default='clang++-19')
    p.add_argument('--runs', type=int, default=5)
    o = p.parse_args()
    times, errors = benchmark(o.aotc, o.kiln, o.node, o.runs, o.cxx, log=lambda m: print(m, file=sys.stderr))
    print(markdown(times, errors))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
