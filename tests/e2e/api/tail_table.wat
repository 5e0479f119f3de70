;; Tail calls through a table that two instances of this module share: each
;; hop appends its own instance's id (read from its own memory) to the
;; accumulator, so a callee given the caller's vmctx instead of its own
;; element's gives a different number. Element n-1 is tail-called next.
(module
  (type $hop (func (param i32 i64) (result i64)))
  (import "env" "table" (table $t 4 funcref))
  (memory 1)
  (func (export "set_id") (param i32) (i32.store (i32.const 0) (local.get 0)))
  (func (export "hop") (type $hop) (param $n i32) (param $acc i64) (result i64)
    (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 10))
                             (i64.extend_i32_u (i32.load (i32.const 0)))))
    (if (result i64) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect $t (type $hop)
              (i32.sub (local.get $n) (i32.const 1)) (local.get $acc)
              (i32.sub (local.get $n) (i32.const 1)))))))
