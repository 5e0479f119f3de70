#!/usr/bin/env python3
"""Builds and runs Kiln's benchmark kernels natively, under kiln, as wasm2c
output and under Node's V8, checks that every run prints the same checksum,
and reports times.

    python3 bench/run.py                      # full run: 5 runs per kernel and runtime
    python3 bench/run.py --runs 3 --percent 20 --kernels matmul,sieve
    python3 bench/run.py --smoke              # tiny size, native + kiln, checksums only

Each kernel is bench/kernels/NAME.c; it takes the amount of work as a
percentage (100 = the benchmark size) and prints "checksum HEX" and
"kernel_ns N" (its own monotonic clock around all of main's work). Builds go
to --work (default BUILD/bench-work) and are redone only when an input or
the command changed, so aotc's .so files are cached between runs.

Writes RESULTS/latest.md and RESULTS/latest.png (unless --smoke). Exit status:
0 when every run succeeded with matching checksums, 1 otherwise.
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import png_chart  # noqa: E402
import exceptions  # noqa: E402
import realworld  # noqa: E402

# kiln and node run the wasm built with -msimd128 (the wasm counterpart of the
# native build's SSE); wasm2c (wabt 1.0.32) cannot translate SIMD, so it runs
# a build without it, and kiln-mvp runs that same build under kiln: the
# like-for-like comparison with wasm2c.
RUNTIMES = ['native', 'kiln', 'node', 'kiln-mvp', 'wasm2c']
SIMD_KERNELS = {'simd'}  # written with SIMD intrinsics: no build without SIMD
# Threaded code with guaranteed tail calls: every wasm build adds -mtail-call,
# and wasm2c (wabt 1.0.32) cannot translate return_call_indirect.
TAIL_CALL_KERNELS = {'tailinterp'}
# x86-64-v2 is also aotc's default CPU; no FMA contraction, as in wasm.
NATIVE_FLAGS = ['-O2', '-march=x86-64-v2', '-ffp-contract=off']
# Bulk memory lets clang emit memory.copy/memory.fill for memcpy/memset.
WASM_FLAGS = ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-mbulk-memory']
WASM2C_RUNTIME_DIRS = ['/usr/share/wabt/wasm2c', '/usr/src/wasm2c']
# Causes found by inspecting perf profiles and the artifacts' code (details in
# bench/README.md); listed in the Markdown next to kernels where kiln is slower.
KNOWN_CAUSES = {
    'memops': 'wasi-libc memmove/memset (portable C) for the calls clang does not turn into '
              'memory.copy/memory.fill; those check bounds inline and call glibc memmove/memset',
    'matmul': 'the -msimd128 wasm vectorizes the i-k-j loop with v128 f64x2 ops, where native clang also '
              'unrolls and interleaves; aotc keeps the wasm\'s vector shape',
    'simd': 'i32x4.dot_i16x8_s now lowers to pmaddwd; the rest is the wasm\'s own shuffles and '
            'extends (wasm_simd128.h has no direct pmaddubsw/pshufb equivalents)',
    'fptr': 'call_indirect: a range compare of the table index against constants before each call '
            '(the table is sealed: no load from it; was 1.41x when the check went through the reference, '
            '1.32x through the table element) and adding the code offset to its constant array; no '
            'pending-exception test since the constant type array tells the unary operations from '
            'wasi-libc\'s __stdio_close of the same type, which calls an import (17.4M -> 15.4M '
            'instructions at 3 %, time unchanged). The time goes to the calls\' mispredicted targets, '
            'as natively: a native build with the same two-level lookup (index, then code) ran as fast '
            'as the original, one through a jump table (no load) slower',
    'recursion': 'per call: a stack-limit compare on paths that call (loading the limit through the '
                 'store measured free: a one-load variant ran within 0.2 %), a frame pointer (trap '
                 'backtraces) and the vmctx in r13 (one callee-saved register less for the function\'s '
                 'own values); wasm2c has none of these (its stack overflow is the OS guard page, and '
                 'clang drops its unused instance argument)',
    'base64': 'mostly wasi-libc: the round-trip check\'s memcmp of 1 MiB per repetition is musl\'s byte '
              'loop, against glibc\'s SSE memcmp natively. Without that memcmp kiln executes 1.10x '
              'native\'s instructions, with it 1.33x (measured with cachegrind at 3 %); the rest is wasm '
              'addresses computed in 32 bits before indexing off the memory base',
    'lz': 'wasm addresses computed in 32 bits before indexing off the memory base (extra lea/add per access)',
    'hash': 'the -msimd128 build vectorizes the 64-bit lanes with i64x2.mul, which x86 before AVX-512 '
            'lacks (three pmuludq each); native clang keeps them scalar (compare kiln-mvp)',
    'interp': 'code layout: the dispatch loop is the same instructions as in earlier builds and in '
              'kiln-mvp, and its time moves by up to 25 % with the addresses of its indirect jumps',
    'nbody': 'varies 0.8-1.2x between runs (native clang SLP-vectorizes some f64 pairs with SSE2)',
    'sort': 'wasm addresses computed in 32 bits; dlmalloc (wasi-libc) for the merge buffer',
    'sieve': 'strided byte stores with 32-bit wasm address arithmetic',
    'strings': 'dlmalloc and musl string routines (wasi-libc) instead of glibc\'s',
    'bintrees': 'dlmalloc (wasi-libc) instead of glibc malloc',
    'tailinterp': 'instruction count: kiln runs 2.9x native\'s instructions (callgrind at 5 % work: '
                  '612M against 208M). Per dispatch native loads the code word and the handler and '
                  'jumps; each kiln handler (a function of its own, 23 instructions against 7) adds '
                  'the check of the element (one range compare against constants: the table is '
                  'sealed), adding the code offset to its constant array, the interrupt poll, a '
                  'frame-pointer push and pop and zero-extending the i32 pc and sp. Sealed tables '
                  'removed 14 per handler (table and type-id loads, the same-instance vmctx compare, '
                  'the tail_code test, the separate bounds check): 879M -> 612M instructions, 2.00x '
                  '-> 1.42x. Was 6.5x while each handler\'s vmctx came from the table element: a '
                  'chain of loads through every handler. Of the 23, the frame-pointer push and pop stay '
                  'because LLVM does not shrink-wrap them into the cold general path (its ordinary call '
                  'and return beside the tail calls), and two vmctx moves come from the register '
                  'allocator (that path puts the callee\'s vmctx in r13). Not the cost: the extra '
                  'dependent load of wasm\'s function pointers (table index, then code): a native build '
                  'with the same two-level lookup ran as fast as native',
}

# Where the scalar build (kiln-mvp) misses a target, and why.
MVP_CAUSES = {
    'matmul': 'clang unrolls the wasm j loop by three, so each array moves by 24 bytes per iteration; '
              'aotc\'s plain copy proves the arrays apart and rerolls the body to one element per '
              'iteration, which the loop vectorizer then takes whole (see bench/README.md, loop versioning)',
}

# Where kiln can lose to a peer running the same wasm, and why.
PEER_CAUSES = {
    'recursion': 'wasm2c checks no stack limit, keeps no frame pointer and passes no context to its '
                 'recursive calls',
    'fptr': 'both check each call\'s bounds and type (kiln against constants: the table is sealed); '
            'the time goes to mispredicted indirect calls',
    'memops': 'the same memmove/memset calls after an inline bounds check; its loop reads the poll page '
              'and, one register short for the frame pointer, reloads three spilled values per '
              'iteration (instructions: 1.03x wasm2c\'s)',
    'hash': 'the same loop, one poll-page read per iteration more',
    'strings': 'the same code but for poll-page reads in loops and stack checks in malloc/strcmp callers',
    'sort': 'one poll-page read per loop iteration',
    'sieve': 'one poll-page read per loop iteration',
    'lz': 'one poll-page read per loop iteration',
    'interp': 'the dispatch loop\'s indirect branches make its time move with code layout from run '
              'to run; kiln executes fewer instructions than native and wasm2c',
    'bintrees': 'the same dlmalloc code and instruction count; allocation-heavy, so its time varies '
                'with the machine\'s load',
    'nbody': 'the same scalar f64 code (no SIMD in this build for either) within 3 % of the '
             'instructions; kiln-mvp ran 1.31-1.46x native across runs on 2026-12-07, so a few % '
             'either way is this machine\'s noise',
}


NEEDS_SIMD = 'written with SIMD intrinsics: there is no build without SIMD for this runtime'
NEEDS_TAIL_CALL = 'uses tail calls (return_call_indirect), which wabt 1.0.32\'s wasm2c cannot translate'
# What a runtime cannot run by design: a note in the report, not a failure.
UNSUPPORTED = (NEEDS_SIMD, NEEDS_TAIL_CALL)


def kernel_headers():
    """The headers every kernel build depends on (bench_common.h, interp_programs.h)."""
    d = os.path.join(HERE, 'kernels')
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith('.h'))


def wasm_feature_flags(kernel):
    """clang flags a kernel's wasm builds need beyond WASM_FLAGS and SIMD."""
    return ['-mtail-call'] if kernel in TAIL_CALL_KERNELS else []


