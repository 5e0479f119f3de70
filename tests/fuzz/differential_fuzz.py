#!/usr/bin/env python3
"""Differential fuzzing of aotc + libkiln against binaryen's interpreter.

For each seed: random bytes -> `wasm-opt -ttf --denan` (a valid module using
only features Kiln supports) -> reference run with `wasm-opt --fuzz-exec-before`
-> aotc -> kiln_fuzz_exec, which calls every export the way binaryen does.
The two runs must agree on the exports called, every logged value, every
result and every trap (kinds compared loosely: binaryen's messages differ).
NaNs compare equal to any NaN (bits of NaNs are nondeterministic in wasm;
--denan removes most of them anyway), and integers that differ only in whole
NaN bit patterns pass with a "note" line. A module that differs otherwise is
run again compiled with --canonicalize-nans (binaryen's interpreter makes
canonical NaNs); if that matches, the difference was NaN bits that reached
memory, and the seed passes with a note.

With --generator=memories, Kiln runs a module with several (and 64-bit)
memories and binaryen runs its lowering to one memory (memory_modules.py).

Prints one line per difference and "differential-fuzz: N passed, N failed";
exits 1 if anything differed. Differing modules are kept in --keep-dir.
"""
import argparse
import math
import os
import random
import shutil
import struct
import subprocess
import sys

import exception_modules
import loop_modules
import memory_modules

# What Kiln supports and binaryen 108 generates in a standard way. Its
# reference-types output is pre-standard (typed funcrefs, funcref <: anyref),
# so that feature stays off. With tail-call, -ttf emits some return_call and
# return_call_indirect (about one module in eight).
BASE_FEATURES = ['--mvp-features', '--enable-sign-ext', '--enable-nontrapping-float-to-int',
                 '--enable-multivalue', '--enable-bulk-memory', '--enable-mutable-globals',
                 '--enable-tail-call']
SIMD_FEATURES = ['--enable-simd']
# The loops generator's own additions (binaryen's -ttf does not emit them).
LOOP_FEATURES = ['--enable-extended-const']
# Shared memories and atomics (the modules stay single-threaded).
THREADS_FEATURES = ['--enable-threads']
# The exceptions generator's modules (exception handling, 2022 form).
EXCEPTION_FEATURES = ['--enable-exception-handling']


class Event:
    """One step of a run: call, log, result, trap or instantiate-trap."""

    def __init__(self, kind, text):
        self.kind = kind
        self.text = text

    def __repr__(self):
        return '%s %s' % (self.kind, self.text)


def parse_binaryen(output):
    events = []
    for line in output.splitlines():
        if line.startswith('[fuzz-exec] calling '):
            events.append(Event('call', line[len('[fuzz-exec] calling '):]))
        elif line.startswith('[fuzz-exec] note result: '):
            rest = line[len('[fuzz-exec] note result: '):]
            _, _, values = rest.partition(' => ')
            events.append(Event('result', values))
        elif line.startswith('[LoggingExternalInterface logging'):
            events.append(Event('log', line[len('[LoggingExternalInterface logging'):-1].strip()))
        elif line.startswith('[exception thrown: '):
            # "tag$N PAYLOAD": one value, "(a, b)" or "()".
            _, _, payload = line[len('[exception thrown: '):-1].partition(' ')
            events.append(Event('exception', payload))
        elif line.startswith('[trap '):
            msg = line[len('[trap '):-1]
            kind = 'trap' if any(e.kind == 'call' for e in events) else 'instantiate-trap'
            events.append(Event(kind, msg))
        elif line.startswith('[') and not line.startswith('[fuzz-exec] comparing'):
            events.append(Event('other', line))
    return events


def parse_kiln(output):
    events = []
    for line in output.splitlines():
        kind, _, rest = line.partition(' ')
        if kind == 'log' and line == 'log':
            rest = ''
        events.append(Event(kind, rest))
    return events


