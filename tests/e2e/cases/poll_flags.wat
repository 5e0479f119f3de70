;; A compare computed before a loop's interrupt poll and used after it. The
;; poll (`testb`) writes the CPU flags; until aotc declared that, LLVM kept a
;; loop-invariant compare's flags live across it, so the select after the
;; poll saw the poll's flags (ZF=1, SF=0): nextpnr placed and routed a
;; different design at -O1/-O2. Each export sums a select over 10 iterations.
;; RUN: sign -1 10
;; EXPECT: 45
;; RUN: sign 1 10
;; EXPECT: 135
;; RUN: equal 6 10
;; EXPECT: 135
;; RUN: equal 7 10
;; EXPECT: 45
;; RUN: below 3 10
;; EXPECT: 45
;; RUN: below 9 10
;; EXPECT: 135
;; RUN: greater_s64 -5 10
;; EXPECT: 135
;; RUN: greater_s64 5 10
;; EXPECT: 45
(module
  (memory 1)
  ;; select(i, 3i, a < 0): the flags of `test a, a`, read by cmovs.
  (func (export "sign") (param $a i32) (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $c i32)
    (local.set $c (i32.lt_s (local.get $a) (i32.const 0)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (select (local.get $i) (i32.mul (local.get $i) (i32.const 3)) (local.get $c))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; ZF: the poll sets it, so a false `a == 7` would read as true.
  (func (export "equal") (param $a i32) (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $c i32)
    (local.set $c (i32.eq (local.get $a) (i32.const 7)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (select (local.get $i) (i32.mul (local.get $i) (i32.const 3)) (local.get $c))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; CF: the poll clears it, so a true `a <u 5` would read as false.
  (func (export "below") (param $a i32) (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $c i32)
    (local.set $c (i32.lt_u (local.get $a) (i32.const 5)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (select (local.get $i) (i32.mul (local.get $i) (i32.const 3)) (local.get $c))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; A 64-bit signed compare (SF and OF) chosen by a branch in the loop.
  (func (export "greater_s64") (param $a i64) (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $c i32)
    (local.set $c (i64.gt_s (local.get $a) (i64.const 0)))
    (loop $l
      (if (local.get $c)
        (then (local.set $acc (i32.add (local.get $acc) (local.get $i))))
        (else (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 3))))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