class Failure(Exception):
    """A build or run step failed; the message says which and why."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- building

def run_checked(cmd, what, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        tail = '\n'.join(proc.stdout.strip().splitlines()[-8:])
        raise Failure('%s failed (exit %d): %s\n%s' % (what, proc.returncode, ' '.join(cmd), tail))


def file_digest(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def up_to_date(output, inputs, cmd):
    """True when output exists, was made by exactly cmd, from inputs with these contents."""
    stamp = output + '.stamp'
    key = '\n'.join([' '.join(cmd)] + [file_digest(p) for p in inputs])
    if os.path.exists(output) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == key:
                return True, stamp, key
    return False, stamp, key


def make(output, inputs, cmd, what, cwd=None):
    fresh, stamp, key = up_to_date(output, inputs, cmd)
    if fresh:
        return
    if os.path.exists(stamp):
        os.remove(stamp)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    run_checked(cmd, what, cwd)
    with open(stamp, 'w') as f:
        f.write(key)


def find_wasm2c_runtime():
    for d in WASM2C_RUNTIME_DIRS:
        if os.path.exists(os.path.join(d, 'wasm-rt-impl.c')):
            includes = [d] + [x for x in WASM2C_RUNTIME_DIRS if x != d and os.path.isdir(x)]
            if any(os.path.exists(os.path.join(i, 'wasm-rt.h')) for i in includes):
                return os.path.join(d, 'wasm-rt-impl.c'), includes
    return None, []


class Builder:
    def __init__(self, opts):
        self.o = opts
        self.work = opts.work
        self.headers = kernel_headers()
        self.host_dir = os.path.join(HERE, 'wasm2c_host')
        self.wasm2c_impl, self.wasm2c_includes = find_wasm2c_runtime()

    def path(self, runtime, kernel):
        ext = {'native': '', 'wasm': '.wasm', 'wasm-mvp': '.wasm', 'kiln': '.so', 'kiln-mvp': '.so',
               'wasm2c': ''}[runtime]
        return os.path.join(self.work, runtime, kernel + ext)

    def source(self, kernel):
        return os.path.join(HERE, 'kernels', kernel + '.c')

    def native(self, k):
        out = self.path('native', k)
        simd = ['-msse4.1'] if k in SIMD_KERNELS else []
        cmd = [self.o.cc] + NATIVE_FLAGS + simd + [self.source(k), '-o', out, '-lm']
        make(out, [self.source(k)] + self.headers, cmd, 'native build of ' + k)

    def simd_build(self, k):
        return k in SIMD_KERNELS or self.o.wasm_simd == 'all'

    def wasm(self, k, variant='wasm'):
        out = self.path(variant, k)
        simd = ['-msimd128'] if variant == 'wasm' and self.simd_build(k) else []
        cmd = ([self.o.cc] + WASM_FLAGS + simd + wasm_feature_flags(k) + self.o.wasm_flags +
               [self.source(k), '-o', out])
        make(out, [self.source(k)] + self.headers, cmd, '%s build of %s' % (variant, k))

    def kiln(self, k, variant='kiln'):
        wasm = self.path('wasm' if variant == 'kiln' else 'wasm-mvp', k)
        out = self.path(variant, k)
        cmd = [self.o.aotc] + self.o.aotc_flags + [wasm, '-o', out]
        make(out, [wasm, self.o.aotc], cmd, 'aotc compile of %s (%s)' % (k, variant))

    def wasm2c(self, k):
        if not self.wasm2c_impl:
            raise Failure('wasm2c runtime (wasm-rt-impl.c, wasm-rt.h) not found in ' +
                          ', '.join(WASM2C_RUNTIME_DIRS))
        wasm = self.path('wasm-mvp', k)
        gen_dir = os.path.join(self.work, 'wasm2c-src', k)
        gen_c = os.path.join(gen_dir, 'kernel.c')
        make(gen_c, [wasm], [self.o.wasm2c, wasm, '-n', 'kernel', '-o', gen_c],
             'wasm2c translation of ' + k)
        host = sorted(os.path.join(self.host_dir, f) for f in os.listdir(self.host_dir)
                      if f.endswith('.c') or f.endswith('.h'))
        out = self.path('wasm2c', k)
        cmd = ([self.o.cc] + NATIVE_FLAGS + ['-I' + gen_dir, '-I' + self.host_dir] +
               ['-I' + d for d in self.wasm2c_includes] +
               [gen_c, self.wasm2c_impl] + [h for h in host if h.endswith('.c')] +
               ['-o', out, '-lm'])
        make(out, [gen_c, os.path.join(gen_dir, 'kernel.h')] + host, cmd, 'wasm2c C build of ' + k)

    def build_kernel(self, k, runtimes):
        """Builds what the runtimes need; returns {runtime: error message} for failures."""
        errors = {}
        steps = []
        if 'native' in runtimes:
            steps.append(('native', [self.native]))
        wasm_users = []
        for variant, users in (('wasm', ('kiln', 'node')), ('wasm-mvp', ('kiln-mvp', 'wasm2c'))):
            users = [r for r in runtimes if r in users]
            if not users:
                continue
            if variant == 'wasm-mvp' and k in SIMD_KERNELS:
                for r in users:
                    errors[r] = NEEDS_SIMD
                continue
            if variant == 'wasm-mvp' and k in TAIL_CALL_KERNELS and 'wasm2c' in users:
                errors['wasm2c'] = NEEDS_TAIL_CALL
                users.remove('wasm2c')
            try:
                self.wasm(k, variant)
                wasm_users += users
            except Failure as e:
                for r in users:
                    errors[r] = str(e)
        if 'kiln' in wasm_users:
            steps.append(('kiln', [self.kiln]))
        if 'kiln-mvp' in wasm_users:
            steps.append(('kiln-mvp', [lambda k: self.kiln(k, 'kiln-mvp')]))
        if 'wasm2c' in wasm_users:
            steps.append(('wasm2c', [self.wasm2c]))
        for runtime, fns in steps:
            try:
                for fn in fns:
                    fn(k)
            except Failure as e:
                errors[runtime] = str(e)
        return errors


# ---------------------------------------------------------------- running

CHECKSUM_RE = re.compile(r'^checksum ([0-9a-f]{16})$', re.M)
KERNEL_NS_RE = re.compile(r'^kernel_ns (\d+)$', re.M)


def command(opts, builder, runtime, kernel, percent):
    arg = [str(percent)]
    if runtime == 'native':
        return [builder.path('native', kernel)] + arg
    if runtime in ('kiln', 'kiln-mvp'):
        return [opts.kiln, 'run', builder.path(runtime, kernel)] + arg
    if runtime == 'wasm2c':
        return [builder.path('wasm2c', kernel)] + arg
    return [opts.node, '--no-warnings'] + node_wasi_flags(opts.node) + [
        os.path.join(HERE, 'node_wasi_run.mjs'), builder.path('wasm', kernel)] + arg


_node_flags = {}


def node_wasi_flags(node):
    """Node before 20 (Debian 12 ships 18) needs a flag for node:wasi."""
    if node not in _node_flags:
        m = re.match(r'v(\d+)', tool_version([node, '--version']))
        old = m is not None and int(m.group(1)) < 20
        _node_flags[node] = ['--experimental-wasi-unstable-preview1'] if old else []
    return _node_flags[node]


def run_once(cmd, timeout):
    """Returns (checksum, kernel seconds, wall seconds) or raises Failure."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure('timed out after %ds: %s' % (timeout, ' '.join(cmd)))
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ['(no output)'])[-1]
        raise Failure('exit %d: %s: %s' % (proc.returncode, ' '.join(cmd), err))
    cs, ns = CHECKSUM_RE.search(proc.stdout), KERNEL_NS_RE.search(proc.stdout)
    if not cs or not ns:
        raise Failure('no checksum/kernel_ns lines in the output of ' + ' '.join(cmd))
    return cs.group(1), int(ns.group(1)) / 1e9, wall


