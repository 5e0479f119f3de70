#!/usr/bin/env python3
"""Random modules with several memories, some 64-bit, for differential_fuzz.py.

binaryen 108 neither generates nor runs multi-memory modules, and its -ttf
never makes a 64-bit memory. So each seed gives two modules with the same
behaviour: the *original* (1-3 memories, each 32- or 64-bit, with loads and
stores of every width, offsets near the limits, memory.size/grow, fill, copy,
init and data.drop, and loops, single or nested rows by columns, that store
or load until they trap part way),
which Kiln compiles and runs; and its *lowering* to one 32-bit memory, which
binaryen's interpreter runs as the reference. The lowering places memory k at
a fixed base, keeps its size in a global and checks every access explicitly
(64-bit arithmetic, overflow-safe) before touching it; a failed check makes an
out-of-bounds access of its own, so both sides report the same trap kind.
Every operand is free of side effects, so checking before evaluating a store's
value changes nothing. Exports take no arguments and return an i64; the
"checksum" exports, called last, sum each memory's contents, so the stores
done before a trap are compared too.

    python3 memory_modules.py SEED original|lowered > module.wat
"""
import random
import sys

PAGE = 65536

# (original opcode, bytes accessed, value type, i64 conversion of a loaded value)
LOADS = [('i32.load', 4, 'i32', 'i64.extend_i32_u'), ('i32.load8_s', 1, 'i32', 'i64.extend_i32_s'),
         ('i32.load8_u', 1, 'i32', 'i64.extend_i32_u'), ('i32.load16_s', 2, 'i32', 'i64.extend_i32_s'),
         ('i32.load16_u', 2, 'i32', 'i64.extend_i32_u'), ('i64.load', 8, 'i64', None),
         ('i64.load8_s', 1, 'i64', None), ('i64.load8_u', 1, 'i64', None),
         ('i64.load16_s', 2, 'i64', None), ('i64.load16_u', 2, 'i64', None),
         ('i64.load32_s', 4, 'i64', None), ('i64.load32_u', 4, 'i64', None)]
STORES = [('i32.store', 4, 'i32'), ('i32.store8', 1, 'i32'), ('i32.store16', 2, 'i32'),
          ('i64.store', 8, 'i64'), ('i64.store8', 1, 'i64'), ('i64.store16', 2, 'i64'),
          ('i64.store32', 4, 'i64')]


def signed64(value):
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def signed32(value):
    value &= (1 << 32) - 1
    return value - (1 << 32) if value >= 1 << 31 else value


class Memory:
    def __init__(self, index, rng, base):
        self.index = index
        self.name = '$m%d' % index
        self.wide = rng.random() < 0.5  # a 64-bit memory
        self.max = rng.randint(1, 3)
        # Memory 0 always has room, so most accesses can stay in bounds.
        self.min = rng.randint(1 if index == 0 else 0, self.max)
        self.base = base  # byte offset of this memory in the lowering
        self.ty = 'i64' if self.wide else 'i32'

    def const(self, value):
        return '(%s.const %d)' % (self.ty, signed64(value) if self.wide else signed32(value))


