;; extended-const: integer add, sub and mul in global initializers, data and
;; element segment offsets and element expressions, evaluated at instantiation.
;; RUN: g32
;; EXPECT: 42
;; RUN: g64
;; EXPECT: -8446744073709551616
;; RUN: load 0
;; EXPECT: 0
;; RUN: load 12
;; EXPECT: 1852598635
;; RUN: call_at 6
;; EXPECT: 7
;; RUN: call_at 7
;; EXPECT: 8
;; RUN: call_at 5
;; TRAP: uninitialized element
(module
  (memory 1)
  (table 10 funcref)
  (global $g32 i32 (i32.sub (i32.mul (i32.const 11) (i32.const 4)) (i32.const 2)))
  ;; 10^19 wraps modulo 2^64
  (global $g64 i64 (i64.mul (i64.const 10000000000) (i64.const 1000000000)))
  (data (i32.add (i32.const 4) (i32.mul (i32.const 2) (i32.const 4))) "kiln")
  (elem (i32.sub (i32.const 9) (i32.const 3)) func $seven)
  (elem (offset (i32.add (i32.const 3) (i32.const 4))) funcref (ref.func $eight))
  (type $t (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))
  (func (export "g32") (result i32) (global.get $g32))
  (func (export "g64") (result i64) (global.get $g64))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "call_at") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))