def binaryen_trap_kinds(message):
    """Kiln trap kinds a binaryen trap message may correspond to; None = any."""
    m = message.lower()
    if m == 'unreachable':
        return {'unreachable'}
    if 'stack' in m:
        return {'stack'}
    if 'callindirect' in m or 'calltable' in m or 'call_indirect' in m:
        if 'type' in m or 'signature' in m:
            return {'sig-mismatch'}
        if 'null' in m or 'uninitialized' in m:
            return {'uninit-element'}
        return {'undefined-element', 'uninit-element'}
    if 'trunc' in m:  # the spec: NaN is an invalid conversion, out of range an overflow
        if 'nan' in m:
            return {'bad-conversion'}
        if 'overflow' in m:
            return {'int-overflow'}
        return {'bad-conversion', 'int-overflow'}
    if 'by 0' in m or 'by zero' in m:
        return {'div-by-zero'}
    if 'overflow' in m and ('div' in m or 'rem' in m):
        return {'int-overflow'}
    if 'table' in m:
        return {'oob-table'}
    if 'unaligned' in m or 'misaligned' in m:
        return {'unaligned-atomic'}
    if 'memory' in m or 'segment' in m:
        # An atomic access both misaligned and out of bounds: binaryen checks
        # the bounds first, Kiln (as the threads spec's execution steps say)
        # the alignment.
        return {'oob-memory', 'unaligned-atomic'}
    return None


def f32_is_nan(bits):
    return (bits & 0x7F800000) == 0x7F800000 and (bits & 0x7FFFFF) != 0


def f64_is_nan(bits):
    return (bits & 0x7FF0000000000000) == 0x7FF0000000000000 and (bits & 0xFFFFFFFFFFFFF) != 0


def is_nan_text(text):
    return text.lstrip('-').startswith('nan')


def same_float(ours, text, single):
    """ours: a Python float holding the exact value; text: binaryen's."""
    if math.isnan(ours):
        return is_nan_text(text)
    if is_nan_text(text):
        return False
    try:
        theirs = float(text.replace('infinity', 'inf'))
    except ValueError:
        return False
    if theirs == ours and math.copysign(1, theirs) == math.copysign(1, ours):
        return True
    if single:  # binaryen may print an f32 with just enough digits for a float
        try:
            return struct.unpack('<f', struct.pack('<f', theirs))[0] == ours
        except OverflowError:
            return False
    return False


def nan_patterns_differ(a, b, bits):
    """True when integers a and b differ only where both hold NaN bit patterns
    (per 32-bit half, or as a whole f64). SIMD float lanes keep NaN bits past
    --denan, and i64x2.extract_lane or a store can carry them into integers."""
    mask = (1 << bits) - 1
    a &= mask
    b &= mask
    if a == b:
        return False
    if bits == 64 and f64_is_nan(a) and f64_is_nan(b):
        return True
    for shift in range(0, bits, 32):
        x = (a >> shift) & 0xFFFFFFFF
        y = (b >> shift) & 0xFFFFFFFF
        if x != y and not (f32_is_nan(x) and f32_is_nan(y)):
            return False
    return True


