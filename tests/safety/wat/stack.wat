;; Unbounded recursion three ways; $depth counts entries so a test can see
;; how deep the guest got before the stack budget stopped it.
(module
  (type $rec (func (param i32) (result i32)))
  (global $depth (mut i32) (i32.const 0))
  (table 1 funcref)
  (elem (i32.const 0) $via_table)

  (func $enter
    (global.set $depth (i32.add (global.get $depth) (i32.const 1))))

  (func $direct (export "direct") (param i32) (result i32)
    (call $enter)
    (i32.sub (call $direct (i32.add (local.get 0) (i32.const 1))) (local.get 0)))

  (func $ping (export "mutual") (param i32) (result i32)
    (call $enter)
    (i32.xor (call $pong (i32.add (local.get 0) (i32.const 1))) (local.get 0)))
  (func $pong (param i32) (result i32)
    (call $enter)
    (i32.sub (call $ping (i32.mul (local.get 0) (i32.const 3))) (i32.const 5)))

  (func $via_table (export "indirect") (param i32) (result i32)
    (call $enter)
    (i32.sub (call_indirect (type $rec) (i32.add (local.get 0) (i32.const 1)) (i32.const 0))
             (local.get 0)))

  (func (export "depth") (result i32) (global.get $depth))
  (func (export "reset") (global.set $depth (i32.const 0)))
  (func (export "ok") (result i32) (i32.const 7)))
