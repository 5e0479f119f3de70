;; Tables whose type has min == max (what wasm-ld emits): aotc uses the
;; constant size and loads the elements once per function; every bound and
;; trap must stay as with a growable table, across calls that write the table.
;; RUN: call 0 5
;; EXPECT: 6
;; RUN: call 2 5
;; TRAP: indirect call type mismatch
;; RUN: call 3 5
;; TRAP: uninitialized element
;; RUN: call 4 5
;; TRAP: undefined element
;; RUN: call -1 5
;; TRAP: undefined element
;; RUN: size
;; EXPECT: 4
;; RUN: grow_and_size 1
;; EXPECT: -1 4
;; RUN: get 4
;; TRAP: out of bounds table access
;; RUN: set_in_callee_then_call 5
;; EXPECT: 10
;; RUN: loop_calls 1000
;; EXPECT: 2000
;; RUN: empty_call 0
;; TRAP: undefined element
;; RUN: empty_size
;; EXPECT: 0
(module
  (type $i2i (func (param i32) (result i32)))
  (table $t 4 4 funcref)
  (table $empty 0 0 funcref)
  (elem (table $t) (i32.const 0) func $inc $double $other)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $other (param i64) (result i64) (local.get 0))
  (func $put_double_at_3 (table.set $t (i32.const 3) (ref.func $double)))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow_and_size") (param i32) (result i32 i32)
    (table.grow $t (ref.null func) (local.get 0)) (table.size $t))
  (func (export "get") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  ;; The element written by a callee is what the next call_indirect sees.
  (func (export "set_in_callee_then_call") (param i32) (result i32)
    (table.set $t (i32.const 3) (ref.null func))
    (call $put_double_at_3)
    (call_indirect $t (type $i2i) (local.get 0) (i32.const 3)))
  ;; Alternates $inc and $double in a loop; inc(1) and double(1) are both 2.
  (func (export "loop_calls") (param i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum)
        (call_indirect $t (type $i2i) (i32.const 1) (i32.and (local.get $i) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $sum))
  (func (export "empty_call") (param i32) (result i32)
    (call_indirect $empty (type $i2i) (i32.const 0) (local.get 0)))
  (func (export "empty_size") (result i32) (table.size $empty)))
