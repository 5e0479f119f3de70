#!/usr/bin/env python3
"""Random modules whose values cross loop headers, for differential_fuzz.py.

binaryen's `-ttf` modules start every loop with a hang-limit check that reads
a global after the loop's interrupt poll, and rarely compute a condition
before a loop and use it inside. So they never had a compare's result live
across the poll, and a poll that clobbered the CPU flags without saying so
went unseen (nextpnr, -O2). These modules do exactly that: each function
loads inputs from mutable globals (so nothing folds), computes compares of
every type and predicate (NaN operands included) and a few values before a
loop, then uses them in selects, ifs, br_ifs and arithmetic inside one or
two nested loops that also store to memory. Exports take no arguments and
return an i64, which binaryen's interpreter and kiln_fuzz_exec both print;
"checksum" sums memory so stores are compared too. Some integer globals start
from extended constant expressions (add, sub, mul, wrapping), which the
loader evaluates at instantiation: binaryen's -ttf never emits them.

    python3 loop_modules.py SEED > module.wat
"""
import random
import sys

INT_CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']
FLOAT_CMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge']
TYPES = ['i32', 'i64', 'f32', 'f64']


def int_constant(rng, bits):
    choice = rng.random()
    if choice < 0.3:
        return rng.choice([0, 1, -1, 7, 2 ** (bits - 1) - 1, -2 ** (bits - 1)])
    if choice < 0.6:
        return rng.randint(-20, 20)
    return rng.randint(-2 ** (bits - 1), 2 ** (bits - 1) - 1)


def extended_constant(rng, ty, depth=0):
    """An extended-const expression of type ty (i32 or i64), nested up to 3 deep."""
    bits = 32 if ty == 'i32' else 64
    if depth >= 3 or rng.random() < 0.3:
        return '(%s.const %d)' % (ty, int_constant(rng, bits))
    op = rng.choice(['add', 'sub', 'mul'])
    return '(%s.%s %s %s)' % (ty, op, extended_constant(rng, ty, depth + 1),
                              extended_constant(rng, ty, depth + 1))


