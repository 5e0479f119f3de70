;; A module that imports two host functions: it asks the host to square
;; numbers and reports each partial sum back to it.
(module
  (import "host" "square" (func $square (param i32) (result i32)))
  (import "host" "report" (func $report (param i32 i64)))
  (func (export "sum_of_squares") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum)
                                 (i64.extend_i32_u (call $square (local.get $i)))))
        (call $report (local.get $i) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