# ---------------------------------------------------------------- micro-benchmarks

# Why a micro-benchmark target can be missed, by the start of its summary line.
MICRO_CAUSES = {
    'load, 1 MB of code': 'a plain file is copied into a sealed memfd, so that the bytes checked are '
                          'the bytes mapped; the ~330 shared-memory pages that copy allocates cost '
                          '~1.5 us each on this VM. Immutable, fs-verity and read-only-filesystem '
                          'artifacts are checked and mapped in place (the "immutable" lines)',
    'load, 1 MB, immutable, first': 'hashing the 1.35 MB file through page faults of a fresh mapping '
                                    '(~70 us here; XXH3 itself ~26 us); a repeat load of the unchanged '
                                    'file skips the hash',
    'host->wasm call with Values': 'the std::vector of results the returning overload allocates (the '
                                   'overload that writes into the caller\'s span: ~15-17 ns); 26-31 ns '
                                   'between runs on this VM',
    'host->wasm typed call': 'the assembly entry saves six callee-saved registers, records the landing '
                             'point for traps and keeps the store\'s entry depth and stack limit; '
                             '4.5-5.1 ns between runs on this VM',
}


def micro_causes(summary):
    """Markdown lines naming the cause of each target the summary marks NOT MET."""
    lines = []
    for line in summary:
        if not line.rstrip().endswith('NOT MET'):
            continue
        name = next((k for k in sorted(MICRO_CAUSES, key=len, reverse=True) if line.startswith(k)), None)
        label = line[:34].strip()
        lines.append('* **%s**: %s' % (label, MICRO_CAUSES[name] if name else 'not analysed yet'))
    return lines + [''] if lines else []


