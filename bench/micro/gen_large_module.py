#!/usr/bin/env python3
"""Writes a large, deterministic WebAssembly text module for the load and
compile-throughput benchmarks:  gen_large_module.py FUNCTIONS OUT.wat

Every function mixes integer and float arithmetic, loops, memory traffic,
branches and calls to earlier functions, so the code resembles compiled C
rather than one repeated pattern. 2100 functions give ~1 MB of native code
(.text) at aotc -O2.
"""
import random
import sys


def function(rng, k):
    c = [rng.randrange(1, 1 << 31) | 1 for _ in range(6)]
    r = rng.randrange(1, 31)
    callee = rng.randrange(k) if k else None
    body = []
    body.append('(local.set $x (i32.xor (local.get $a) (i32.const %d)))' % c[0])
    body.append('(local.set $f (f64.convert_i32_s (local.get $b)))')
    for rep in range(3):
        body.append('''(local.set $i (i32.and (i32.add (local.get $b) (i32.const %d)) (i32.const 15)))
    (block $done%d (loop $l%d
      (br_if $done%d (i32.eqz (local.get $i)))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const %d)) (i32.rotl (local.get $x) (i32.const %d))))
      (i32.store offset=%d (i32.and (local.get $x) (i32.const 0xfffc)) (local.get $x))
      (local.set $x (i32.xor (local.get $x)
        (i32.load offset=%d (i32.and (i32.shr_u (local.get $x) (i32.const 7)) (i32.const 0xfffc)))))
      (local.set $y (i64.add (i64.mul (local.get $y) (i64.const %d)) (i64.extend_i32_u (local.get $x))))
      (local.set $f (f64.add (f64.mul (local.get $f) (f64.const 0.%d)) (f64.convert_i32_u (local.get $x))))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l%d)))''' % (rep + k % 7, rep, rep, rep, c[1 + rep], (r + rep) % 31 + 1, rep * 4, 64 + rep * 8,
                        c[4] + rep, rng.randrange(100, 999), rep))
    if callee is not None:
        body.append('''(if (i32.and (local.get $x) (i32.const %d))
      (then (local.set $x (i32.add (local.get $x) (call $f%d (local.get $x) (local.get $b)))))
      (else (local.set $x (i32.sub (local.get $x) (i32.trunc_sat_f64_s (local.get $f))))))''' % (
            1 << rng.randrange(8), callee))
    body.append('(block $b0 (block $b1 (block $b2 (br_table $b0 $b1 $b2 (i32.and (local.get $x) (i32.const 3))))'
                ' (local.set $x (i32.shl (local.get $x) (i32.const 3))))'
                ' (local.set $x (i32.div_u (local.get $x) (i32.or (local.get $b) (i32.const 1)))))'
                ' (local.set $y (i64.rotr (local.get $y) (i64.const %d)))' % rng.randrange(1, 63))
    body.append('(i32.add (local.get $x) (i32.add (i32.wrap_i64 (local.get $y)) (i32.trunc_sat_f64_s (local.get $f))))')
    return ('  (func $f%d (export "f%d") (param $a i32) (param $b i32) (result i32)\n'
            '    (local $i i32) (local $x i32) (local $y i64) (local $f f64)\n    %s)\n' %
            (k, k, '\n    '.join(body)))


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: gen_large_module.py FUNCTIONS OUT.wat')
    count = int(sys.argv[1])
    rng = random.Random(6)
    parts = ['(module\n  (memory (export "memory") 1)\n']
    parts += [function(rng, k) for k in range(count)]
    parts.append(')\n')
    with open(sys.argv[2], 'w') as f:
        f.write(''.join(parts))


if __name__ == '__main__':
    main()
