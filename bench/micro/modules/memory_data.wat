;; Instantiation cost: one memory of two pages and one active data segment.
(module
  (memory (export "memory") 2)
  (data (i32.const 1024) "Kiln instantiation benchmark: a data segment of some length, copied into memory at every instantiation.")
  (func (export "first_byte") (result i32)
    (i32.load8_u (i32.const 1024))))
