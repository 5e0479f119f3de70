;; Wasm frames between host code and host functions that throw.
(module
  (import "host" "throw" (func $throw (param i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; Calls the throwing host function, then would store and return.
  (func $calls_throw (export "calls_throw") (param i32) (result i32)
    (call $throw (local.get 0))
    (i32.store (i32.const 0) (i32.const -1))
    (i32.const -1))
  ;; host -> wasm (here) -> host reenter -> wasm calls_throw -> host throw
  (func $calls_reenter (export "calls_reenter") (param i32) (result i32)
    (i32.add (call $reenter (local.get 0)) (i32.const 1000)))
  (func $ok (export "ok") (result i32) (i32.const 7)))
