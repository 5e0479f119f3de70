;; sum_i32.wat with a 64-bit memory: i64 addresses, every access checked
;; explicitly (bench/memory64/measure.py).
(module
  (memory i64 256)
  (func (export "run") (result i64)
    (local $i i64) (local $rep i32) (local $sum i64)
    (loop $fill
      (i32.store (local.get $i) (i32.wrap_i64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 4)))
      (br_if $fill (i64.lt_u (local.get $i) (i64.const 16777216))))
    (loop $rep_loop
      (local.set $i (i64.const 0))
      (loop $sum_loop
        (local.set $sum (i64.add (local.get $sum) (i64.load32_u (local.get $i))))
        (local.set $sum (i64.add (local.get $sum) (i64.load32_u offset=4 (local.get $i))))
        (local.set $i (i64.add (local.get $i) (i64.const 8)))
        (br_if $sum_loop (i64.lt_u (local.get $i) (i64.const 16777216))))
      (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
      (br_if $rep_loop (i32.lt_u (local.get $rep) (i32.const 64))))
    (local.get $sum)))
