;; The smallest useful artifact for load/unload stress: one trap, one value.
(module
  (func $boom (export "boom") (unreachable))
  (func $ok (export "ok") (result i32) (i32.const 7)))