MICRO_PROGRAMS = [
    ('kiln_runtime_bench', 'libkiln: load, instantiate, calls, cost of safety options'),
    ('kiln_compile_bench', 'aotc: compile throughput'),
]


def run_micro(o):
    """Builds and runs the Google Benchmark programs of bench/micro; returns
    Markdown lines with their summaries, or raises Failure."""
    log('building the micro-benchmarks (ninja -C %s bench-micro)' % o.build_dir)
    run_checked(['ninja', '-C', o.build_dir, 'bench-micro'], 'build of the micro-benchmarks')
    lines = ['## Micro-benchmarks', '',
             'Google Benchmark programs in bench/micro (see bench/README.md), run after the kernels.', '']
    for prog, title in MICRO_PROGRAMS:
        exe = os.path.join(o.build_dir, 'bench', 'micro', prog)
        json_path = os.path.join(o.work, prog + '.json')
        log('running ' + prog)
        try:
            proc = subprocess.run([exe, '--benchmark_out=' + json_path, '--benchmark_out_format=json'],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  timeout=o.timeout * 4)
        except subprocess.TimeoutExpired:
            raise Failure('%s timed out' % prog)
        print(proc.stdout)
        if proc.returncode != 0:
            raise Failure('%s failed (exit %d)' % (prog, proc.returncode))
        lines += ['### ' + title, '']
        # The program's own summary (targets and verdicts), when it prints one.
        out = proc.stdout.splitlines()
        start = next((i for i, l in enumerate(out) if l.startswith('summary')), None)
        if start is not None:
            lines += ['```'] + out[start:] + ['```', '']
            lines += micro_causes(out[start:])
        with open(json_path) as f:
            data = json.load(f)
        rows = []
        for b in data.get('benchmarks', []):
            if b.get('run_type') == 'aggregate':
                continue
            skip = {'name', 'run_name', 'run_type', 'repetitions', 'repetition_index', 'threads',
                    'iterations', 'real_time', 'cpu_time', 'time_unit', 'family_index',
                    'per_family_instance_index', 'bytes_per_second', 'error_occurred', 'error_message'}
            counters = ', '.join('%s %.3g' % (k, v) for k, v in b.items()
                                 if k not in skip and isinstance(v, (int, float)))
            err = b.get('error_message')
            rows.append('| %s | %.4g %s | %.4g %s | %s |' % (
                b['name'], b.get('real_time', 0), b.get('time_unit', ''), b.get('cpu_time', 0),
                b.get('time_unit', ''), ('error: ' + err) if err else counters))
        lines += ['| benchmark | real | cpu | counters |', '|---|---:|---:|---|'] + rows + ['']
    return lines


# ---------------------------------------------------------------- instruction counts

ICOUNT_RUNTIMES = ['native', 'kiln', 'kiln-mvp', 'wasm2c']  # node's JIT is not worth emulating
IREFS_RE = re.compile(r'I\s+refs:\s+([\d,]+)')


def count_instructions(cmd, timeout):
    """Instructions a whole process executes, by valgrind's cachegrind."""
    full = ['valgrind', '--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null'] + cmd
    try:
        proc = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure('timed out under valgrind after %ds: %s' % (timeout, ' '.join(cmd)))
    m = IREFS_RE.search(proc.stderr)
    if proc.returncode != 0 or not m:
        raise Failure('valgrind run failed (exit %d): %s' % (proc.returncode, ' '.join(cmd)))
    return int(m.group(1).replace(',', ''))


def icount_section(o, builder, errors, notes):
    """Markdown lines with instructions per kernel (the work at 2P minus the
    work at P, so start-up and loading cancel out) and their ratios: a
    measure the machine's load cannot blur. Also returns the counts,
    {(kernel, runtime): instructions}."""
    if not shutil.which('valgrind'):
        log('note: valgrind not found: no instruction counts')
        return [], {}
    runtimes = [r for r in ICOUNT_RUNTIMES if r in o.runtimes]
    if 'native' not in runtimes:
        return [], {}
    log('counting instructions (valgrind) at %d%% and %d%%' % (o.icount_percent, 2 * o.icount_percent))
    counts, percents = {}, {}
    for k in o.kernels:
        for r in runtimes:
            if (k, r) in errors or (k, r) in notes:
                continue
            # Kernels round their repetitions: grow the size until doubling it shows.
            p = percents.get(k, o.icount_percent)
            try:
                while True:
                    lo = count_instructions(command(o, builder, r, k, p), o.timeout)
                    hi = count_instructions(command(o, builder, r, k, 2 * p), o.timeout)
                    if hi - lo > lo // 4 or p >= 8 * o.icount_percent:
                        break
                    p *= 2
            except Failure as e:
                log('warning: %s/%s: %s' % (k, r, e))
                continue
            if hi > lo:
                percents[k] = p
                counts[(k, r)] = (hi - lo) * o.icount_percent // p
    head = ['kernel', 'native Minstr'] + ['%s/native' % r for r in runtimes if r != 'native']
    if 'kiln-mvp' in runtimes and 'wasm2c' in runtimes:
        head.append('kiln-mvp/wasm2c')
    rows = []
    for k in o.kernels:
        base = counts.get((k, 'native'))
        if not base:
            continue
        row = [k, '%.1f' % (base / 1e6)]
        for r in runtimes[1:]:
            row.append(fmt_ratio(counts[(k, r)] / base) if (k, r) in counts else '—')
        if head[-1] == 'kiln-mvp/wasm2c':
            a, b = counts.get((k, 'kiln-mvp')), counts.get((k, 'wasm2c'))
            row.append(fmt_ratio(a / b) if a and b else '—')
        rows.append(row)
    if not rows:
        return [], counts
    print('\ninstructions per %d%% of work (valgrind), ratios' % o.icount_percent)
    print(text_table(head, rows))
    return ['## Instructions executed', '',
            'Instructions for %d%% of the work (a run at %d%% minus one at %d%%, so start-up and loading '
            'cancel out; kernels whose repetitions round to the same count there run at larger sizes, '
            'scaled back), counted by valgrind\'s cachegrind: unlike times, these do not move with the '
            'machine\'s load. Fewer instructions is not always faster (branch misses, memory), but where '
            'kiln and a peer run the same count, a time difference between them is layout or noise.' %
            (o.icount_percent, 2 * o.icount_percent, o.icount_percent), '',
            md_table(head, rows), ''], counts


