;; Sealed tables (not exported, written by no instruction, filled by segments
;; at constant offsets): call_indirect checks the callee's type against
;; constants compiled into the artifact and calls it directly. Every trap and
;; result must be what the general path gives: types equal by structure
;; match, other types, null and missing elements trap, a later segment
;; replaces an earlier one's element, a table with room to grow that nothing
;; grows keeps its minimum size, and return_call_indirect keeps one frame,
;; also when it reaches a function without return_call* (a call and a return).
;; RUN: call 0 5
;; EXPECT: 6
;; RUN: call 1 5
;; EXPECT: 10
;; RUN: call_same_shape 1 21
;; EXPECT: 42
;; RUN: call 2 5
;; TRAP: indirect call type mismatch
;; RUN: call 3 5
;; TRAP: uninitialized element
;; RUN: call 4 5
;; EXPECT: 105
;; RUN: call 5 5
;; EXPECT: 5
;; RUN: call 6 5
;; TRAP: uninitialized element
;; RUN: call 8 5
;; TRAP: undefined element
;; RUN: call -1 5
;; TRAP: undefined element
;; RUN: call_pair 7 3
;; EXPECT: 3 -3
;; RUN: call_pair 0 3
;; TRAP: indirect call type mismatch
;; RUN: call_i64 2 9
;; EXPECT: 18
;; RUN: roomy 0 5
;; EXPECT: 6
;; RUN: roomy 1 5
;; TRAP: uninitialized element
;; RUN: roomy 2 5
;; TRAP: undefined element
;; RUN: roomy_size
;; EXPECT: 2
;; RUN: count 10000000
;; EXPECT: 10000000
;; RUN: count_through_plain 1000
;; EXPECT: 1000
;; RUN: tail_wrong 0
;; TRAP: indirect call type mismatch
;; RUN: tail_null 0
;; TRAP: uninitialized element
;; RUN: sum_all 5
;; EXPECT: 126
(module
  (type $i2i (func (param i32) (result i32)))
  (type $same (func (param i32) (result i32)))
  (type $pair (func (param i32) (result i32 i32)))
  (type $l2l (func (param i64) (result i64)))
  (type $step (func (param i32 i32 i32) (result i32)))
  (table $t 8 8 funcref)
  (table $roomy 2 100 funcref)
  (table $steps 2 2 funcref)
  ;; 0: $inc, 1: $double (declared with $same), 2: $wide, 3: null,
  ;; 4: $hundred (replaces the second segment's), 5: $ident, 6: null,
  ;; 7: $split.
  (elem (table $t) (i32.const 0) func $inc $double $wide)
  (elem (table $t) (i32.const 4) func $ident $ident)
  (elem (table $t) (i32.const 4) func $hundred)
  (elem (table $t) (i32.const 7) func $split)
  (elem (table $roomy) (i32.const 0) func $inc)
  (elem (table $steps) (i32.const 0) func $tail_step $plain_step)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $double (type $same) (i32.mul (local.get 0) (i32.const 2)))
  (func $wide (param i64) (result i64) (i64.mul (local.get 0) (i64.const 2)))
  (func $hundred (param i32) (result i32) (i32.add (local.get 0) (i32.const 100)))
  (func $ident (param i32) (result i32) (local.get 0))
  (func $split (param i32) (result i32 i32) (local.get 0) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  (func (export "call_same_shape") (param i32 i32) (result i32)
    (call_indirect $t (type $same) (local.get 1) (local.get 0)))
  (func (export "call_pair") (param i32 i32) (result i32 i32)
    (call_indirect $t (type $pair) (local.get 1) (local.get 0)))
  (func (export "call_i64") (param i32 i64) (result i64)
    (call_indirect $t (type $l2l) (local.get 1) (local.get 0)))
  (func (export "roomy") (param i32 i32) (result i32)
    (call_indirect $roomy (type $i2i) (local.get 1) (local.get 0)))
  (func (export "roomy_size") (result i32) (table.size $roomy))

  ;; Counting down through the table: $tail_step tail-calls element $via,
  ;; itself (0) or $plain_step (1), which has no return_call* (so the tail
  ;; call is a call and a return) and calls $tail_step back. 10 million
  ;; hops fit in the stack only if each hop through element 0 reuses its
  ;; frame.
  (func $tail_step (param $n i32) (param $acc i32) (param $via i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect $steps (type $step)
        (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (i32.const 1))
        (local.get $via) (local.get $via)))))
  (func $plain_step (param $n i32) (param $acc i32) (param $via i32) (result i32)
    (call $tail_step (local.get $n) (local.get $acc) (local.get $via)))
  (func (export "count") (param i32) (result i32)
    (call $tail_step (local.get 0) (i32.const 0) (i32.const 0)))
  (func (export "count_through_plain") (param i32) (result i32)
    (call $tail_step (local.get 0) (i32.const 0) (i32.const 1)))
  (func (export "tail_wrong") (param i32) (result i32)
    (return_call_indirect $t (type $i2i) (local.get 0) (i32.const 2)))
  (func (export "tail_null") (param i32) (result i32)
    (return_call_indirect $t (type $i2i) (local.get 0) (i32.const 3)))
  ;; Every element of $t that $i2i fits, from a loop: 6 + 10 + 105 + 5.
  (func (export "sum_all") (param $x i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (if (i32.ne (local.get $i) (i32.const 2))
        (then (if (i32.ne (local.get $i) (i32.const 3))
          (then (local.set $sum (i32.add (local.get $sum)
            (call_indirect $t (type $i2i) (local.get $x) (local.get $i))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 6))))
    (local.get $sum)))