def float_constant(rng):
    return rng.choice(['nan', '-nan', 'inf', '-inf', '0', '-0', '1.5', '-2.25', '7',
                       repr(rng.uniform(-100, 100))])


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.globals = []  # (name, type)
        self.lines = []

    def global_of(self, ty):
        # Reused most of the time, so compares often see equal operands.
        same = [g for g, t in self.globals if t == ty]
        if same and self.rng.random() < 0.6:
            return self.rng.choice(same)
        name = '$g%d' % len(self.globals)
        if ty[0] == 'i' and self.rng.random() < 0.3:
            init = extended_constant(self.rng, ty)
        elif ty[0] == 'f':
            init = '(%s.const %s)' % (ty, float_constant(self.rng))
        else:
            init = '(%s.const %d)' % (ty, int_constant(self.rng, 32 if ty == 'i32' else 64))
        self.globals.append((name, ty))
        self.lines.append('  (global %s (mut %s) %s)' % (name, ty, init))
        return name

    def compare(self):
        ty = self.rng.choice(TYPES)
        a, b = self.global_of(ty), self.global_of(ty)
        if ty[0] == 'i' and self.rng.random() < 0.15:
            expr = '(%s.eqz (global.get %s))' % (ty, a)
        else:
            op = self.rng.choice(INT_CMP if ty[0] == 'i' else FLOAT_CMP)
            expr = '(%s.%s (global.get %s) (global.get %s))' % (ty, op, a, b)
        if self.rng.random() < 0.2:
            expr = '(i32.eqz %s)' % expr
        return expr

    def step(self, conds, vals, var, depth):
        """One statement of a loop body, updating $acc."""
        rng = self.rng
        c = rng.choice(conds)
        v = rng.choice(vals)
        k = rng.randint(1, 9)
        kind = rng.random()
        if kind < 0.35:
            return ('(local.set $acc (i64.add (local.get $acc) (select (i64.extend_i32_u (local.get %s)) '
                    '(i64.mul (local.get %s) (i64.const %d)) (local.get %s))))' % (var, v, k, c))
        if kind < 0.6:
            return ('(if (local.get %s) (then (local.set $acc (i64.add (local.get $acc) (i64.const %d)))) '
                    '(else (local.set $acc (i64.xor (local.get $acc) (i64.extend_i32_u (local.get %s))))))'
                    % (c, k, var))
        if kind < 0.75:
            # Shift-and-add with a carry-like dependence on the condition.
            return ('(local.set $acc (i64.add (i64.shl (local.get $acc) (i64.const 1)) '
                    '(i64.extend_i32_u (i32.add (local.get %s) (local.get %s)))))' % (c, var))
        if kind < 0.9:
            return ('(i32.store offset=%d (i32.and (i32.shl (local.get %s) (i32.const 2)) (i32.const 1020)) '
                    '(select (i32.wrap_i64 (local.get $acc)) (local.get %s) (local.get %s)))'
                    % (rng.choice([0, 1024, 2048]), var, var, c))
        # Leave the loop early on a condition, when this is not the outer loop's only exit.
        return '(br_if $exit%d (i32.and (local.get %s) (i32.eq (local.get %s) (i32.const %d))))' % (
            depth, c, var, rng.randint(0, 6))

    def function(self, index):
        rng = self.rng
        ncond = rng.randint(1, 4)
        conds = ['$c%d' % i for i in range(ncond)]
        vals = ['$v%d' % i for i in range(rng.randint(1, 2))]
        body = []
        locals_ = ['(local $acc i64)', '(local $i i32)', '(local $j i32)']
        for c in conds:
            locals_.append('(local %s i32)' % c)
            body.append('(local.set %s %s)' % (c, self.compare()))
        for v in vals:
            locals_.append('(local %s i64)' % v)
            g = self.global_of('i64')
            body.append('(local.set %s (global.get %s))' % (v, g))
        trips = rng.randint(1, 12)
        inner = rng.random() < 0.4
        body.append('(block $exit0 (loop $outer')
        for _ in range(rng.randint(1, 4)):
            body.append('  ' + self.step(conds, vals, '$i', 0))
        if inner:
            body.append('  (local.set $j (i32.const 0))')
            body.append('  (block $exit1 (loop $inner')
            for _ in range(rng.randint(1, 3)):
                body.append('    ' + self.step(conds, vals, '$j', 1))
            body.append('    (local.set $j (i32.add (local.get $j) (i32.const 1)))')
            body.append('    (br_if $inner (i32.lt_u (local.get $j) (i32.const %d)))))'
                        % rng.randint(1, 6))
        body.append('  (local.set $i (i32.add (local.get $i) (i32.const 1)))')
        body.append('  (br_if $outer (i32.lt_u (local.get $i) (i32.const %d)))))' % trips)
        # The conditions once more after the loop, also live across its polls.
        for c in conds:
            body.append('(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3)) '
                        '(i64.extend_i32_u (local.get %s))))' % c)
        body.append('(local.get $acc)')
        return ('  (func (export "f%d") (result i64) %s\n    %s)'
                % (index, ' '.join(locals_), '\n    '.join(body)))

    def module(self):
        funcs = [self.function(i) for i in range(self.rng.randint(2, 6))]
        checksum = '''  (func (export "checksum") (result i64) (local $p i32) (local $sum i64)
    (loop $l
      (local.set $sum (i64.add (i64.rotl (local.get $sum) (i64.const 7)) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $p) (i32.const 4096))))
    (local.get $sum))'''
        return '(module\n  (memory 1)\n%s\n%s\n%s)\n' % ('\n'.join(self.lines), '\n'.join(funcs), checksum)


def module_text(seed):
    return Generator(seed).module()


if __name__ == '__main__':
    sys.stdout.write(module_text(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
