;; Every trap kind reachable from a single module, and stack exhaustion by
;; direct, mutual and indirect infinite recursion.
;; RUN: unreachable
;; TRAP: unreachable
;; RUN: nested_unreachable 3
;; TRAP: unreachable
;; RUN: recurse 0
;; TRAP: call stack exhausted
;; RUN: ping 0
;; TRAP: call stack exhausted
;; RUN: indirect_recurse 0
;; TRAP: call stack exhausted
;; RUN: deep 2000
;; EXPECT: 2000
;; RUN: div0
;; TRAP: integer divide by zero
;; RUN: oob
;; TRAP: out of bounds memory access
(module
  (type $v (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect_recurse)
  (memory 1)
  (func (export "unreachable") (unreachable))
  (func $nested (export "nested_unreachable") (param i32)
    (if (local.get 0) (then (call $nested (i32.sub (local.get 0) (i32.const 1)))) (else (unreachable))))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $ping (export "ping") (param i32) (result i32)
    (i32.add (call $pong (local.get 0)) (i32.const 1)))
  (func $pong (param i32) (result i32)
    (i32.add (call $ping (local.get 0)) (i32.const 1)))
  (func $indirect_recurse (export "indirect_recurse") (param i32) (result i32)
    (i32.add (call_indirect (type $v) (local.get 0) (i32.const 0)) (i32.const 1)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "div0") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
  (func (export "oob") (result i32) (i32.load (i32.const 65536)))
)
