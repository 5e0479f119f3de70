;; A module using tail calls: its functions reached through the table are
;; entered through their swiftcc entries (or tail_code). A trap in $inner,
;; which $middle calls through the table, which $outer calls through the
;; table; $tail_outer tail-calls $middle, so its own frame is gone from the
;; backtrace. (Table calls keep -O2 from inlining any of them.)
(module
  (type $unary (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $inner $middle)
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func $middle (param i32) (result i32)
    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0)) (i32.const 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 1)) (i32.const 1)))
  (func $tail_outer (export "tail_outer") (param i32) (result i32)
    (return_call_indirect (type $unary) (local.get 0) (i32.const 1))))
