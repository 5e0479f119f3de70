#!/usr/bin/env python3
"""Real programs, end to end: the WASI programs of the real-world corpus
(tests/realworld/corpus.json: yosys and nextpnr in C++, flite and CPython in
C, esbuild in Go) run under `kiln run` and under Node's V8 (node:wasi), the same module,
the same arguments, files and environment, the wall time of every step of a
case together. Every run's exit statuses, stdout and checked files must be
the case's expected results, or the run counts as an error.

Kiln's time includes loading and instantiating the artifact (compiled once
beforehand at -O2, through aotc's compile cache); Node's includes compiling
the wasm (Liftoff, then TurboFan), since that is what running a module with
V8 costs. Runs alternate between the two, the order rotating each round.

    python3 bench/realworld.py [--runs N] [--cases a,b]   # prints a Markdown table

bench/run.py calls it (unless --no-realworld) and puts the table in
bench/results/latest.md."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, 'tests', 'realworld'))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import corpus_lib  # noqa: E402
import run_steps  # noqa: E402

NODE_WASI = os.path.join(REPO, 'tests', 'realworld', 'node_wasi.mjs')
RUNTIMES = ['kiln', 'node']


def compile_programs(case, manifest, aotc, out_dir):
    """program -> artifact (aotc -O2, cached); raises on a compile error."""
    cache = os.path.join(corpus_lib.cache_root(), 'aotc')
    artifacts = {}
    for step in case['steps']:
        program = step['program']
        if program in artifacts:
            continue
        artifact = os.path.join(out_dir, program)
        run = subprocess.run([aotc, '-O2', '--cache-dir', cache, corpus_lib.module_path(step, manifest),
                              '-o', artifact], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError('aotc %s: %s' % (program, run.stderr.strip()))
        artifacts[program] = artifact
    return artifacts


def last_words(stderr):
    """What a failed step said: a runtime's fatal-error banner (V8 prints
    its reason there, then a long native stack trace) or its last line."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for i, line in enumerate(lines):
        if line.startswith('# Fatal error'):
            reason = [l.lstrip('# ').strip() for l in lines[i:i + 3] if l.strip('# ')]
            return ': '.join(reason)[:300]
    return lines[-1][-300:] if lines else '(nothing on stderr)'


def mismatch(case, result):
    """Why a run's results are not the expected ones, or None."""
    expect = case['expect']
    if len(result['steps']) != len(expect['steps']):
        return 'stopped after step %d: %s' % (len(result['steps']) - 1, last_words(result['stderr'][-1]))
    for i, (got, want) in enumerate(zip(result['steps'], expect['steps'])):
        if got != want:
            return 'step %d (%s): exit %d, stdout %s' % (
                i, case['steps'][i]['program'], got['exit'],
                'as expected' if got['stdout_sha256'] == want['stdout_sha256'] else 'differs')
    for path, want in expect['files'].items():
        if result['files'].get(path) != want:
            return '%s differs from the expected file' % path
    return None


def run_once(case, manifest, runtime, kiln, node, artifacts, scratch):
    """Seconds for the whole case, or raises with why the results are wrong."""
    with tempfile.TemporaryDirectory(dir=scratch) as work:
        if runtime == 'kiln':
            for program, artifact in artifacts.items():
                os.symlink(artifact, os.path.join(work, program))

            def command(step, options):
                return [kiln, 'run', *options, './' + step['program'], *step['args']]
        else:
            def command(step, options):
                return [node, '--no-warnings', NODE_WASI, *options,
                        corpus_lib.module_path(step, manifest), *step['args']]
        # Setting up the inputs is outside the measured time: prepare first,
        # then time the steps alone (run_case prepares again; it is idempotent).
        corpus_lib.prepare(case, work, manifest)
        start = time.monotonic()
        result = run_steps.run_case(case, manifest, work, command)
        seconds = time.monotonic() - start
    why = mismatch(case, result)
    if why:
        raise RuntimeError('%s under %s: %s' % (case['name'], runtime, why))
    return seconds


def benchmark(aotc, kiln, node, runs, case_names=None, log=print):
    """{case: {runtime: [seconds...]}}, [errors], the cases' about lines."""
    manifest = corpus_lib.load()
    cases = [c for c in manifest['cases'] if 'expect' in c and
             (not case_names or c['name'] in case_names)]
    times, errors, about = {}, [], {}
    with tempfile.TemporaryDirectory(prefix='kiln-bench-realworld-') as scratch:
        for case in cases:
            missing = corpus_lib.missing_inputs(case, manifest)
            if missing:
                errors.append('%s: corpus not fetched (missing %s; python3 tests/realworld/fetch_corpus.py)'
                              % (case['name'], ', '.join(missing)))
                continue
            about[case['name']] = case['about']
            try:
                artifacts = compile_programs(case, manifest, aotc, scratch)
            except RuntimeError as e:
                errors.append('%s: %s' % (case['name'], e))
                continue
            times[case['name']] = {r: [] for r in RUNTIMES}
            for r in range(runs):
                order = RUNTIMES[r % 2:] + RUNTIMES[:r % 2]
                for runtime in order:
                    try:
                        t = run_once(case, manifest, runtime, kiln, node, artifacts, scratch)
                        times[case['name']][runtime].append(t)
                        log('  %s %s run %d: %.2f s' % (case['name'], runtime, r + 1, t))
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        errors.append(str(e))
    return times, errors, about


def markdown(times, errors):
    lines = ['| program | kiln s | node s | kiln/node |', '|---|---:|---:|---:|']
    ratios = []
    for name, by_runtime in times.items():
        k, n = by_runtime['kiln'], by_runtime['node']
        if not k or not n:
            continue
        mk, mn = statistics.median(k), statistics.median(n)
        ratios.append(mk / mn)
        lines.append('| %s | %.2f | %.2f | %.2f |' % (name, mk, mn, mk / mn))
    if ratios:
        geo = statistics.geometric_mean(ratios)
        lines.append('| **geomean** |  |  | **%.2f** |' % geo)
    for e in errors:
        lines.append('')
        lines.append('error: ' + e)
    return '\n'.join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--build-dir', default=os.path.join(REPO, 'build'))
    p.add_argument('--node', default='node')
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--cases', help='comma-separated subset of the corpus cases')
    a = p.parse_args()
    aotc = os.path.join(a.build_dir, 'aotc', 'aotc')
    kiln = os.path.join(a.build_dir, 'tools', 'kiln', 'kiln')
    times, errors, _ = benchmark(aotc, kiln, a.node, a.runs,
                                 a.cases.split(',') if a.cases else None)
    print(markdown(times, errors))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
