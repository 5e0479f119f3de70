;; Traps of another kind, for threads running beside the stress loop.
(module
  (func $divide (export "divide") (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $ok (export "ok") (result i32) (i32.const 9)))
