;; Structured control flow, calls, recursion, multi-value blocks and functions.
;; RUN: fac 20
;; EXPECT: 2432902008176640000
;; RUN: fib 20
;; EXPECT: 6765
;; RUN: switch 0
;; EXPECT: 100
;; RUN: switch 2
;; EXPECT: 102
;; RUN: switch 99
;; EXPECT: 103
;; RUN: loop_sum 100
;; EXPECT: 5050
;; RUN: if_else 1
;; EXPECT: 10
;; RUN: if_else 0
;; EXPECT: 20
;; RUN: swap 1 2
;; EXPECT: 2 1
;; RUN: block_params 3 4
;; EXPECT: 7
;; RUN: early_return 5
;; EXPECT: 1
;; RUN: early_return -5
;; EXPECT: 0
;; RUN: select_i64 1
;; EXPECT: 11
;; RUN: select_i64 0
;; EXPECT: 22
;; RUN: br_if_value 7
;; EXPECT: 7
;; RUN: nop_drop
;; EXPECT:
(module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "switch") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const 103))
  (func (export "loop_sum") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (local.get 1))
  (func (export "if_else") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 10)) (else (i32.const 20))))
  (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func (export "block_params") (param i32 i32) (result i32)
    (local.get 0) (local.get 1)
    (block (param i32 i32) (result i32) (i32.add)))
  (func (export "early_return") (param i32) (result i32)
    (if (i32.gt_s (local.get 0) (i32.const 0)) (then (return (i32.const 1))))
    (i32.const 0))
  (func (export "select_i64") (param i32) (result i64)
    (select (i64.const 11) (i64.const 22) (local.get 0)))
  (func (export "br_if_value") (param i32) (result i32)
    (block (result i32) (br_if 0 (local.get 0) (i32.const 1)) (drop) (i32.const 0)))
  (func (export "nop_drop") (nop) (drop (i32.const 1)))
)
