;; Catches the tag thrower.wat exports, thrown by thrower, by a typed host
;; function, by a generic host function and through relay.wat (which has no
;; handlers); rethrows and delegates.
(module
  (import "thrower" "oops" (tag $oops (param i32 i64)))
  (import "thrower" "throw_oops" (func $throw_oops (param i32)))
  (import "host" "typed_throw" (func $typed_throw (param i32) (result i32)))
  (import "host" "generic_throw" (func $generic_throw (param i32) (result i32)))
  (import "relay" "relay_table" (func $relay_table (param i32)))
  (import "relay" "trap" (func $relay_trap (result i32)))
  (tag $local (param f64))

  ;; Module A throws, module B catches: the payload's i32 plus one.
  (func (export "catch_cross") (param i32) (result i32)
    (try (result i32)
      (do (call $throw_oops (local.get 0)) (i32.const -1))
      (catch $oops (drop) (i32.add (i32.const 1)))))

  ;; A host function throws kiln::Exception(oops, ...): wasm catches it.
  (func (export "catch_typed_host") (param i32) (result i32)
    (try (result i32)
      (do (call $typed_throw (local.get 0)))
      (catch $oops (drop))))
  (func (export "catch_generic_host") (param i32) (result i32)
    (try (result i32)
      (do (call $generic_throw (local.get 0)))
      (catch $oops (drop))))

  ;; Uncaught: reaches the host as kiln::Exception with tag and payload.
  (func (export "throw_local") (param f64)
    (throw $local (local.get 0)))
  (func (export "pass_through") (param i32)
    (call $throw_oops (local.get 0)))

  ;; rethrow: the outer catch sees the inner one's exception.
  (func (export "rethrow_twice") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw_oops (local.get 0)) (i32.const -1))
          (catch_all (rethrow 0))))
      (catch $oops (drop) (i32.mul (i32.const 10)))))

  ;; delegate skips the catch_all in between.
  (func (export "delegate_out") (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do (throw $local (f64.const 2.5)) (i32.const 0))
              (delegate $outer)))
          (catch_all (i32.const 1))))
      (catch $local (i32.trunc_f64_s))))

  ;; Traps are not exceptions: catch_all does not see them.
  (func (export "trap_not_caught") (result i32)
    (try (result i32)
      (do unreachable)
      (catch_all (i32.const 5))))

  ;; Through a module without exception handling (its table call).
  (func (export "catch_through_relay") (param i32) (result i32)
    (try (result i32)
      (do (call $relay_table (local.get 0)) (i32.const -1))
      (catch $oops (drop))))

  ;; A trap in another instance's function called inside a try: not caught.
  (func (export "callee_trap_not_caught") (result i32)
    (try (result i32)
      (do (call $relay_trap))
      (catch_all (i32.const 5)))))