class Compare:
    def __init__(self):
        self.notes = []

    def integer(self, ours, theirs, bits):
        mask = (1 << bits) - 1
        if ours & mask == theirs & mask:
            return True
        if nan_patterns_differ(ours, theirs, bits):
            self.notes.append('integers differing only in NaN bit patterns: binaryen %#x, kiln %#x' %
                              (theirs & ((1 << bits) - 1), ours & ((1 << bits) - 1)))
            return True
        return False

    def v128(self, ours, text):
        parts = text.split()
        if len(parts) != 5 or parts[0] != 'i32x4':
            return False
        theirs = [int(p, 16) for p in parts[1:]]
        mine = [int(p, 16) for p in ours.split('.')]
        if theirs == mine:
            return True
        for half in (0, 2):
            a = mine[half] | mine[half + 1] << 32
            b = theirs[half] | theirs[half + 1] << 32
            if a == b or (f64_is_nan(a) and f64_is_nan(b)):
                continue
            for lane in (half, half + 1):
                if mine[lane] != theirs[lane] and not (f32_is_nan(mine[lane]) and
                                                       f32_is_nan(theirs[lane])):
                    return False
        return True

    def value(self, typed, text, in_tuple):
        """typed: kiln_fuzz_exec's TYPE:VALUE; text: binaryen's printing."""
        vtype, _, v = typed.partition(':')
        try:
            if vtype in ('i32', 'i64'):
                return self.integer(int(v), int(text), 32 if vtype == 'i32' else 64)
            if vtype == 'f32':
                bits = int(v, 16)
                return same_float(struct.unpack('<f', struct.pack('<I', bits))[0], text, True)
            if vtype == 'f64':
                bits = int(v, 16)
                return same_float(struct.unpack('<d', struct.pack('<Q', bits))[0], text, False)
            if vtype == 'v128':
                return self.v128(v, text)
            if vtype in ('funcref', 'externref'):
                # Alone binaryen prints only the type; in a tuple, null or a name.
                if not in_tuple:
                    return True
                return text.endswith('(null)') == (v == 'null')
        except ValueError:
            return False
        return False

    def log(self, ours, theirs):
        """binaryen logs an i64 as two i32 halves (low, high); v128 as 5 tokens."""
        tokens = theirs.split()
        pos = 0
        for typed in ours.split():
            vtype, _, v = typed.partition(':')
            if vtype == 'i64':
                try:
                    low, high = (int(t) & 0xFFFFFFFF for t in tokens[pos:pos + 2])
                except ValueError:
                    return False
                if not self.integer(int(v), low | high << 32, 64):
                    return False
                pos += 2
            elif vtype == 'v128':
                if not self.value(typed, ' '.join(tokens[pos:pos + 5]), False):
                    return False
                pos += 5
            else:
                if pos >= len(tokens) or not self.value(typed, tokens[pos], False):
                    return False
                pos += 1
        return pos == len(tokens)

    def result(self, ours, theirs):
        values = ours.split()
        if len(values) == 1:
            return self.value(values[0], theirs, False)
        if not (theirs.startswith('(') and theirs.endswith(')')):
            return False
        parts = theirs[1:-1].split(', ')
        return len(parts) == len(values) and all(
            self.value(v, t, True) for v, t in zip(values, parts))


