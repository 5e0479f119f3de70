;; A module using tail calls: its functions with return_call* are entered
;; through their swiftcc entries (or tail_code). A trap in $inner, which
;; $middle calls through the table, which $outer calls through the table.
;; $tail_outer tail-calls $tail_middle (which has a return_call, so a
;; swifttailcc body), so its own frame is gone from the backtrace;
;; $tail_plain tail-calls $middle, which has none: a call and a return, so
;; its frame stays ($middle cannot tail-call on). (Table calls keep -O2
;; from inlining any of them: the table is exported, so its contents are
;; not known when compiling.)
(module
  (type $unary (func (param i32) (result i32)))
  (table (export "table") 3 funcref)
  (elem (i32.const 0) $inner $middle $tail_middle)
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func $middle (param i32) (result i32)
    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0)) (i32.const 1)))
  (func $tail_middle (param i32) (result i32)
    (if (i32.eq (local.get 0) (i32.const 7)) (then (return_call $inner (local.get 0))))
    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0)) (i32.const 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 1)) (i32.const 1)))
  (func $tail_outer (export "tail_outer") (param i32) (result i32)
    (return_call_indirect (type $unary) (local.get 0) (i32.const 2)))
  (func $tail_plain (export "tail_plain") (param i32) (result i32)
    (return_call_indirect (type $unary) (local.get 0) (i32.const 1))))
