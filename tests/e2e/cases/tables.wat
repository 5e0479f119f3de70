;; Tables and references: call_indirect, table.get/set/size/grow/fill/copy/init,
;; elem.drop, ref.func, ref.null, ref.is_null, and every table trap.
;; RUN: call 0 5
;; EXPECT: 6
;; RUN: call 1 5
;; EXPECT: 10
;; RUN: call 2 5
;; TRAP: indirect call type mismatch
;; RUN: call 3 5
;; TRAP: uninitialized element
;; RUN: call 10 5
;; TRAP: undefined element
;; RUN: call -1 5
;; TRAP: undefined element
;; RUN: size
;; EXPECT: 4
;; RUN: grow_and_size 3
;; EXPECT: 4 7
;; RUN: grow_and_size 100
;; EXPECT: -1 4
;; RUN: is_null 3
;; EXPECT: 1
;; RUN: is_null 0
;; EXPECT: 0
;; RUN: get 4
;; TRAP: out of bounds table access
;; RUN: set_then_call 3 5
;; EXPECT: 10
;; RUN: set 9
;; TRAP: out of bounds table access
;; RUN: fill_then_call 7
;; EXPECT: 8
;; RUN: fill_oob
;; TRAP: out of bounds table access
;; RUN: copy_then_call 9
;; EXPECT: 18
;; RUN: init_then_call 2
;; EXPECT: 3
;; RUN: init_after_drop
;; TRAP: out of bounds table access
;; RUN: externref_table
;; EXPECT: 1 0
(module
  (type $i2i (func (param i32) (result i32)))
  (table $t 4 10 funcref)
  (table $e 2 externref)
  (elem (table $t) (i32.const 0) func $inc $double $other)
  (elem $passive func $inc $double)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $other (param i64) (result i64) (local.get 0))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "grow_and_size") (param i32) (result i32 i32)
    (table.grow $t (ref.null func) (local.get 0)) (table.size $t))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "get") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set_then_call") (param i32 i32) (result i32)
    (table.set $t (local.get 0) (ref.func $double))
    (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  (func (export "set") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "fill_then_call") (param i32) (result i32)
    (table.fill $t (i32.const 1) (ref.func $inc) (i32.const 3))
    (call_indirect $t (type $i2i) (local.get 0) (i32.const 3)))
  (func (export "fill_oob") (table.fill $t (i32.const 3) (ref.null func) (i32.const 2)))
  (func (export "copy_then_call") (param i32) (result i32)
    (table.copy $t $t (i32.const 3) (i32.const 1) (i32.const 1))
    (call_indirect $t (type $i2i) (local.get 0) (i32.const 3)))
  (func (export "init_then_call") (param i32) (result i32)
    (table.init $t $passive (i32.const 2) (i32.const 0) (i32.const 2))
    (call_indirect $t (type $i2i) (local.get 0) (i32.const 2)))
  (func (export "init_after_drop")
    (elem.drop $passive) (table.init $t $passive (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "externref_table") (result i32 i32)
    (ref.is_null (table.get $e (i32.const 0)))
    (table.set $e (i32.const 1) (table.get $e (i32.const 0)))
    (table.size $e) (i32.sub (i32.const 2)))
)
