;; Exports one of each extern kind for the API tests to import elsewhere.
(module
  (memory (export "mem") 1 4)
  (table (export "tab") 2 funcref)
  (global (export "g") (mut i32) (i32.const 42))
  (global (export "c") i64 (i64.const 7))
  (elem (i32.const 0) $inc)
  (data (i32.const 0) "\05\00\00\00")
  (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "read") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "get_g") (result i32) (global.get 0)))
