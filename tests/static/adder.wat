;; Linked statically into static_host_test (twice: at -O2 as `adder` and at
;; -O0 as `adder_o0`). Calls the host for every addition it logs.
(module
  (import "env" "log" (func $log (param i32 i64)))
  (memory (export "memory") 1)
  (global $count (export "count") (mut i32) (i32.const 0))
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (call $log (local.get $a) (i64.extend_i32_s (local.get $b)))
    (i32.add (local.get $a) (local.get $b)))
  (func (export "sum_and_product") (param i64 i64) (result i64 i64)
    (i64.add (local.get 0) (local.get 1))
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "store") (param i32 f64)
    (f64.store (local.get 0) (local.get 1)))
  (func (export "splat") (param i32) (result v128)
    (i32x4.splat (local.get 0))))
