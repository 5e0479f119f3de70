;; memory.atomic.wait on a memory that is not shared traps; notify finds no
;; waiter there and returns 0 (tests/e2e/threads_test.cpp).
(module
  (memory 1 1)
  (func (export "wait") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
  (func (export "notify") (result i32)
    (memory.atomic.notify (i32.const 0) (i32.const 5))))