# ---------------------------------------------------------------- reporting

def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_ms(s):
    return '—' if s is None else '%.1f' % (s * 1000)


def fmt_ratio(r):
    return '—' if r is None else '%.2f' % r


def table_rows(kernels, runtimes, med):
    """Rows of [kernel, time, (time, ratio)...] plus a geomean row, as strings."""
    rows, ratios = [], {r: [] for r in runtimes}
    for k in kernels:
        base = med.get((k, 'native'))
        row = [k]
        for r in runtimes:
            t = med.get((k, r))
            row.append(fmt_ms(t))
            if r != 'native':
                ratio = t / base if t is not None and base else None
                ratios[r].append(ratio)
                row.append(fmt_ratio(ratio))
        rows.append(row)
    geo = ['geomean']
    for r in runtimes:
        geo.append('')
        if r != 'native':
            geo.append(fmt_ratio(geomean(ratios[r])))
    rows.append(geo)
    return rows, ratios


def header(runtimes):
    h = ['kernel']
    for r in runtimes:
        h.append(r + ' ms')
        if r != 'native':
            h.append(r + '/native')
    return h


def text_table(head, rows):
    widths = [max(len(str(x[i])) for x in [head] + rows) for i in range(len(head))]
    line = lambda cells: '  '.join(str(c).rjust(w) if i else str(c).ljust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return '\n'.join([line(head), line(['-' * w for w in widths])] + [line(r) for r in rows])


def md_table(head, rows):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '|'.join(['---'] + ['---:'] * (len(head) - 1)) + '|']
    for r in rows:
        cells = ['**%s**' % c if r[0] == 'geomean' and c else c for c in r]
        out.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(out)


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        return out.strip().splitlines()[0] if out.strip() else '?'
    except OSError:
        return 'not found'


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or '?'


# ---------------------------------------------------------------- main

def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--build-dir', default=os.path.join(REPO, 'build'),
                   help='meson build directory with aotc/aotc and tools/kiln/kiln (default: build)')
    p.add_argument('--aotc', help='aotc binary (default: BUILD/aotc/aotc)')
    p.add_argument('--kiln', help='kiln binary (default: BUILD/tools/kiln/kiln)')
    p.add_argument('--aotc-flag', dest='aotc_flags', action='append', default=[],
                   help='extra aotc option, repeatable (e.g. --aotc-flag=--interruptible)')
    p.add_argument('--cc', default='clang-19')
    p.add_argument('--wasm2c', default='wasm2c')
    p.add_argument('--node', default='node')
    p.add_argument('--work', help='build directory for the kernels (default: BUILD/bench-work)')
    p.add_argument('--results', default=os.path.join(HERE, 'results'),
                   help='where latest.md and latest.png go (default: bench/results)')
    p.add_argument('--runs', type=int, default=5, help='runs per kernel and runtime (median is reported)')
    p.add_argument('--percent', type=int, default=100, help='work size in percent of the benchmark size')
    p.add_argument('--kernels', help='comma-separated subset of kernels')
    p.add_argument('--runtimes', default=','.join(RUNTIMES), help='comma-separated subset of ' +
                   ','.join(RUNTIMES))
    p.add_argument('--wasm-simd', choices=['all', 'kernel'], default='all',
                   help='all (default): kiln and node run every kernel built with -msimd128, as native '
                        'uses SSE; kernel: only the simd kernel (then kiln-mvp is the same as kiln)')
    p.add_argument('--no-micro', action='store_true',
                   help='skip the micro-benchmarks (bench/micro, Google Benchmark)')
    p.add_argument('--no-icount', action='store_true',
                   help='skip the instruction counts (valgrind cachegrind; skipped anyway without valgrind)')
    p.add_argument('--icount-percent', type=int, default=3,
                   help='work size for the instruction counts; each kernel also runs at twice this (default 3)')
    p.add_argument('--wasm-flag', dest='wasm_flags', action='append', default=[],
                   help='extra clang option for the wasm builds, repeatable (e.g. --wasm-flag=-mbulk-memory)')
    p.add_argument('--jobs', type=int, default=2, help='parallel build jobs')
    p.add_argument('--timeout', type=int, default=300, help='seconds per run')
    p.add_argument('--smoke', action='store_true',
                   help='correctness check: 1%% size, one run, native and kiln only, no result files')
    p.add_argument('--no-realworld', action='store_true',
                   help='skip the real programs (bench/realworld.py: kiln against node, end to end)')
    p.add_argument('--realworld-runs', type=int, default=3,
                   help='runs per real program and runtime (median is reported)')
    p.add_argument('--realworld-cases', help='comma-separated subset of the real-world corpus cases')
    p.add_argument('--no-exceptions', action='store_true',
                   help='skip the C++ exceptions row (bench/exceptions.py: native, kiln, node)')
    o = p.parse_args()
    o.build_dir = os.path.abspath(o.build_dir)
    o.aotc = os.path.abspath(o.aotc or os.path.join(o.build_dir, 'aotc', 'aotc'))
    o.kiln = os.path.abspath(o.kiln or os.path.join(o.build_dir, 'tools', 'kiln', 'kiln'))
    o.work = os.path.abspath(o.work or os.path.join(o.build_dir, 'bench-work'))
    if o.smoke:
        o.percent, o.runs = 1, 1
        if o.runtimes == ','.join(RUNTIMES):
            o.runtimes = 'native,kiln'
    requested = o.runtimes.split(',')
    unknown = [r for r in requested if r not in RUNTIMES]
    if unknown:
        p.error('unknown runtime(s): ' + ', '.join(unknown))
    o.runtimes = [r for r in RUNTIMES if r in requested]
    if o.wasm_simd == 'kernel' and 'kiln-mvp' in o.runtimes:
        o.runtimes.remove('kiln-mvp')  # it would run the very same build as kiln
    o.micro = not o.smoke and not o.no_micro
    o.icount = not o.smoke and not o.no_icount
    o.realworld = not o.smoke and not o.no_realworld and 'kiln' in o.runtimes and 'node' in o.runtimes
    o.exceptions = not o.smoke and not o.no_exceptions and 'kiln' in o.runtimes
    all_kernels = sorted(f[:-2] for f in os.listdir(os.path.join(HERE, 'kernels')) if f.endswith('.c'))
    o.kernels = o.kernels.split(',') if o.kernels else all_kernels
    missing = [k for k in o.kernels if k not in all_kernels]
    if missing:
        p.error('unknown kernel(s): ' + ', '.join(missing))
    if o.runs < 1 or o.percent < 1:
        p.error('--runs and --percent must be at least 1')
    return o


