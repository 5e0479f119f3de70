;; No function has a name: backtraces must still give indices.
(module
  (func (result i32) (i32.const 7))
  (func (unreachable))
  (export "seven" (func 0))
  (export "crash" (func 1)))
