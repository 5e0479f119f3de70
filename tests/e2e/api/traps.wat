;; Traps raised a few frames deep, for backtraces and recovery.
(module
  (memory 1)
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
  (func (export "outer") (param i32) (result i32) (call $middle (local.get 0)))
  (func (export "oob") (param i32) (result i32) (i32.load (local.get 0)))
  (func $spin (export "spin") (loop $l (br $l)))
  (func (export "ok") (result i32) (i32.const 7)))
