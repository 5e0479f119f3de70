;; Exception handling across instances: exports a tag and a function that
;; throws it (imported by catcher.wat).
(module
  (tag $oops (export "oops") (param i32 i64))
  (func (export "throw_oops") (param i32)
    (throw $oops (local.get 0) (i64.const 1234567890123))))
