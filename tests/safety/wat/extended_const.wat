;; A global initialized by an extended-const sequence, for the descriptor
;; checks of such sequences (refusal_test.cpp).
(module
  (global $g i32 (i32.add (i32.const 40) (i32.const 2)))
  (func (export "ok") (result i32) (global.get $g)))
