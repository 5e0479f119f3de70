;; The consumer project's module: compiled at its build time by the
;; installed aotc, linked statically, called through its header.
(module
  (import "host" "shout" (func $shout (param i32)))
  (func (export "greet") (param $times i32) (result i32)
    (local $i i32)
    (loop $again
      (call $shout (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_s (local.get $i) (local.get $times))))
    (i32.mul (local.get $times) (i32.const 10))))
