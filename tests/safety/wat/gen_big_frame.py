#!/usr/bin/env python3
"""gen_big_frame.py OUT.wat COUNT: a module whose function `big` has COUNT
v128 locals (16 bytes each), so that unoptimized code needs a stack frame of
COUNT * 16 bytes, and `ok`, which needs almost none."""
import sys

out, count = sys.argv[1], int(sys.argv[2])
with open(out, "w") as f:
    f.write("(module\n")
    f.write('  (func $big (export "big") (result i32)\n')
    for start in range(0, count, 64):
        f.write("    (local" + " v128" * min(64, count - start) + ")\n")
    # Read the last local so it is not trivially dead.
    f.write("    (i32x4.extract_lane 0 (local.get %d)))\n" % (count - 1))
    f.write('  (func $ok (export "ok") (result i32) (i32.const 7)))\n')
