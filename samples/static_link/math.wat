;; Linked into static_link as libmath.a (namespace math::).
(module
  (func $gcd (export "gcd") (param $a i64) (param $b i64) (result i64)
    (if (result i64) (i64.eqz (local.get $b))
      (then (local.get $a))
      (else (call $gcd (local.get $b) (i64.rem_u (local.get $a) (local.get $b))))))
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1))))