class Pair:
    """The same expression in the original module and in its lowering."""

    def __init__(self, original, lowered=None):
        self.original = original
        self.lowered = original if lowered is None else lowered


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        count = self.rng.choice([1, 2, 2, 3, 3])
        self.memories = []
        base = 0
        for k in range(count):
            memory = Memory(k, self.rng, base)
            base += memory.max * PAGE
            self.memories.append(memory)
        self.total_pages = base // PAGE
        self.passive = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 40)))

    # Operands: pure, never trapping.

    def risky(self):
        """Whether the next operation may go out of bounds (most stay inside,
        so a function gets past its first few accesses)."""
        return self.rng.random() < 0.15

    def memory_for(self, risky):
        roomy = [m for m in self.memories if m.min > 0]
        return self.rng.choice(self.memories if risky else roomy)

    def address(self, memory, risky, var=None, trips=1):
        """An address of memory's type. Safe: inside the initial size with room
        for an 8-byte access at offset 8 (loops: on every trip). Risky: near
        the current or maximum end, far beyond it, or from the accumulator.
        var: a loop's index local, or a list of (local, trips) from the
        outermost loop in, whose indices all scale into the address."""
        rng = self.rng
        limit = memory.max * PAGE
        room = memory.min * PAGE - 16
        if isinstance(var, list):
            return self.nested_address(memory, risky, var)
        if var is not None:
            stride = rng.choice([1, 2, 4, 8, 16, 4096])
            if risky:
                start = rng.choice([0, rng.randrange(0, 64), limit - rng.randint(1, 64) * stride])
            else:
                stride = min(stride, max(1, room // trips))
                start = rng.randrange(0, max(1, room - stride * trips))
            index = '(local.get %s)' % var
            if memory.wide:
                index = '(i64.extend_i32_u %s)' % index
            expr = '(%s.add %s (%s.mul %s %s))' % (memory.ty, memory.const(start), memory.ty, index,
                                                  memory.const(stride))
            return Pair(expr)
        if not risky:
            return Pair(memory.const(rng.choice([rng.randrange(0, 256), rng.randrange(0, room)])))
        choice = rng.random()
        if choice < 0.35:
            value = rng.randrange(0, 256)
        elif choice < 0.6:
            value = rng.choice([memory.min, memory.max, memory.min + 1]) * PAGE - rng.randint(0, 16)
        elif choice < 0.7:
            value = rng.randrange(0, limit + 64)
        elif choice < 0.85:
            value = rng.choice([-1, -8, 1 << 31, 1 << 32, (1 << 32) - 4, (1 << 63)]) \
                if memory.wide else rng.choice([-1, -8, 1 << 31])
        else:
            # From the accumulator: any value, kept small most of the time.
            mask = rng.choice([0xFF, 0xFFFF, 0x3FFFF])
            expr = '(i64.and (local.get $acc) (i64.const %d))' % mask
            return Pair(expr if memory.wide else '(i32.wrap_i64 %s)' % expr)
        return Pair(memory.const(value))

    def nested_address(self, memory, risky, loops):
        """start + j * outer_stride + i * inner_stride, in memory's address
        type with i32 indices (the shape of a C array of rows)."""
        rng = self.rng
        limit = memory.max * PAGE
        room = memory.min * PAGE - 16
        (outer, outer_trips), (inner, inner_trips) = loops
        inner_stride = rng.choice([1, 2, 4, 8])
        # Rows back to back, padded, or overlapping.
        outer_stride = inner_stride * rng.choice([inner_trips, inner_trips + 1, inner_trips // 2 or 1, 1])
        span = outer_trips * outer_stride + inner_trips * inner_stride
        if risky:
            start = rng.choice([0, rng.randrange(0, 64), memory.min * PAGE - span // 2, limit - span // 3])
        else:
            if span > room:
                inner_stride, outer_stride = 1, inner_trips
                span = outer_trips * outer_stride + inner_trips * inner_stride
            start = rng.randrange(0, max(1, room - span))

        def index(var):
            expr = '(local.get %s)' % var
            return '(i64.extend_i32_u %s)' % expr if memory.wide else expr
        t = memory.ty
        expr = '(%s.add (%s.add %s (%s.mul %s %s)) (%s.mul %s %s))' % (
            t, t, memory.const(max(0, start)), t, index(outer), memory.const(outer_stride),
            t, index(inner), memory.const(inner_stride))
        return Pair(expr)

    def offset(self, memory, risky):
        choice = self.rng.random()
        if not risky or choice < 0.6:
            return self.rng.choice([0, 0, 1, 3, 8]) if not risky else self.rng.choice([0, 1, 100])
        if choice < 0.6:
            return self.rng.choice([0, 0, 1, 3, 8, 100])
        if choice < 0.8:
            return memory.min * PAGE - self.rng.randint(0, 8) if memory.min else 5
        return self.rng.choice([(1 << 32) - 1, (1 << 32) - 8, 1 << 31])

    def value(self, ty):
        rng = self.rng
        if rng.random() < 0.5:
            expr = '(i64.add (local.get $acc) (i64.const %d))' % rng.randint(-5, 5)
        else:
            expr = '(i64.const %d)' % signed64(rng.getrandbits(64))
        return expr if ty == 'i64' else '(i32.wrap_i64 %s)' % expr

    @staticmethod
    def widen(memory, expr):
        """An address expression of memory's type as an i64 (lowering only)."""
        return expr if memory.wide else '(i64.extend_i32_u %s)' % expr

    def checked(self, memory, address, offset, size):
        """The lowering's address for an access of size bytes (traps as the original would)."""
        return '(call $ea%d %s (i64.const %d) (i64.const %d))' % (
            memory.index, self.widen(memory, address), signed64(offset), signed64(size))

    def range(self, memory, address, length):
        """The lowering's start of a bulk operation's range (length: an i64 expression)."""
        return '(call $ea%d %s (i64.const 0) %s)' % (memory.index, self.widen(memory, address.lowered),
                                                     length)

    # Statements.

    def load(self, risky, var=None, trips=1):
        memory = self.memory_for(risky)
        op, size, ty, extend = self.rng.choice(LOADS)
        address = self.address(memory, risky, var, trips)
        offset = self.offset(memory, risky) if var is None else self.rng.choice([0, 4])
        original = '(%s %s offset=%d %s)' % (op, memory.name, offset, address.original)
        lowered = '(%s %s)' % (op, self.checked(memory, address.lowered, offset, size))
        if extend:
            original, lowered = '(%s %s)' % (extend, original), '(%s %s)' % (extend, lowered)
        step = '(local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 5)) %s))'
        return Pair(step % original, step % lowered)

    def store(self, risky, var=None, trips=1):
        memory = self.memory_for(risky)
        op, size, ty = self.rng.choice(STORES)
        address = self.address(memory, risky, var, trips)
        offset = self.offset(memory, risky) if var is None else self.rng.choice([0, 4])
        value = self.value(ty)
        return Pair('(%s %s offset=%d %s %s)' % (op, memory.name, offset, address.original, value),
                    '(%s %s %s)' % (op, self.checked(memory, address.lowered, offset, size), value))

    def size_or_grow(self):
        memory = self.rng.choice(self.memories)
        if self.rng.random() < 0.4:
            original = '(memory.size %s)' % memory.name
            lowered = '(global.get $size%d)' % memory.index
            if memory.wide:
                lowered = '(i64.extend_i32_u %s)' % lowered
        else:
            delta = self.rng.choice([0, 1, 1, 2, 3, 1 << 16, -1] if memory.wide else [0, 1, 1, 2, 3, -1])
            original = '(memory.grow %s %s)' % (memory.name, memory.const(delta))
            lowered = '(call $grow%d (i64.const %d))' % (
                memory.index, signed64(delta) if memory.wide else delta & 0xFFFFFFFF)
            if not memory.wide:
                lowered = '(i32.wrap_i64 %s)' % lowered
        if not memory.wide:  # grow's -1 stays -1
            original, lowered = '(i64.extend_i32_s %s)' % original, '(i64.extend_i32_s %s)' % lowered
        step = '(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 3)) %s))'
        return Pair(step % original, step % lowered)

    def length(self, memory, risky):
        if risky:
            return memory.const(self.rng.choice([0, 1, 7, 64, 300, PAGE, memory.max * PAGE]))
        return memory.const(self.rng.choice([0, 1, 7, 64, 256]))

    def bulk(self, risky):
        rng = self.rng
        kind = rng.random()
        memory = self.memory_for(risky)
        if kind < 0.35:
            dest, length = self.address(memory, risky), self.length(memory, risky)
            fill = '(i32.const %d)' % rng.randrange(256)
            n = self.widen(memory, length)
            return Pair('(memory.fill %s %s %s %s)' % (memory.name, dest.original, fill, length),
                        '(memory.fill %s %s (i32.wrap_i64 %s))' % (self.range(memory, dest, n), fill, n))
        if kind < 0.75:
            # Copies between memories of one address type (the length's type).
            same = [m for m in self.memories if m.wide == memory.wide and (risky or m.min > 0)]
            source = rng.choice(same)
            dest, src = self.address(memory, risky), self.address(source, risky)
            length = self.length(memory, risky)
            n = self.widen(memory, length)
            return Pair('(memory.copy %s %s %s %s %s)' % (memory.name, source.name, dest.original,
                                                          src.original, length),
                        '(memory.copy %s %s (i32.wrap_i64 %s))' % (
                            self.range(memory, dest, n), self.range(source, src, n), n))
        if kind < 0.92:
            dest = self.address(memory, risky)
            if risky:
                start = rng.randint(0, len(self.passive) + 2)
                count = rng.randint(0, len(self.passive) + 2)
            else:  # data.drop may still have emptied the segment
                start = rng.randint(0, len(self.passive))
                count = rng.randint(0, len(self.passive) - start)
            n = '(i64.const %d)' % count
            return Pair('(memory.init %s $passive %s (i32.const %d) (i32.const %d))' % (
                            memory.name, dest.original, start, count),
                        '(memory.init $passive %s (i32.const %d) (i32.const %d))' % (
                            self.range(memory, dest, n), start, count))
        if rng.random() < 0.3:
            return Pair('(data.drop $passive)')
        return self.size_or_grow()

    def loop(self, risky):
        """A loop of loads or stores; a risky one may leave its memory part way."""
        rng = self.rng
        trips = rng.choice([3, 16, 100, 1000])
        body = [self.store(risky, '$i', trips) if rng.random() < 0.6 else self.load(risky, '$i', trips)
                for _ in range(rng.randint(1, 2))]
        head = '(local.set $i (i32.const 0)) (loop $l '
        tail = (' (local.set $i (i32.add (local.get $i) (i32.const 1))) '
                '(br_if $l (i32.lt_u (local.get $i) (i32.const %d))))' % trips)
        return Pair(head + ' '.join(s.original for s in body) + tail,
                    head + ' '.join(s.lowered for s in body) + tail)

    def nested_loop(self, risky):
        """Two loops, rows by columns, whose accesses index with both
        counters; a risky one may leave its memory in some row."""
        rng = self.rng
        outer_trips = rng.choice([2, 5, 16])
        inner_trips = rng.choice([3, 16, 100])
        loops = [('$j', outer_trips), ('$i', inner_trips)]
        body = [self.store(risky, loops) if rng.random() < 0.6 else self.load(risky, loops)
                for _ in range(rng.randint(1, 3))]
        head = ('(local.set $j (i32.const 0)) (loop $rows (local.set $i (i32.const 0)) (loop $columns ')
        tail = (' (local.set $i (i32.add (local.get $i) (i32.const 1))) '
                '(br_if $columns (i32.lt_u (local.get $i) (i32.const %d)))) '
                '(local.set $j (i32.add (local.get $j) (i32.const 1))) '
                '(br_if $rows (i32.lt_u (local.get $j) (i32.const %d))))' % (inner_trips, outer_trips))
        return Pair(head + ' '.join(s.original for s in body) + tail,
                    head + ' '.join(s.lowered for s in body) + tail)

    def function(self, index):
        rng = self.rng
        steps = []
        for _ in range(rng.randint(2, 8)):
            kind = rng.random()
            risky = self.risky()
            if kind < 0.3:
                steps.append(self.load(risky))
            elif kind < 0.55:
                steps.append(self.store(risky))
            elif kind < 0.7:
                steps.append(self.size_or_grow())
            elif kind < 0.85:
                steps.append(self.bulk(risky))
            elif kind < 0.93:
                steps.append(self.loop(risky))
            else:
                steps.append(self.nested_loop(risky))
        head = '  (func (export "f%d") (result i64) (local $acc i64) (local $i i32) (local $j i32)\n    ' % index
        return Pair(head + '\n    '.join(s.original for s in steps) + '\n    (local.get $acc))',
                    head + '\n    '.join(s.lowered for s in steps) + '\n    (local.get $acc))')

    def active_data(self):
        """Active segments inside each memory's initial size."""
        segments = []
        for memory in self.memories:
            if memory.min == 0 or self.rng.random() < 0.3:
                continue
            data = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 24)))
            at = self.rng.choice([0, 8, memory.min * PAGE - len(data)])
            text = ''.join('\\%02x' % b for b in data)
            segments.append(Pair('  (data (memory %s) (%s.const %d) "%s")' % (memory.name, memory.ty, at, text),
                                 '  (data (i32.const %d) "%s")' % (memory.base + at, text)))
        return segments

    def checksum(self, memory):
        """Export checksum_k: every 8 bytes of memory k's current size, rotated in."""
        end_original = '(memory.size %s)' % memory.name
        if not memory.wide:
            end_original = '(i64.extend_i32_u %s)' % end_original
        end_lowered = '(i64.extend_i32_u (global.get $size%d))' % memory.index
        at_original = '(local.get $p)' if memory.wide else '(i32.wrap_i64 (local.get $p))'
        at_lowered = '(i32.add (i32.const %d) (i32.wrap_i64 (local.get $p)))' % memory.base
        text = ('  (func (export "checksum%d") (result i64) (local $p i64) (local $sum i64)\n'
                '    (block $done (loop $l\n'
                '      (br_if $done (i64.ge_u (local.get $p) (i64.mul %%s (i64.const %d))))\n'
                '      (local.set $sum (i64.add (i64.rotl (local.get $sum) (i64.const 7)) %%s))\n'
                '      (local.set $p (i64.add (local.get $p) (i64.const 8)))\n'
                '      (br $l)))\n'
                '    (local.get $sum))' % (memory.index, PAGE))
        return Pair(text % (end_original, '(i64.load %s %s)' % (memory.name, at_original)),
                    text % (end_lowered, '(i64.load %s)' % at_lowered))

    def lowering_helpers(self):
        lines = ['  (memory %d %d)' % (self.total_pages, self.total_pages),
                 # A failed check: an access beyond the lowered memory traps as out of bounds.
                 '  (func $oob (drop (i32.load (i32.const -4))))']
        for m in self.memories:
            k = m.index
            lines.append('  (global $size%d (mut i32) (i32.const %d))' % (k, m.min))
            lines.append(
                '  (func $ea%d (param $a i64) (param $o i64) (param $n i64) (result i32) (local $room i64)\n'
                '    (local.set $room (i64.mul (i64.extend_i32_u (global.get $size%d)) (i64.const %d)))\n'
                '    (if (i64.gt_u (local.get $a) (local.get $room)) (then (call $oob)))\n'
                '    (local.set $room (i64.sub (local.get $room) (local.get $a)))\n'
                '    (if (i64.gt_u (local.get $o) (local.get $room)) (then (call $oob)))\n'
                '    (if (i64.gt_u (local.get $n) (i64.sub (local.get $room) (local.get $o))) (then (call $oob)))\n'
                '    (i32.add (i32.const %d) (i32.wrap_i64 (i64.add (local.get $a) (local.get $o)))))'
                % (k, k, PAGE, m.base))
            # Growth within the maximum; the pages are already there, zeroed.
            lines.append(
                '  (func $grow%d (param $d i64) (result i64) (local $old i64)\n'
                '    (local.set $old (i64.extend_i32_u (global.get $size%d)))\n'
                '    (if (i64.gt_u (local.get $d) (i64.sub (i64.const %d) (local.get $old)))\n'
                '      (then (return (i64.const -1))))\n'
                '    (global.set $size%d (i32.wrap_i64 (i64.add (local.get $old) (local.get $d))))\n'
                '    (local.get $old))' % (k, k, m.max, k))
        return lines

    def modules(self):
        functions = [self.function(i) for i in range(self.rng.randint(2, 5))]
        data = self.active_data()
        checksums = [self.checksum(m) for m in self.memories]
        passive = '  (data $passive "%s")' % ''.join('\\%02x' % b for b in self.passive)
        original = (['(module'] +
                    ['  (memory %s %s%d %d)' % (m.name, 'i64 ' if m.wide else '', m.min, m.max)
                     for m in self.memories] +
                    [passive] + [d.original for d in data] +
                    [f.original for f in functions] + [c.original for c in checksums] + [')'])
        # The passive segment comes first: binaryen 108 resolves memory.init's
        # segment wrongly when an active one precedes it.
        lowered = (['(module'] + self.lowering_helpers() + [passive] + [d.lowered for d in data] +
                   [f.lowered for f in functions] + [c.lowered for c in checksums] + [')'])
        return '\n'.join(original) + '\n', '\n'.join(lowered) + '\n'


def module_texts(seed):
    """(original, lowered) module texts for seed."""
    return Generator(seed).modules()


if __name__ == '__main__':
    which = sys.argv[2] if len(sys.argv) > 2 else 'original'
    texts = module_texts(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    sys.stdout.write(texts[0] if which == 'original' else texts[1])
