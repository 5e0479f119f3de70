#!/usr/bin/env python3
"""Compile-speed benchmark for aotc (issue 13, item 4): how fast aotc turns
the largest real modules we know into native code, and how much memory it
needs doing so.

    python3 bench/compile.py                      # every module, -O0 and -O2, 1 run each
    python3 bench/compile.py --quick              # nextpnr only (a minute or two)
    python3 bench/compile.py --modules yosys --levels O2 --runs 3

Modules come from pinned npm packages, fetched with `npm pack` into
${KILN_CACHE:-~/.cache/kiln}/npm and checked against their sha512 integrity.
Each compile runs aotc with its default thread count (every core) and is
measured from outside: wall time, user+system CPU time and peak RSS of the
aotc process (os.wait4). Throughput is the module's code-section size in
MB (10^6 bytes) divided by the wall time.

A "where the time goes" section then compiles nextpnr with one thread at
-O2 and -O0 under `-mllvm -time-passes` and sums the reports by pass name,
and times --emit=ll / obj / so to split IR generation, the optimizer and the
code generator.

Writes bench/results/compile.md (after every measurement, so an interrupted
run leaves what it finished) and prints it at the end.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# The corpus' largest modules, smallest first. `member` is the module's path
# inside the npm tarball.
MODULES = {
    'nextpnr': {
        'npm': '@yowasp/nextpnr-ice40', 'version': '0.8.621',
        'integrity': 'sha512-DRk3t8z9fbNJVqbfEpjOpnSNEufcGVgRiCmM5Ta2zLWlMI6mNwk2vwGyjEpoGhH5lRSaImcRL1s6ykdWGzDbhg==',
        'member': 'package/gen/nextpnr-ice40.core.wasm',
        'about': 'nextpnr-ice40 (C++)',
    },
    'yosys': {
        'npm': '@yowasp/yosys', 'version': '0.55.944',
        'integrity': 'sha512-O9yjd529cPb8R+FO7gpQRw658yGjApBN9JiqMg21+5tONXrGhF9EygKF/vDXrHvoYerYU7QqxIK05tQDhPYgPQ==',
        'member': 'package/gen/yosys.core.wasm',
        'about': 'yosys (C++)',
    },
    'llvm': {
        'npm': '@yowasp/clang', 'version': '21.1.4-3',
        'integrity': 'sha512-xeAA7iFvDZ/C32d/h/BDSpmxEZePnorpi+EfaORDWwJN3c9rFXHvUVoHb+alo8U8jNaxJMWBLLGecT55D/YQKA==',
        'member': 'package/gen/llvm.core.wasm',
        'about': 'clang, lld and LLVM 21 in one module (C++)',
    },
}
LEVELS = ['O0', 'O2']

# Issue 13's targets on the 2-core machine, in MB (10^6 bytes) of code
# section per second of wall time with every core, and bytes of peak RSS.
THROUGHPUT_TARGET = {'O0': 4.0, 'O1': 0.5, 'O2': 0.5, 'O3': 0.5}
MEMORY_TARGET = 2 * 10**9
MEMORY_TARGET_MODULE = 'llvm'  # the ~60 MB module the memory target is about

PROFILE_MODULE = 'nextpnr'
TOP_PASSES = 15

# aotc does not call llvm_shutdown(), and the legacy pass manager (LLVM's
# code generator) prints its -time-passes report only from a ManagedStatic
# destroyed there; the new pass manager's report (the optimizer) is printed
# when aotc's pass instrumentation goes away. This preloaded shim calls
# llvm_shutdown() at exit, after a marker line, so that the code generator's
# report appears too and can be told apart.
SHUTDOWN_MARKER = 'kiln-bench: code generator report follows'
SHIM_SOURCE = r'''
#include <cstdio>
namespace llvm { void llvm_shutdown(); }
__attribute__((destructor)) static void kiln_bench_shutdown() {
  std::fprintf(stderr, "\n%s\n", "''' + SHUTDOWN_MARKER + r'''");
  std::fflush(stderr);
  llvm::llvm_shutdown();
}
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Failure(Exception):
    pass


# ---------------------------------------------------------------- inputs

def cache_dir():
    return os.path.join(os.environ.get('KILN_CACHE') or os.path.expanduser('~/.cache/kiln'), 'npm')


def tarball_name(pkg):
    # what `npm pack` writes: the scope's '@' dropped, '/' becomes '-'
    return '%s-%s.tgz' % (pkg['npm'].lstrip('@').replace('/', '-'), pkg['version'])


def integrity_of(path):
    h = hashlib.sha512()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return 'sha512-' + base64.b64encode(h.digest()).decode()


def fetch_module(name):
    """Returns the path of the module's .wasm, fetching and unpacking it when needed."""
    pkg = MODULES[name]
    root = cache_dir()
    stem = tarball_name(pkg)[:-len('.tgz')]
    wasm = os.path.join(root, stem, pkg['member'])
    verified = os.path.join(root, stem, '.verified')
    if os.path.exists(wasm) and os.path.exists(verified):
        return wasm
    os.makedirs(root, exist_ok=True)
    tgz = os.path.join(root, tarball_name(pkg))
    spec = '%s@%s' % (pkg['npm'], pkg['version'])
    if not os.path.exists(tgz):
        if not shutil.which('npm'):
            raise Failure('npm not found: cannot fetch %s' % spec)
        log('fetching %s with npm pack' % spec)
        run = subprocess.run(['npm', 'pack', '--silent', spec], cwd=root, capture_output=True, text=True)
        if run.returncode != 0 or not os.path.exists(tgz):
            raise Failure('npm pack %s failed: %s' % (spec, (run.stderr.strip().splitlines() or ['?'])[-1]))
    actual = integrity_of(tgz)
    if actual != pkg['integrity']:
        os.remove(tgz)
        raise Failure('%s: integrity mismatch (got %s, expected %s); removed' % (tgz, actual, pkg['integrity']))
    with tarfile.open(tgz) as tar:
        member = tar.getmember(pkg['member'])
        if not member.isfile():
            raise Failure('%s: %s is not a file' % (tgz, pkg['member']))
        tar.extract(member, os.path.join(root, stem), filter='data')
    open(verified, 'w').close()
    return wasm


