;; Growth without declared maxima: only the store's limits stop it.
(module
  (memory (export "memory") 1)
  (table $t (export "table") 1 funcref)
  (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "memory_pages") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow_table") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0)))
  (func (export "table_size") (result i32) (table.size $t)))
