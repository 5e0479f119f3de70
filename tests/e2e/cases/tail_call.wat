;; tail-call: return_call and return_call_indirect run in constant stack. $a,
;; $b and $c call each other 10 million deep (each hop counts one) with three
;; signatures ($b takes ten i64s, so some travel on the stack) and through the
;; table; the 512 KiB default stack budget holds a few thousand frames at
;; most. The same depth with ordinary calls exhausts the stack, and traps in
;; tail-called functions are reported as usual.
;; RUN: mutual 10000000
;; EXPECT: 10000000
;; RUN: mutual 0
;; EXPECT: 0
;; RUN: mutual 2
;; EXPECT: 2
;; RUN: self 10000000
;; EXPECT: 10000000
;; RUN: plain 10000000
;; TRAP: call stack exhausted
;; RUN: trap_after 100000
;; TRAP: unreachable
;; RUN: wrong_type 3
;; TRAP: indirect call type mismatch
;; RUN: multi 7
;; EXPECT: 7 -7
(module
  (type $tc (func (param i64 i64 f64) (result i64)))
  (type $tm (func (param i32 i32) (result i32 i32)))
  (table funcref (elem $c $a))
  (func $a (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $b (i64.sub (local.get $n) (i64.const 1))
              (i64.add (local.get $acc) (i64.const 1))
              (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
              (i64.const 0) (i64.const 0) (i64.const 1)))))
  (func $b (param $n i64) (param $acc i64) (param i64 i64 i64 i64 i64 i64 i64)
           (param $one i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $tc)
              (i64.sub (local.get $n) (i64.const 1))
              (i64.add (local.get $acc) (local.get $one)) (f64.const 1) (i32.const 0)))))
  (func $c (param $n i64) (param $acc i64) (param $x f64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $a (i64.sub (local.get $n) (i64.const 1))
              (i64.add (local.get $acc) (i64.trunc_f64_s (local.get $x)))))))
  (func (export "mutual") (param i64) (result i64) (call $a (local.get 0) (i64.const 0)))

  ;; Self tail recursion with an accumulator.
  (func $count (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call $count (i64.sub (local.get $n) (i64.const 1))
                                (i64.add (local.get $acc) (i64.const 1))))))
  (func (export "self") (param i64) (result i64) (return_call $count (local.get 0) (i64.const 0)))

  ;; The same recursion without tail calls.
  (func $deep (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n)) (then (i64.const 0))
      (else (i64.add (i64.const 1) (call $deep (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "plain") (param i64) (result i64) (call $deep (local.get 0)))

  (func $down (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (unreachable)))
    (return_call $down (i32.sub (local.get $n) (i32.const 1))))
  (func (export "trap_after") (param i32) (result i32) (return_call $down (local.get 0)))

  ;; Table entry 1 is $a, whose type is not $tc.
  (func (export "wrong_type") (param i64) (result i64)
    (return_call_indirect (type $tc) (local.get 0) (i64.const 0) (f64.const 1) (i32.const 1)))

  ;; Several results pass through a tail call unchanged.
  (func $pair (param $x i32) (param $y i32) (result i32 i32) (local.get $x) (local.get $y))
  (func $neg (param $x i32) (param $unused i32) (result i32 i32)
    (return_call $pair (local.get $x) (i32.sub (i32.const 0) (local.get $x))))
  (func (export "multi") (param i32) (result i32 i32) (return_call $neg (local.get 0) (i32.const 0))))