def leb128(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def code_section(path):
    """(code section size in bytes, function bodies) of a wasm module."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'\0asm':
        raise Failure('%s is not a wasm module' % path)
    i = 8
    while i < len(data):
        section_id = data[i]
        size, start = leb128(data, i + 1)
        if section_id == 10:
            count, _ = leb128(data, start)
            return size, count
        i = start + size
    raise Failure('%s has no code section' % path)


# ---------------------------------------------------------------- measuring

def run_measured(cmd, env=None, stderr_path=None):
    """Runs cmd; returns wall seconds, user+sys CPU seconds, peak RSS bytes, 1-min load before."""
    load = os.getloadavg()[0]
    err = open(stderr_path, 'w') if stderr_path else subprocess.PIPE
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
    captured = b''
    if not stderr_path:
        captured = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stderr_path:
        err.close()
        with open(stderr_path, 'rb') as f:
            captured = f.read()[-4000:]
    else:
        proc.stderr.close()
    if proc.returncode != 0:
        tail = '\n'.join(captured.decode(errors='replace').strip().splitlines()[-5:])
        raise Failure('exit %d: %s\n%s' % (proc.returncode, ' '.join(cmd), tail))
    return {'wall': wall, 'cpu': usage.ru_utime + usage.ru_stime, 'rss': usage.ru_maxrss * 1024, 'load': load}


def compile_runs(aotc, wasm, level, runs, outdir, extra=()):
    out = os.path.join(outdir, 'out.so')
    samples = []
    for _ in range(runs):
        cmd = [aotc, '-' + level] + list(extra) + [wasm, '-o', out]
        samples.append(run_measured(cmd))
        if os.path.exists(out):
            os.remove(out)
    return samples


def summarize(samples):
    return {
        'wall': statistics.median(s['wall'] for s in samples),
        'cpu': statistics.median(s['cpu'] for s in samples),
        'rss': max(s['rss'] for s in samples),
        'loads': [s['load'] for s in samples],
    }


# ---------------------------------------------------------------- -time-passes

ROW = re.compile(r'^\s+((?:[\d.]+ \(\s*[\d.]+%\)\s+)+)(.+?)\s*$')
NUM = re.compile(r'([\d.]+) \(\s*[\d.]+%\)')


def parse_time_passes(text):
    """Sums -time-passes reports by pass name (' #N' suffixes stripped), in
    user+system seconds. Returns {(stage, name): seconds}, stage being
    'optimizer' (new pass manager, before the marker), 'codegen' (legacy
    pass manager, after it) or 'analysis' (the new pass manager's analyses)."""
    totals = {}
    stage = 'optimizer'
    report = None
    previous = ''
    for line in text.splitlines():
        if SHUTDOWN_MARKER in line:
            stage = 'codegen'
            continue
        title = line.strip()
        after_rule, previous = previous.startswith('===-'), title
        if after_rule and title and not title.startswith(('===', 'Total Execution')):
            # the optimizer's and code generator's pass reports and the new pass
            # manager's analyses; other reports (instruction selection's own
            # phases) time work inside a pass and would be counted twice
            report = {'Pass execution timing report': stage,
                      'Analysis execution timing report': 'analysis'}.get(title)
            continue
        m = ROW.match(line)
        if not m or report is None:
            continue
        name = re.sub(r'\s+#\d+$', '', m.group(2))
        if name == 'Total':
            continue
        numbers = [float(x) for x in NUM.findall(m.group(1))]
        # columns: User, [System], User+System, Wall: User+System is second to last
        seconds = numbers[-2] if len(numbers) >= 3 else numbers[0]
        totals[(report, name)] = totals.get((report, name), 0.0) + seconds
    return totals


def build_shim(workdir):
    cxx = shutil.which('clang++-19') or shutil.which('clang++') or shutil.which('g++')
    libdir = '/usr/lib/llvm-19/lib'
    if not cxx or not os.path.exists(os.path.join(libdir, 'libLLVM.so')):
        return None, 'no C++ compiler or libLLVM-19 to build the llvm_shutdown shim'
    src = os.path.join(workdir, 'shutdown_shim.cpp')
    so = os.path.join(workdir, 'shutdown_shim.so')
    with open(src, 'w') as f:
        f.write(SHIM_SOURCE)
    run = subprocess.run([cxx, '-shared', '-fPIC', '-O1', src, '-o', so, '-L' + libdir, '-lLLVM',
                          '-Wl,-rpath,' + libdir], capture_output=True, text=True)
    if run.returncode != 0:
        return None, 'shim build failed: ' + run.stderr.strip()[-300:]
    return so, None


# ---------------------------------------------------------------- report

def fmt_mb(n):
    return '%.2f' % (n / 1e6)


def verdict(ok):
    return 'pass' if ok else '**miss**'


class Report:
    def __init__(self, opts, aotc_version, cores):
        self.o = opts
        self.version = aotc_version
        self.cores = cores
        self.modules = {}   # name -> (path, code bytes, functions, file bytes)
        self.rows = []      # (module, level, summary)
        self.failures = []
        self.profile = {}   # level -> {(stage, name): s}
        self.profile_runs = {}  # level -> summary of the -time-passes run
        self.split = {}     # (level, emit) -> summary
        self.notes = []
        self.combined = 0   # --combine: how many runs' measurements
        self.extra_notes = []  # --note
        self.started = datetime.datetime.now(datetime.timezone.utc)

    def markdown(self):
        o = self.o
        L = []
        L.append('# aotc compile speed')
        L.append('')
        L.append('`python3 bench/compile.py` (bench/README.md), %s UTC; %s; %s; %d cores (`-j` default: all); '
                 '%d run(s) per cell (median wall and CPU, largest RSS).' % (
                     self.started.strftime('%Y-%m-%d %H:%M'), self.version, platform.processor() or
                     platform.machine(), self.cores, o.runs))
        if self.combined > 1:
            L.append('')
            L.append('Measured by %d separate invocations (`--raw`, then `--combine`), started from the time '
                     'above.' % self.combined)
        L.append('')
        L.append('MB = 10^6 bytes of the module\'s code section; MB/s = code-section MB / wall seconds. '
                 'Parallel efficiency = CPU time / wall time / cores. Peak RSS is the aotc process\'s '
                 '(os.wait4). Load = 1-minute load average just before each run: the machine is shared, '
                 'so a load above the core count means the compile was competing for CPUs and its wall '
                 'time (and MB/s) is worse than on an idle machine, while its CPU time is about the same.')
        L.append('')
        L.append('Targets (issue 13): -O2 ≥ %.1f MB/s, -O0 ≥ %.1f MB/s with every core; peak memory < %.0f GB '
                 '(GB = 10^9 bytes) for the ~60 MB module at any level (checked on every row).' % (
                     THROUGHPUT_TARGET['O2'], THROUGHPUT_TARGET['O0'], MEMORY_TARGET / 1e9))
        L.append('')
        L.append('| module | code MB | functions | npm package |')
        L.append('| --- | ---: | ---: | --- |')
        for name, (path, code, funcs, size) in self.modules.items():
            pkg = MODULES[name]
            L.append('| %s | %s | %d | %s@%s `%s` (%s MB file) |' % (
                name, fmt_mb(code), funcs, pkg['npm'], pkg['version'], pkg['member'].split('/', 1)[1],
                fmt_mb(size)))
        L.append('')
        L.append('| module | level | wall s | CPU s | parallel eff. | peak RSS MB | MB/s | throughput target | '
                 'memory target | load before |')
        L.append('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |')
        for name, level, s in self.rows:
            code = self.modules[name][1]
            rate = code / 1e6 / s['wall']
            target = THROUGHPUT_TARGET[level]
            L.append('| %s | -%s | %.1f | %.1f | %.0f %% | %.0f | %.3f | %s (≥ %.1f) | %s | %s |' % (
                name, level, s['wall'], s['cpu'], 100 * s['cpu'] / s['wall'] / self.cores, s['rss'] / 1e6,
                rate, verdict(rate >= target), target, verdict(s['rss'] < MEMORY_TARGET),
                ', '.join('%.1f' % x for x in s['loads'])))
        if self.rows:
            L.append('')
            L.append('MB/s on an idle machine would be about code MB / (CPU s / %d) if the partitions kept '
                     'every core busy; by that measure (CPU-bound, load-independent):' % self.cores)
            L.append('')
            L.append('| module | level | MB per CPU-second | ideal MB/s with %d cores |' % self.cores)
            L.append('| --- | --- | ---: | ---: |')
            for name, level, s in self.rows:
                code = self.modules[name][1]
                L.append('| %s | -%s | %.3f | %.3f |' % (name, level, code / 1e6 / s['cpu'],
                                                         code / 1e6 / s['cpu'] * self.cores))
        measured = {(r[0], r[1]) for r in self.rows}
        missing = ['%s -%s' % (m, lv) for m in self.modules for lv in LEVELS if (m, lv) not in measured]
        if self.combined and missing:
            L.append('')
            L.append('Not measured in these runs: %s.' % ', '.join(missing))
        for note in self.extra_notes:
            L.append('')
            L.append(note)
        missing_mem = MEMORY_TARGET_MODULE not in self.modules or not any(
            r[0] == MEMORY_TARGET_MODULE for r in self.rows)
        if missing_mem:
            L.append('')
            L.append('The memory target was not checked: the ~60 MB module (%s) was not compiled in this run.'
                     % MEMORY_TARGET_MODULE)
        if self.failures:
            L.append('')
            L.append('## Errors')
            L.append('')
            for f in self.failures:
                L.append('* ' + f.replace('\n', ' '))
        if self.profile or self.split:
            L.append('')
            L.append('## Where the time goes (%s, `-j1`)' % PROFILE_MODULE)
            L.append('')
            L.append('`-mllvm -time-passes`, summed over partitions by pass name (` #N` suffixes stripped), '
                     'user+system seconds. Optimizer = new pass manager (its analyses listed as such), '
                     'codegen = the legacy pass manager of the code generator (its report needs '
                     'llvm_shutdown(), which aotc does not call: the benchmark preloads a shim that does).')
            for level in sorted(self.profile):
                totals = self.profile[level]
                run = self.profile_runs.get(level)
                by_stage = {}
                for (stage, _), sec in totals.items():
                    by_stage[stage] = by_stage.get(stage, 0.0) + sec
                L.append('')
                L.append('### -%s: process %.1f s CPU (%.1f s wall); optimizer passes %.1f s, optimizer analyses '
                         '%.1f s, codegen %.1f s' % (level, run['cpu'] if run else 0, run['wall'] if run else 0,
                                                    by_stage.get('optimizer', 0), by_stage.get('analysis', 0),
                                                    by_stage.get('codegen', 0)))
                L.append('')
                L.append('| pass | stage | seconds | share of process CPU |')
                L.append('| --- | --- | ---: | ---: |')
                top = sorted(totals.items(), key=lambda kv: -kv[1])[:TOP_PASSES]
                for (stage, name), sec in top:
                    share = 100 * sec / run['cpu'] if run and run['cpu'] else 0
                    L.append('| %s | %s | %.2f | %.1f %% |' % (name.replace('|', '\\|'), stage, sec, share))
            if self.split:
                L.append('')
                L.append('### Split measured from outside (`--emit`, `-j1 --partition-size=0`, CPU seconds)')
                L.append('')
                L.append('| level | --emit=ll | --emit=obj | --emit=so |')
                L.append('| --- | ---: | ---: | ---: |')
                for level in sorted({lv for lv, _ in self.split}):
                    cells = []
                    for emit in ('ll', 'obj', 'so'):
                        s = self.split.get((level, emit))
                        cells.append('%.1f' % s['cpu'] if s else '—')
                    L.append('| -%s | %s |' % (level, ' | '.join(cells)))
                L.append('')
                L.append('aotc writes --emit=ll as one module, so these runs all compile the whole module as '
                         'one partition (`--partition-size=0`) and do the same work: --emit=ll = decoding + IR '
                         'generation + the level\'s optimizer + printing the IR as text; obj adds the code '
                         'generator (minus printing); so adds the descriptor and linking with lld. One partition '
                         'lets the optimizer inline across the whole module, so these -O2 times exceed the '
                         'partitioned ones above. '
                         'At -O0 the optimizer is nearly empty, so -O0\'s ll is IR generation; '
                         '-O2 ll minus -O0 ll is about the optimizer; obj minus ll the code generator.')
                for note in self.notes + [split_note(self.split)]:
                    if note:
                        L.append('')
                        L.append(note)
        L.append('')
        return '\n'.join(L)

    def state(self):
        return {
            'version': self.version, 'cores': self.cores, 'runs': self.o.runs,
            'started': self.started.isoformat(),
            'modules': {m: list(v) for m, v in self.modules.items()},
            'rows': [list(r) for r in self.rows], 'failures': self.failures,
            'profile': {lv: [[st, name, sec] for (st, name), sec in t.items()] for lv, t in self.profile.items()},
            'profile_runs': self.profile_runs,
            'split': [[lv, emit, s] for (lv, emit), s in self.split.items()],
            'notes': self.notes,
        }

    def merge(self, state):
        """Adds the measurements of another run (its --raw file)."""
        self.version = state['version']
        self.o.runs = state['runs']
        self.combined += 1
        self.cores = state['cores']
        self.started = min(self.started, datetime.datetime.fromisoformat(state['started']))
        self.modules.update({m: tuple(v) for m, v in state['modules'].items()})
        self.rows += [tuple(r) for r in state['rows']]
        self.failures += state['failures']
        for lv, items in state['profile'].items():
            self.profile[lv] = {(st, name): sec for st, name, sec in items}
        self.profile_runs.update(state['profile_runs'])
        if state['split']:  # one run's split replaces another's: they are differences of each other
            self.split = {(lv, emit): s for lv, emit, s in state['split']}
        self.notes += [n for n in state['notes'] if not n.startswith('From these:')]  # recomputed

    def write(self):
        if self.o.raw:
            with open(self.o.raw + '.part', 'w') as f:
                json.dump(self.state(), f, indent=1)
            os.replace(self.o.raw + '.part', self.o.raw)
        if self.o.no_write:
            return
        os.makedirs(os.path.dirname(self.o.output), exist_ok=True)
        with open(self.o.output + '.part', 'w') as f:
            f.write(self.markdown())
        os.replace(self.o.output + '.part', self.o.output)


# ---------------------------------------------------------------- main

def split_note(split):
    def cpu(level, emit):
        s = split.get((level, emit))
        return s['cpu'] if s else None
    parts = []
    ll0, ll2, obj0, obj2, so0, so2 = (cpu('O0', 'll'), cpu('O2', 'll'), cpu('O0', 'obj'), cpu('O2', 'obj'),
                                      cpu('O0', 'so'), cpu('O2', 'so'))
    if ll0 is not None:
        parts.append('decoding + IR generation (+ printing) ≈ %.1f s' % ll0)
    if ll0 is not None and ll2 is not None:
        parts.append('-O2 optimizer ≈ %.1f s' % (ll2 - ll0))
    if ll2 is not None and obj2 is not None:
        parts.append('-O2 code generator ≈ %.1f s' % (obj2 - ll2))
    if ll0 is not None and obj0 is not None:
        parts.append('-O0 code generator ≈ %.1f s' % (obj0 - ll0))
    if obj0 is not None and so0 is not None:
        parts.append('descriptor + linking ≈ %.1f s' % (so0 - obj0))
    if not parts:
        return None
    return ('From these: ' + '; '.join(parts) + ' (differences of single runs on a loaded machine; the IR '
            'text that --emit=ll prints makes the code generator look cheaper than it is).')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--aotc', default=os.path.join(REPO, 'build', 'aotc', 'aotc'))
    ap.add_argument('--modules', default=','.join(MODULES), help='comma-separated: ' + ', '.join(MODULES))
    ap.add_argument('--levels', default=','.join(LEVELS), help='comma-separated, e.g. O0,O2')
    ap.add_argument('--runs', type=int, default=1, help='runs per module and level (median)')
    ap.add_argument('--quick', action='store_true', help='nextpnr only')
    ap.add_argument('--no-profile', action='store_true', help='skip the "where the time goes" section')
    ap.add_argument('--profile-parts', default='passes,split', help='passes (-time-passes), split (--emit)')
    ap.add_argument('--output', default=os.path.join(HERE, 'results', 'compile.md'))
    ap.add_argument('--no-write', action='store_true', help='print only; write no result file')
    ap.add_argument('--raw', help='also save the measurements as JSON in this file')
    ap.add_argument('--note', action='append', default=[],
                    help='with --combine: a line for the report (repeatable), e.g. what did not finish')
    ap.add_argument('--combine', help='compile nothing: write the report of these --raw files '
                    '(comma-separated; modules measured separately on a busy machine)')
    o = ap.parse_args()
    if o.combine:
        o.raw = None
        report = Report(o, '', 0)
        report.started = datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)
        for path in o.combine.split(','):
            with open(path) as f:
                report.merge(json.load(f))
        order = {(m, lv): i for i, (m, lv) in enumerate((m, lv) for m in MODULES for lv in THROUGHPUT_TARGET)}
        report.extra_notes = o.note
        report.rows.sort(key=lambda r: order[(r[0], r[1])])
        report.modules = {m: report.modules[m] for m in MODULES if m in report.modules}
        report.write()
        print(report.markdown())
        return 0
    if o.quick:
        o.modules = 'nextpnr'
    modules = [m for m in o.modules.split(',') if m]
    levels = [lv.lstrip('-') for lv in o.levels.split(',') if lv]
    for m in modules:
        if m not in MODULES:
            ap.error('unknown module %s (known: %s)' % (m, ', '.join(MODULES)))
    for lv in levels:
        if lv not in THROUGHPUT_TARGET:
            ap.error('unknown level %s' % lv)
    if not os.access(o.aotc, os.X_OK):
        ap.error('aotc not found at %s (--aotc PATH)' % o.aotc)

    version = subprocess.run([o.aotc, '--version'], capture_output=True, text=True).stdout.strip()
    cores = len(os.sched_getaffinity(0))
    report = Report(o, version, cores)
    ok = True

    for m in modules:
        try:
            path = fetch_module(m)
        except (Failure, OSError, KeyError) as e:
            report.failures.append('%s: %s' % (m, e))
            ok = False
            continue
        code, funcs = code_section(path)
        report.modules[m] = (path, code, funcs, os.path.getsize(path))

    with tempfile.TemporaryDirectory(prefix='kiln-compile-bench-') as work:
        for m in report.modules:
            for level in levels:
                log('%s -%s ... (load %.1f)' % (m, level, os.getloadavg()[0]))
                try:
                    s = summarize(compile_runs(o.aotc, report.modules[m][0], level, o.runs, work))
                except Failure as e:
                    report.failures.append('%s -%s: %s' % (m, level, e))
                    ok = False
                    continue
                report.rows.append((m, level, s))
                log('  wall %.1f s, cpu %.1f s, rss %.0f MB' % (s['wall'], s['cpu'], s['rss'] / 1e6))
                report.write()

        if not o.no_profile and PROFILE_MODULE in report.modules:
            profile(o, report, work)
            report.write()

    text = report.markdown()
    print(text)
    if not o.no_write:
        report.write()
        log('wrote ' + os.path.relpath(o.output))
    return 0 if ok else 1


def profile(o, report, work):
    wasm = report.modules[PROFILE_MODULE][0]
    shim, problem = build_shim(work)
    if problem:
        report.notes.append('Code generator pass times not measured: ' + problem + '.')
    env = dict(os.environ)
    if shim:
        env['LD_PRELOAD'] = shim
    for level in (('O2', 'O0') if 'passes' in o.profile_parts else ()):
        log('profile: %s -%s -j1 -time-passes ... (load %.1f)' % (PROFILE_MODULE, level, os.getloadavg()[0]))
        stderr = os.path.join(work, 'time-passes-%s.txt' % level)
        out = os.path.join(work, 'profile.so')
        try:
            s = run_measured([o.aotc, '-' + level, '-j1', '-mllvm', '-time-passes', wasm, '-o', out],
                             env=env, stderr_path=stderr)
        except Failure as e:
            report.failures.append('profile -%s: %s' % (level, e))
            continue
        with open(stderr, errors='replace') as f:
            report.profile[level] = parse_time_passes(f.read())
        report.profile_runs[level] = s
        report.write()
    splits = (('O0', 'll'), ('O0', 'obj'), ('O0', 'so'), ('O2', 'll'), ('O2', 'obj'))
    for level, emit in (splits if 'split' in o.profile_parts else ()):
        log('split: %s -%s -j1 --emit=%s ... (load %.1f)' % (PROFILE_MODULE, level, emit, os.getloadavg()[0]))
        out = os.path.join(work, 'split.' + emit)
        try:
            report.split[(level, emit)] = run_measured([o.aotc, '-' + level, '-j1', '--partition-size=0',
                                                        '--emit=' + emit, wasm, '-o', out])
        except Failure as e:
            report.failures.append('split -%s --emit=%s: %s' % (level, emit, e))
        if os.path.exists(out):
            os.remove(out)
        report.write()


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
