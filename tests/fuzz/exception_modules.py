#!/usr/bin/env python3
"""Random modules that throw and catch (exception handling, 2022 form), for
differential_fuzz.py --generator=exceptions.

binaryen 108's -ttf declares tags but never emits try, throw, rethrow or
delegate; its interpreter runs them, though. Each seed gives a module whose
functions take a selector, compute an i64 and, depending on the selector,
throw one of a few tags (no payload, i32, i64, or i32 and i64) from inside
nested try blocks with catch, catch_all, rethrow and delegate; some divide
by zero inside a try (a trap, which no handler may catch). A global "trace"
records every handler that runs, in order, so a handler run twice, skipped
or run out of order changes what the last export returns. Exports take no
arguments and return an i64; an exception that leaves an export reaches the
host (binaryen prints its tag, Kiln the same).

The text is WABT's (flat catch bodies): differential_fuzz.py converts it with
wat2wasm --enable-exceptions, and both sides run the binary.

    python3 exception_modules.py SEED > module.wat
"""
import random
import sys

# Tag parameter lists, and how a handler turns the payload into one i64.
TAGS = [
    ([], ''),
    (['i32'], 'i64.extend_i32_s'),
    (['i64'], ''),
    (['i32', 'i64'], 'local.set $tmp i64.extend_i32_u local.get $tmp i64.xor'),
]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tags = [self.rng.randrange(len(TAGS)) for _ in range(self.rng.randint(1, 4))]
        self.functions = self.rng.randint(2, 6)
        self.mark = 0

    def const(self):
        return '(i64.const %d)' % self.rng.choice([0, 1, 7, -3, self.rng.randint(-1000, 1000)])

    def trace(self):
        """A statement recording that this point ran."""
        self.mark += 1
        return ('(global.set $trace (i64.add (i64.mul (global.get $trace) (i64.const 31)) '
                '(i64.const %d)))' % self.mark)

    def throw(self):
        tag = self.rng.randrange(len(self.tags))
        params = TAGS[self.tags[tag]][0]
        args = ' '.join('(%s.const %d)' % (p, self.rng.randint(-50, 50)) for p in params)
        return '(throw $t%d %s)' % (tag, args)

    def expr(self, fn, depth, tries):
        """An i64 expression in function fn; tries: labels of enclosing try blocks
        as depths counted from the current position (for delegate/rethrow)."""
        rng = self.rng
        if depth <= 0:
            return self.const() if rng.random() < 0.7 else '(i64.extend_i32_s (local.get $sel))'
        kind = rng.random()
        if kind < 0.2:
            return '(i64.add %s %s)' % (self.expr(fn, depth - 1, tries), self.expr(fn, depth - 1, tries))
        if kind < 0.35:
            # Throw when the selector says so.
            return ('(if (result i64) (i32.eq (local.get $sel) (i32.const %d)) (then %s) (else %s))'
                    % (rng.randint(0, 3), self.throw(), self.expr(fn, depth - 1, [t + 1 for t in tries])))
        if kind < 0.5 and fn + 1 < self.functions:
            callee = rng.randrange(fn + 1, self.functions)
            return '(call $f%d (i32.const %d))' % (callee, rng.randint(0, 4))
        if kind < 0.55:
            # A trap inside whatever try encloses it: never caught.
            return ('(if (result i64) (i32.eq (local.get $sel) (i32.const 4)) '
                    '(then (i64.div_s (i64.const 1) (i64.extend_i32_s (i32.sub (local.get $sel) (i32.const 4))))) '
                    '(else %s))' % self.expr(fn, depth - 1, [t + 1 for t in tries]))
        if kind < 0.65:
            return '(block (result i64) %s %s)' % (self.trace(), self.expr(fn, depth - 1, [t + 1 for t in tries]))
        return self.try_block(fn, depth, tries)

    def try_block(self, fn, depth, tries):
        rng = self.rng
        inner = [0] + [t + 1 for t in tries]  # inside the try, it is label 0
        # A handler is inside the try's label too, but is not covered by the
        # try: delegating there from a handler is left out (binaryen 108
        # refuses it).
        handlers = [t + 1 for t in tries]
        body = self.expr(fn, depth - 1, inner)
        if tries and rng.random() < 0.25:
            # delegate names an enclosing try (counted from outside this one).
            return '(try (result i64) (do %s) (delegate %d))' % (body, rng.choice(tries))
        clauses = []
        for tag in rng.sample(range(len(self.tags)), rng.randint(0, len(self.tags))):
            params, convert = TAGS[self.tags[tag]]
            # The payload is on the stack: one i64 of it, plus a fresh value.
            handler = '%s %s %s%s' % (self.trace(), convert, self.expr(fn, depth - 2, handlers),
                                      ' i64.add' if params else '')
            if rng.random() < 0.2:
                # Rethrow from the handler (label 1 from inside the if is the try).
                handler = '%s (if (result i64) (i32.eq (local.get $sel) (i32.const 2)) (then (rethrow 1)) (else %s))' % (
                    handler + ' drop', self.expr(fn, depth - 2, [t + 1 for t in handlers]))
            clauses.append('(catch $t%d %s)' % (tag, handler))
        if not clauses or rng.random() < 0.4:
            clauses.append('(catch_all %s %s)' % (self.trace(), self.expr(fn, depth - 2, handlers)))
        return '(try (result i64) (do %s) %s)' % (body, ' '.join(clauses))

    def module(self):
        lines = ['(module', '  (global $trace (mut i64) (i64.const 0))']
        for i, t in enumerate(self.tags):
            params = TAGS[t][0]
            lines.append('  (tag $t%d%s)' % (i, ' (param %s)' % ' '.join(params) if params else ''))
        for fn in range(self.functions):
            lines.append('  (func $f%d (param $sel i32) (result i64) (local $tmp i64)\n    %s)'
                         % (fn, self.expr(fn, 4, [])))
        for e in range(self.rng.randint(2, 5)):
            fn = self.rng.randrange(self.functions)
            lines.append('  (func (export "e%d") (result i64) (call $f%d (i32.const %d)))'
                         % (e, fn, self.rng.randint(0, 4)))
        lines.append('  (func (export "trace") (result i64) (global.get $trace))')
        lines.append(')')
        return '\n'.join(lines) + '\n'


def module_text(seed):
    return Generator(seed).module()


if __name__ == '__main__':
    sys.stdout.write(module_text(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
