;; Fills a 16 MiB buffer, then sums it 64 times: a load-bound loop (memory64
;; cost, bench/memory64/measure.py; sum_i64.wat is the same with i64 addresses).
(module
  (memory i32 256)
  (func (export "run") (result i64)
    (local $i i32) (local $rep i32) (local $sum i64)
    (loop $fill
      (i32.store (local.get $i) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 16777216))))
    (loop $rep_loop
      (local.set $i (i32.const 0))
      (loop $sum_loop
        (local.set $sum (i64.add (local.get $sum) (i64.load32_u (local.get $i))))
        (local.set $sum (i64.add (local.get $sum) (i64.load32_u offset=4 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br_if $sum_loop (i32.lt_u (local.get $i) (i32.const 16777216))))
      (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
      (br_if $rep_loop (i32.lt_u (local.get $rep) (i32.const 64))))
    (local.get $sum)))
