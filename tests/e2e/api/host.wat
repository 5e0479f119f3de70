;; Calls host functions: plain, multi-value, throwing, and re-entrant.
(module
  (import "host" "mul" (func $mul (param i32 i32) (result i32)))
  (import "host" "pair" (func $pair (param i64) (result i64 f64)))
  (import "host" "fail" (func $fail))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "call_mul") (param i32 i32) (result i32) (call $mul (local.get 0) (local.get 1)))
  (func (export "call_pair") (param i64) (result f64) (local $d f64)
    (call $pair (local.get 0)) (local.set $d) (f64.convert_i64_s) (local.get $d) (f64.add))
  (func (export "call_fail") (result i32) (call $fail) (i32.const 1))
  (func (export "call_reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
