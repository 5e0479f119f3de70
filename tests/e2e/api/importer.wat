;; Imports a function, memory, table and global, and uses each.
(module
  (type $i2i (func (param i32) (result i32)))
  (import "a" "inc" (func $inc (type $i2i)))
  (import "a" "mem" (memory 1))
  (import "a" "tab" (table 1 funcref))
  (import "a" "g" (global $g (mut i32)))
  ;; inc(g) + mem[0] + tab[0](100)
  (func (export "use_all") (result i32)
    (i32.add
      (i32.add (call $inc (global.get $g)) (i32.load (i32.const 0)))
      (call_indirect (type $i2i) (i32.const 100) (i32.const 0))))
  (func (export "set_g") (param i32) (global.set $g (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
