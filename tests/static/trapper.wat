;; Linked statically into static_host_test (at -O0, so no call is inlined):
;; traps through nested calls, for traps and backtraces from linked code.
(module
  (import "host" "stop" (func $stop))
  (func $divide (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (i32.add (i32.const 1) (call $divide (i32.const 100) (local.get 0))))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (i32.const 1) (call $recurse (local.get 0))))
  ;; An exported tag (the header's accessor returns a kiln::Tag) and a throw of it.
  (tag $oops (export "oops") (param i32))
  (func (export "throw_oops") (param i32) (throw $oops (local.get 0)))
  ;; The host's stop() interrupts the store; the loop's poll then traps.
  (func (export "spin")
    (call $stop)
    (loop $forever (br $forever))))