def check_tools(o):
    """Drops runtimes whose tools are missing (an error for native and kiln)."""
    need = {'native': [o.cc], 'kiln': [o.cc, o.aotc, o.kiln], 'kiln-mvp': [o.cc, o.aotc, o.kiln],
            'wasm2c': [o.cc, o.wasm2c], 'node': [o.cc, o.node]}
    ok = []
    for r in o.runtimes:
        absent = [t for t in need[r] if not (os.path.exists(t) or shutil.which(t))]
        if not absent:
            ok.append(r)
            continue
        msg = '%s: missing %s' % (r, ', '.join(absent))
        if r in ('native', 'kiln'):
            raise Failure(msg + (' (build them: ninja -C %s aotc/aotc tools/kiln/kiln)' % o.build_dir
                                 if r == 'kiln' else ''))
        log('warning: skipping ' + msg)
    o.runtimes = ok


def main():
    o = parse_args()
    try:
        check_tools(o)
    except Failure as e:
        log('error: ' + str(e))
        return 1
    builder = Builder(o)
    errors = {}     # (kernel, runtime) -> message: counts as a failure
    notes = {}      # (kernel, runtime) -> message: known unsupported, not a failure

    log('building %d kernels for %s in %s' % (len(o.kernels), ', '.join(o.runtimes), o.work))
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, o.jobs)) as pool:
        futures = {pool.submit(builder.build_kernel, k, o.runtimes): k for k in o.kernels}
        for fut in concurrent.futures.as_completed(futures):
            k = futures[fut]
            for r, msg in fut.result().items():
                if msg in UNSUPPORTED:
                    notes[(k, r)] = msg
                else:
                    errors[(k, r)] = msg
    log('built in %.1f s' % (time.perf_counter() - t0))

    # Runs alternate: every run round visits every kernel, and the order of
    # runtimes rotates from round to round so drift hits all of them alike.
    samples = {}    # (kernel, runtime) -> [(kernel s, wall s)]
    checksums = {}  # (kernel, runtime) -> set of checksums
    load_before = os.getloadavg()
    for rnd in range(o.runs):
        log('run %d/%d' % (rnd + 1, o.runs))
        for k in o.kernels:
            order = o.runtimes[rnd % len(o.runtimes):] + o.runtimes[:rnd % len(o.runtimes)]
            for r in order:
                if (k, r) in errors or (k, r) in notes:
                    continue
                try:
                    cs, kt, wall = run_once(command(o, builder, r, k, o.percent), o.timeout)
                except Failure as e:
                    errors[(k, r)] = str(e)
                    continue
                samples.setdefault((k, r), []).append((kt, wall))
                checksums.setdefault((k, r), set()).add(cs)
    load_after = os.getloadavg()

    # Every runtime and every run must agree on each kernel's checksum.
    for k in o.kernels:
        seen = {r: checksums[(k, r)] for r in o.runtimes if (k, r) in checksums}
        distinct = set().union(*seen.values()) if seen else set()
        if len(distinct) > 1:
            detail = ', '.join('%s=%s' % (r, '/'.join(sorted(v))) for r, v in seen.items())
            errors[(k, 'checksum')] = 'checksum mismatch for %s: %s' % (k, detail)

    med = {key: statistics.median(s[0] for s in v) for key, v in samples.items()}
    med_wall = {key: statistics.median(s[1] for s in v) for key, v in samples.items()}
    for key in list(med):
        if key[0] in {k for k, r in errors if r == 'checksum'}:
            del med[key], med_wall[key]

    head = header(o.runtimes)
    rows, ratios = table_rows(o.kernels, o.runtimes, med)
    wall_rows, _ = table_rows(o.kernels, o.runtimes, med_wall)
    print('kernel time (median of %d, in-guest monotonic clock), work %d%%' % (o.runs, o.percent))
    print(text_table(head, rows))
    if not o.smoke:
        print('\nprocess wall time (includes startup, module load; node: wasm compile)')
        print(text_table(head, wall_rows))
    for key, msg in sorted(notes.items()):
        print('note: %s/%s: %s' % (key[0], key[1], msg))
    for key, msg in sorted(errors.items()):
        print('error: %s/%s: %s' % (key[0], key[1], msg))

    icount_lines, counts = icount_section(o, builder, errors, notes) if o.icount else ([], {})
    peer_lines = peer_comparison(o, med, counts)
    print('\n'.join([''] + peer_lines))

    micro_lines = []
    if o.micro:
        try:
            micro_lines = run_micro(o)
        except Failure as e:
            errors[('micro', 'benchmarks')] = str(e)
            print('error: micro/benchmarks: %s' % e)

    realworld_lines = []
    realworld_times = {}
    if o.realworld:
        log('real programs: %d runs each under kiln and node' % o.realworld_runs)
        times, rw_errors, _ = realworld.benchmark(
            o.aotc, o.kiln, o.node, o.realworld_runs,
            o.realworld_cases.split(',') if o.realworld_cases else None, log=log)
        realworld_times = times
        for i, e in enumerate(rw_errors):
            errors[('realworld', str(i))] = e
        table = realworld.markdown(times, [])
        print('\nreal programs, end to end (median of %d)\n%s' % (o.realworld_runs, table))
        realworld_lines = ['## Real programs, end to end', '',
                           'The WASI programs of the real-world corpus (tests/realworld), the same module '
                           'under `kiln run` (compiled beforehand at -O2; the time includes loading it) and '
                           'under Node (the time includes V8 compiling it); seconds of wall time for all of a '
                           'case\'s steps, median of %d runs, outputs checked against the expected ones '
                           '(bench/realworld.py).' % o.realworld_runs, '', table, '']

    exception_lines = []
    if o.exceptions:
        log('C++ exceptions: %d runs each natively, under kiln and node' % o.runs)
        times, eh_errors = exceptions.benchmark(o.aotc, o.kiln, o.node if 'node' in o.runtimes else None,
                                                o.runs, log=log)
        for i, e in enumerate(eh_errors):
            errors[('exceptions', str(i))] = e
        table = exceptions.markdown(times, [])
        print('\nC++ exceptions (median of %d)\n%s' % (o.runs, table))
        exception_lines = ['## C++ exceptions', '',
                           'bench/cxx_exceptions/throw_loop.cpp: a throw every 8 calls, caught two frames up '
                           'by type; clang++ -O2 natively, -fwasm-exceptions for wasm (exception handling, '
                           '2022 form); seconds in the kernel, median of %d runs, checksums checked '
                           '(bench/exceptions.py). Kiln returns exceptions (a test after each call that '
                           'may throw) where native C++ unwinds with tables.' % o.runs, '', table, '']

    if not o.smoke:
        write_results(o, head, rows, wall_rows, ratios, notes, errors, load_before, load_after,
                      target_lines(o, ratios, med, realworld_times) + realworld_lines + exception_lines +
                      peer_lines + icount_lines + micro_lines)
    ok_runs = sum(len(v) for v in samples.values())
    print('%d passed, %d failed' % (ok_runs, len(errors)))
    return 1 if errors else 0


