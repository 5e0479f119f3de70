;; Uses no exception handling itself: exceptions thrower.wat throws pass
;; through its frames, by a direct call and by a table call, and end them at
;; the call (the global counts the calls that returned normally).
(module
  (import "thrower" "throw_oops" (func $throw_oops (param i32)))
  (type $t (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $throw_oops)
  (global $returned (export "returned") (mut i32) (i32.const 0))
  (func (export "relay_direct") (param i32)
    (call $throw_oops (local.get 0))
    (global.set $returned (i32.add (global.get $returned) (i32.const 1))))
  (func (export "relay_table") (param i32)
    (call_indirect (type $t) (local.get 0) (i32.const 0))
    (global.set $returned (i32.add (global.get $returned) (i32.const 1))))
  (func (export "trap") (result i32) unreachable))
