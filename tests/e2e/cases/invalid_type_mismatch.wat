;; aotc refuses an invalid module with one error line.
;; COMPILE-ERROR: type mismatch
(module (func (result i32) (i64.const 1)))