def compare_runs(reference, ours, cmp):
    """Returns None if the runs agree, else a description of the first difference."""
    last_call = '(instantiation)'
    for i in range(max(len(reference), len(ours))):
        if i >= len(reference):
            return 'after %s: kiln went on with "%s", binaryen stopped' % (last_call, ours[i])
        if i >= len(ours):
            return 'after %s: binaryen went on with "%s", kiln stopped' % (last_call, reference[i])
        r, o = reference[i], ours[i]
        where = 'in %s' % last_call
        if r.kind == 'other':
            return '%s: unrecognized binaryen output "%s"' % (where, r.text)
        if r.kind != o.kind:
            return '%s: binaryen "%s %s", kiln "%s %s"' % (where, r.kind, r.text, o.kind, o.text)
        if r.kind == 'call':
            if r.text != o.text:
                return 'export order: binaryen calls %s, kiln calls %s' % (r.text, o.text)
            last_call = r.text
        elif r.kind in ('trap', 'instantiate-trap'):
            kinds = binaryen_trap_kinds(r.text)
            if kinds is not None and o.text not in kinds:
                return '%s: binaryen traps "%s", kiln traps "%s"' % (where, r.text, o.text)
        elif r.kind == 'log':
            if not cmp.log(o.text, r.text):
                return '%s: binaryen logs [%s], kiln logs [%s]' % (where, r.text, o.text)
        elif r.kind == 'result':
            if not cmp.result(o.text, r.text):
                return '%s: binaryen returns %s, kiln returns %s' % (where, r.text, o.text)
        elif r.kind == 'exception':
            agree = o.text == '' if r.text in ('', '()') else cmp.result(o.text, r.text)
            if not agree:
                return '%s: binaryen throws [%s], kiln throws [%s]' % (where, r.text, o.text)
    return None


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors='replace', timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, '', 'timed out after %ss' % timeout


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.features = (BASE_FEATURES + ([] if args.no_simd else SIMD_FEATURES) +
                         (THREADS_FEATURES if args.threads else []))
        if args.generator == 'loops':
            self.features = self.features + LOOP_FEATURES
        if args.generator == 'exceptions':
            self.features = self.features + EXCEPTION_FEATURES
        self.notes = []  # of the last passing check

    @staticmethod
    def lowering_of(path):
        return path[:-len('.wasm')] + '.lowered.wasm'

    def reference_of(self, path):
        """The module binaryen runs for path: its lowering, where there is one."""
        lowered = self.lowering_of(path)
        return lowered if os.path.exists(lowered) else path

    def module_from_seed(self, seed, path):
        if self.args.generator == 'memories':
            # Kiln runs the original (several and 64-bit memories); binaryen its lowering.
            original, lowered = memory_modules.module_texts(seed)
            wat = path + '.wat'
            with open(wat, 'w') as f:
                f.write(original)
            code, _, err = run([self.args.wat2wasm, '--enable-multi-memory', '--enable-memory64',
                                wat, '-o', path], 120)
            if code == 0:
                with open(wat, 'w') as f:
                    f.write(lowered)
                code, _, err = run([self.args.wasm_opt, wat] + self.features +
                                   ['-o', self.lowering_of(path)], 120)
            os.remove(wat)
            return code == 0, err
        if self.args.generator == 'exceptions':
            # WABT's text (flat catch bodies; binaryen's own text has pop).
            wat = path + '.wat'
            with open(wat, 'w') as f:
                f.write(exception_modules.module_text(seed))
            code, _, err = run([self.args.wat2wasm, '--enable-exceptions', wat, '-o', path], 120)
            os.remove(wat)
            return code == 0, err
        if self.args.generator == 'loops':
            wat = path + '.wat'
            with open(wat, 'w') as f:
                f.write(loop_modules.module_text(seed))
            code, _, err = run([self.args.wasm_opt, wat] + self.features + ['-o', path], 120)
            os.remove(wat)
            return code == 0, err
        rng = random.Random(seed)
        size = rng.randint(self.args.min_bytes, self.args.max_bytes)
        data = rng.randbytes(size)
        dat = path + '.dat'
        with open(dat, 'wb') as f:
            f.write(data)
        extra = [] if self.args.no_denan else ['--denan']
        code, _, err = run([self.args.wasm_opt, dat, '-ttf'] + self.features + extra + ['-o', path],
                           120)
        os.remove(dat)
        return code == 0, err

    def aotc_options(self, seed):
        if self.args.options:
            return self.args.options.split()
        rng = random.Random(seed ^ 0x5EED)
        # Values live across loop polls matter only where LLVM optimizes.
        levels = ['-O2', '-O1', '-O3'] if self.args.generator == 'loops' else ['-O0', '-O2', '-O1', '-O3']
        options = [rng.choice(levels)]
        if rng.random() < 0.25:
            options.append('--bounds-checks=explicit')
        return options

    def one(self, seed):
        """Returns (status, detail, outputs): status is 'pass' (detail: notes or
        None), 'fail' or 'skip'; outputs are binaryen's and kiln's for a failure."""
        work = self.args.work_dir
        wasm = os.path.join(work, 'seed%d.wasm' % seed)
        so = os.path.join(work, 'seed%d.so' % seed)
        ok, err = self.module_from_seed(seed, wasm)
        if not ok:
            return 'skip', 'wasm-opt -ttf failed: %s' % err.strip()[:200], None
        code, ref_out, err = run([self.args.wasm_opt, self.reference_of(wasm)] + self.features +
                                 ['--fuzz-exec-before'], 120)
        if code != 0:
            return 'skip', 'binaryen reference run failed: %s' % err.strip()[:200], None
        options = self.aotc_options(seed)
        self.notes = []
        diff, our_out = self.check(wasm, so, options, ref_out)
        if diff is None:
            os.remove(wasm)
            if self.reference_of(wasm) != wasm:
                os.remove(self.reference_of(wasm))
            return 'pass', '; '.join(self.notes) or None, None
        # NaN bits are nondeterministic in wasm, and binaryen's interpreter
        # makes canonical NaNs: SIMD float lanes keep other NaNs past
        # --denan and can reach memory (then only hashMemory sees them). If
        # the same module with canonical NaNs matches, the difference was
        # NaN bits alone.
        canonical, _ = self.check(wasm, so, options + ['--canonicalize-nans'], ref_out)
        if canonical is None:
            os.remove(wasm)
            if self.reference_of(wasm) != wasm:
                os.remove(self.reference_of(wasm))
            return 'pass', 'NaN bits only (no difference with --canonicalize-nans): ' + diff, None
        # Triage: does the difference need the optimizer?
        if options[0] != '-O0':
            at_o0, _ = self.check(wasm, so, ['-O0'] + options[1:], ref_out)
            diff += ' [-O0: %s]' % ('no difference' if at_o0 is None else 'differs too')
        return 'fail', diff, (ref_out, our_out)

    def replay(self, wasm):
        """A kept module, at -O0 and -O2 and with the options its .txt names:
        a list of (options, difference or None); None when binaryen fails."""
        code, ref_out, err = run([self.args.wasm_opt, self.reference_of(wasm)] + self.features +
                                 ['--fuzz-exec-before'], 120)
        if code != 0:
            return None
        option_sets = [['-O0'], ['-O2']]
        txt = wasm[:-len('.wasm')] + '.txt'
        if os.path.exists(txt):
            with open(txt) as f:
                for line in f:
                    if line.startswith('regenerate:') and '--options="' in line:
                        named = line.split('--options="', 1)[1].split('"', 1)[0].split()
                        if named not in option_sets:
                            option_sets.append(named)
        so = os.path.join(self.args.work_dir, os.path.basename(wasm)[:-len('.wasm')] + '.so')
        return [(options, self.check(wasm, so, options, ref_out)[0]) for options in option_sets]

    def check(self, wasm, so, options, ref_out):
        """Compiles and runs with these aotc options: (difference or None, kiln output)."""
        shown = ' '.join(options)
        code, _, err = run([self.args.aotc, wasm, '-o', so] + options, 300)
        if code != 0:
            return 'aotc %s: %s' % (shown, (err.strip() or 'exit %s' % code)[:300]), ''
        code, our_out, err = run([self.args.exec, so], 120)
        os.remove(so)
        if code != 0:
            why = err.strip() or ('killed by signal %d' % -code if code and code < 0 else 'exit %s' % code)
            return 'kiln_fuzz_exec (%s): %s' % (shown, why[:300]), our_out
        cmp = Compare()
        diff = compare_runs(parse_binaryen(ref_out), parse_kiln(our_out), cmp)
        if diff:
            return '%s (%s)' % (diff, shown), our_out
        self.notes = cmp.notes
        return None, our_out

    def keep(self, seed, detail, outputs):
        if not self.args.keep_dir:
            return
        os.makedirs(self.args.keep_dir, exist_ok=True)
        base = os.path.join(self.args.keep_dir, 'seed%d' % seed)
        wasm = os.path.join(self.args.work_dir, 'seed%d.wasm' % seed)
        shutil.copy(wasm, base + '.wasm')
        if self.reference_of(wasm) != wasm:
            shutil.copy(self.reference_of(wasm), self.lowering_of(base + '.wasm'))
        with open(base + '.txt', 'w') as f:
            f.write('difference: %s\n' % detail)
            f.write('regenerate: differential_fuzz.py --seed %d --count 1%s%s%s%s%s\n' % (
                seed, '' if self.args.generator == 'ttf' else ' --generator=' + self.args.generator,
                ' --no-simd' if self.args.no_simd else '',
                ' --threads' if self.args.threads else '',
                ' --no-denan' if self.args.no_denan else '',
                ' --options="%s"' % self.args.options if self.args.options else ''))
            if outputs:
                f.write('\n--- binaryen --fuzz-exec-before ---\n%s' % outputs[0])
                f.write('\n--- kiln_fuzz_exec ---\n%s' % outputs[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--aotc', required=True)
    parser.add_argument('--exec', required=True, help='kiln_fuzz_exec')
    parser.add_argument('--wasm-opt', default='wasm-opt')
    parser.add_argument('--count', type=int, default=30)
    parser.add_argument('--generator', choices=['ttf', 'loops', 'memories', 'exceptions'], default='ttf',
                        help="ttf: binaryen's random modules; loops: loop_modules.py, values "
                        'computed before loops and used inside them; memories: memory_modules.py, '
                        'several and 64-bit memories, checked against a one-memory lowering; '
                        'exceptions: exception_modules.py, throw/catch/rethrow/delegate')
    parser.add_argument('--wat2wasm', default='wat2wasm', help='for --generator=memories and exceptions')
    parser.add_argument('--seed', type=int, default=1, help='first seed; seeds are consecutive')
    parser.add_argument('--min-bytes', type=int, default=1000)
    parser.add_argument('--max-bytes', type=int, default=12000)
    parser.add_argument('--options', help='aotc options for every module, starting with -O '
                        '(default: varied by seed)')
    parser.add_argument('--no-simd', action='store_true')
    parser.add_argument('--threads', action='store_true',
                        help='let binaryen use the threads proposal (shared memory, atomics)')
    parser.add_argument('--no-denan', action='store_true', help='keep NaNs (expect NaN-bit noise)')
    parser.add_argument('--replay', metavar='DIR',
                        help='instead of generating modules, run the .wasm modules kept in DIR '
                        '(e.g. differential-failures/) at -O0, -O2 and the options their .txt names')
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--keep-dir', help='where differing modules are copied (default WORK/failures)')
    args = parser.parse_args()
    if not args.keep_dir:
        args.keep_dir = os.path.join(args.work_dir, 'failures')
    os.makedirs(args.work_dir, exist_ok=True)

    fuzzer = Fuzzer(args)
    passed = failed = skipped = 0
    if args.replay:
        # Modules kept from earlier differences: each must now agree.
        for name in sorted(os.listdir(args.replay)):
            if not name.endswith('.wasm') or name.endswith('.lowered.wasm'):
                continue
            results = fuzzer.replay(os.path.join(args.replay, name))
            if results is None:
                skipped += 1
                print('skip %s: binaryen reference run failed' % name)
                continue
            for options, diff in results:
                shown = ' '.join(options)
                if diff is None:
                    passed += 1
                    print('ok   %s (%s)' % (name, shown))
                else:
                    failed += 1
                    print('DIFF %s: %s' % (name, diff))
        print('differential-replay: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
        return 1 if failed else 0
    for seed in range(args.seed, args.seed + args.count):
        status, detail, outputs = fuzzer.one(seed)
        if status == 'pass':
            passed += 1
            if detail:
                print('note seed %d: %s' % (seed, detail))
        elif status == 'skip':
            skipped += 1
            print('skip seed %d: %s' % (seed, detail))
        else:
            failed += 1
            print('DIFF seed %d: %s' % (seed, detail))
            fuzzer.keep(seed, detail, outputs)
        sys.stdout.flush()
    print('differential-fuzz: %d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