def peer_comparison(o, med, counts):
    """Markdown lines comparing kiln with each peer on the very same wasm;
    where kiln is slower, the cause and, if counted, the instruction ratio."""
    pairs = [('kiln', 'node', 'the -msimd128 build'), ('kiln-mvp', 'wasm2c', 'the build without SIMD')]
    lines = []
    for ours, peer, what in pairs:
        if ours not in o.runtimes or peer not in o.runtimes:
            continue
        ratios = [(k, med[(k, ours)] / med[(k, peer)]) for k in o.kernels
                  if med.get((k, ours)) and med.get((k, peer))]
        if not ratios:
            continue
        faster = sum(1 for _, r in ratios if r < 1)
        lines += ['### %s against %s, both running %s' % (ours, peer, what), '',
                  '%s/%s time ratio (below 1: kiln is faster); kiln faster on %d of %d kernels, '
                  'geomean %.2f.' % (ours, peer, faster, len(ratios), geomean([r for _, r in ratios])), '',
                  '| ' + ' | '.join(k for k, _ in ratios) + ' |',
                  '|' + '---:|' * len(ratios),
                  '| ' + ' | '.join('%.2f' % r for _, r in ratios) + ' |', '']
        for k, r in ratios:
            if r < 1:
                continue
            a, b = counts.get((k, ours)), counts.get((k, peer))
            instr = ' (instructions executed: %.2fx %s\'s)' % (a / b, peer) if a and b else ''
            lines.append('* **%s** %.2fx: %s%s' % (k, r, PEER_CAUSES.get(k, 'not analysed yet'), instr))
        if any(r >= 1 for _, r in ratios):
            lines.append('')
    return (['## Kiln against the other runtimes', ''] + lines) if lines else []


# Issue 18's targets for the kernels, the peers and the real programs (the
# call micro-benchmark's target is in its own section).
TARGET_GEOMEAN = {'kiln': 1.05, 'kiln-mvp': 1.10}
TARGET_KERNEL_MAX = 1.25
TARGET_MATMUL_MVP = 1.20


