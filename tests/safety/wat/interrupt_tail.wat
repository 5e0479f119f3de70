;; A cycle of tail calls that never returns: $ping and $pong return_call
;; each other, $pong through the table (exported, so not inlined). No loop polls; only the entry
;; checks of the tail-called functions can notice an interruption.
(module
  (type $step (func (param i32) (result i32)))
  (import "host" "interrupt_me" (func $interrupt_me))
  (table (export "table") 1 funcref)
  (elem (i32.const 0) $ping)
  (func $ping (param i32) (result i32) (return_call $pong (i32.add (local.get 0) (i32.const 1))))
  (func $pong (param i32) (result i32)
    (return_call_indirect (type $step) (local.get 0) (i32.const 0)))
  (func (export "cycle") (result i32)
    (call $interrupt_me)
    (return_call $ping (i32.const 0)))
  (func (export "ok") (result i32) (i32.const 7)))