def target_lines(o, ratios, med, realworld_times):
    """Markdown lines: each target, MET or NOT MET with the measured value;
    a miss points to the cause given elsewhere in the report."""
    lines = []

    def verdict(ok):
        return 'met' if ok else '**NOT MET**'

    for runtime, limit in TARGET_GEOMEAN.items():
        if runtime not in o.runtimes:
            continue
        g = geomean(ratios[runtime])
        if g is not None:
            what = 'SIMD build' if runtime == 'kiln' else 'scalar build (kiln-mvp)'
            lines.append('* kernels, %s: geomean %.2fx native (target <= %.2f): %s' %
                         (what, g, limit, verdict(g <= limit)))
    if 'kiln' in o.runtimes:
        above = [(k, r) for k, r in zip(o.kernels, ratios['kiln']) if r is not None and r > TARGET_KERNEL_MAX]
        lines.append('* no kernel above %.2fx native (SIMD build): %s%s' % (
            TARGET_KERNEL_MAX, verdict(not above),
            '' if not above else ': ' + ', '.join('%s %.2fx' % a for a in above) +
            ' (causes under "Where kiln is slower than native")'))
    if 'kiln-mvp' in o.runtimes and 'matmul' in o.kernels:
        r = ratios['kiln-mvp'][o.kernels.index('matmul')]
        if r is not None:
            lines.append('* matmul built without SIMD: %.2fx native (target <= %.2f): %s%s' % (
                r, TARGET_MATMUL_MVP, verdict(r <= TARGET_MATMUL_MVP),
                '' if r <= TARGET_MATMUL_MVP else ' (%s)' % MVP_CAUSES['matmul']))
    if 'kiln-mvp' in o.runtimes and 'wasm2c' in o.runtimes:
        slower = [k for k in o.kernels if med.get((k, 'kiln-mvp')) and med.get((k, 'wasm2c'))
                  and med[(k, 'kiln-mvp')] >= med[(k, 'wasm2c')]]
        lines.append('* faster than wasm2c on every kernel (the same wasm): %s%s' % (
            verdict(not slower), '' if not slower else ': slower on ' + ', '.join(slower) +
            ' (causes under "Kiln against the other runtimes")'))
    if realworld_times:
        slower, unmeasured = [], []
        for name, by_runtime in realworld_times.items():
            if by_runtime.get('kiln') and by_runtime.get('node'):
                if statistics.median(by_runtime['kiln']) >= statistics.median(by_runtime['node']):
                    slower.append(name)
            else:
                failed = [r for r in ('kiln', 'node') if not by_runtime.get(r)]
                unmeasured.append('%s (%s failed, see Notes and errors)' % (name, ' and '.join(failed)))
        lines.append('* real programs faster than V8, end to end: %s%s%s' % (
            verdict(not slower), '' if not slower else ': slower on ' + ', '.join(slower),
            '' if not unmeasured else '; not compared: ' + ', '.join(unmeasured)))
    return (['## Targets', ''] + lines + ['']) if lines else []


def write_results(o, head, rows, wall_rows, ratios, notes, errors, load_before, load_after, extra):
    os.makedirs(o.results, exist_ok=True)
    md_path = os.path.join(o.results, 'latest.md')
    png_path = os.path.join(o.results, 'latest.png')
    now = datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
    lines = [
        '# Kiln benchmark results', '',
        'Generated by `python3 bench/run.py %s` on %s.' % (' '.join(sys.argv[1:]), now), '',
        '* CPU: %s, %d cores; load average %.2f before, %.2f after the runs' %
        (cpu_model(), os.cpu_count() or 0, load_before[0], load_after[0]),
        '* work: %d%% of the benchmark size; %d runs per kernel and runtime, runtimes alternating; '
        'median reported' % (o.percent, o.runs),
        '* native: `%s %s` (glibc); wasm: `%s %s`%s' % (
            o.cc, ' '.join(NATIVE_FLAGS), o.cc, ' '.join(WASM_FLAGS),
            (' -msimd128' if o.wasm_simd == 'all' else ' (-msimd128 only for the simd kernel)') +
            (' for kiln and node; kiln-mvp and wasm2c run the same build without -msimd128'
             if 'kiln-mvp' in o.runtimes or 'wasm2c' in o.runtimes else '') +
            (' plus `%s`' % ' '.join(o.wasm_flags) if o.wasm_flags else '')),
        '* kiln: `aotc%s` (default level), run by `kiln run`' % ''.join(' ' + f for f in o.aotc_flags),
        '* wasm2c: %s, C compiled with `%s %s`, WASI from bench/wasm2c_host' % (
            tool_version([o.wasm2c, '--version']), o.cc, ' '.join(NATIVE_FLAGS)),
        '* node: %s (V8, node:wasi)' % tool_version([o.node, '--version']),
        '* %s' % tool_version([o.cc, '--version']),
        '',
    ]
    if load_before[0] > 1.0 or load_after[0] > 1.0:
        lines += ['**The machine was busy (load average above 1): these timings are noisy.**', '']
    lines += [
        '## Kernel time', '',
        'Milliseconds measured by each kernel around its own work (excludes process start, '
        'module load and instantiation, and for node the initial wasm compile); '
        'ratios are to native, lower is better.', '',
        md_table(head, rows), '',
        '![time relative to native](latest.png)', '',
        '## Process wall time', '',
        'Whole process, as the runner sees it: adds start-up, `kiln` loading the .so, '
        'node compiling the wasm.', '',
        md_table(head, wall_rows), '',
    ]
    if 'kiln' in o.runtimes:
        slow = [(k, ratios['kiln'][i]) for i, k in enumerate(o.kernels)
                if ratios['kiln'][i] is not None and ratios['kiln'][i] > 1.1]
        if slow:
            lines += ['## Where kiln is slower than native', '']
            for k, ratio in sorted(slow, key=lambda x: -x[1]):
                lines.append('* **%s** %.2fx: %s' % (k, ratio, KNOWN_CAUSES.get(k, 'not analysed yet')))
            lines.append('')
    if notes or errors:
        lines += ['## Notes and errors', '']
        lines += ['* note: %s / %s: %s' % (k, r, m) for (k, r), m in sorted(notes.items())]
        lines += ['* **error**: %s / %s: %s' % (k, r, m.splitlines()[0]) for (k, r), m in sorted(errors.items())]
        lines.append('')
    lines += extra
    lines += ['See bench/README.md for what each kernel measures and why kiln differs from native.', '']
    with open(md_path, 'w') as f:
        f.write('\n'.join(lines))

    series = [r for r in o.runtimes if r != 'native']
    if series:
        groups = list(o.kernels) + ['geomean']
        values = [[ratios[r][i] for r in series] for i in range(len(o.kernels))]
        values.append([geomean(ratios[r]) for r in series])
        png_chart.bar_chart(png_path, 'Kernel time relative to native (lower is better, %d%% size)' % o.percent,
                            groups, series, values)
    log('wrote %s and %s' % (md_path, png_path))


if __name__ == '__main__':
    sys.exit(main())
