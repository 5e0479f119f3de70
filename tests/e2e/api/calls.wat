;; Call paths between wasm and host functions: every value type through a
;; typed host function, host functions in a table, a host function using its
;; Caller, re-entry from a host function, and tail calls (return_call*) of
;; host functions.
(module
  (type $mix (func (param i32 i64 f32 f64) (result f64)))
  (type $unary (func (param i32) (result i32)))
  (type $wide (func (param i64) (result i64)))
  (import "host" "mix" (func $mix (type $mix)))
  (import "host" "next" (func $next (type $unary)))
  (import "host" "poke" (func $poke (param i32 i32)))
  (import "host" "widen" (func $widen (type $wide)))
  (import "host" "reenter" (func $reenter (type $unary)))
  ;; More values than the call paths keep in place.
  (import "host" "many" (func $many (param i32 i32 i32 i32 i32 i32) (result i32 i32 i32 i32 i32)))
  ;; Nine floating-point parameters: one is on the stack, so no direct entry.
  (import "host" "fsum9" (func $fsum9 (param f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64)))
  (memory (export "memory") 1)
  (table 3 funcref)
  (elem (i32.const 0) $next $widen $leaf)

  (func $leaf (type $unary) (i32.add (local.get 0) (i32.const 100)))
  (func (export "call_mix") (param i32 i64 f32 f64) (result f64)
    (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "call_next") (param i32) (result i32) (call $next (local.get 0)))
  ;; Calls table[i] as (i32) -> i32: 0 is a host function, 1 a host function
  ;; of another type (traps), 2 a wasm function.
  (func (export "call_slot") (param i32 i32) (result i32)
    (call_indirect (type $unary) (local.get 1) (local.get 0)))
  (func (export "poke_load") (param i32 i32) (result i32)
    (call $poke (local.get 0) (local.get 1))
    (i32.load (local.get 0)))
  (func (export "call_widen") (param i64) (result i64) (call $widen (local.get 0)))
  (func (export "call_reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  ;; Nine arguments; returns the weighted sum of many's five results.
  (func (export "call_many") (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (call $many (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5))
    (local.set $e) (local.set $d) (local.set $c) (local.set $b) (local.set $a)
    (i32.add (i32.add (i32.add (i32.add (i32.add (local.get $a) (i32.mul (local.get $b) (i32.const 10)))
      (i32.mul (local.get $c) (i32.const 100))) (i32.mul (local.get $d) (i32.const 1000)))
      (i32.mul (local.get $e) (i32.const 10000)))
      (i32.add (local.get 6) (i32.add (local.get 7) (local.get 8)))))
  (func (export "leaf") (param i32) (result i32) (call $leaf (local.get 0)))
  ;; Register use of typed calls: 4 integer arguments (the most in registers
  ;; through the typed entry), 5 (the thunk path), 8 floating-point ones with
  ;; an f32 result, mixed order, and a trap.
  (func (export "weigh4") (param i32 i64 i32 i64) (result i64)
    (i64.add (i64.add (i64.extend_i32_s (local.get 0)) (i64.mul (local.get 1) (i64.const 10)))
      (i64.add (i64.mul (i64.extend_i32_s (local.get 2)) (i64.const 100)) (i64.mul (local.get 3) (i64.const 1000)))))
  (func (export "weigh5") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 10)))
      (i32.add (i32.mul (local.get 2) (i32.const 100)) (i32.mul (local.get 3) (i32.const 1000))))
      (i32.mul (local.get 4) (i32.const 10000))))
  (func (export "fweigh") (param f32 f64 f32 f64 f32 f64 f32 f64 i32) (result f32)
    (f32.add (f32.demote_f64 (f64.add (f64.add (f64.promote_f32 (local.get 0)) (local.get 1))
      (f64.add (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))
        (f64.add (f64.add (f64.promote_f32 (local.get 4)) (local.get 5))
          (f64.add (f64.promote_f32 (local.get 6)) (local.get 7))))))
      (f32.convert_i32_s (local.get 8))))
  (func (export "interleaved") (param f64 i32 f32 i64) (result f64)
    (f64.add (f64.add (local.get 0) (f64.convert_i32_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (f64.convert_i64_s (local.get 3)))))
  (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  ;; Tail calls of host functions: through the direct-entry thunk, through
  ;; the adapter (tuple results; stack arguments), through the table, and
  ;; one whose host function throws.
  (func (export "tail_next") (param i32) (result i32) (return_call $next (local.get 0)))
  (func (export "tail_many") (param i32) (result i32 i32 i32 i32 i32)
    (return_call $many (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))
  (func $sum9 (param f64) (result f64)
    (return_call $fsum9 (local.get 0) (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4)
                        (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8)))
  (func (export "call_fsum9") (param f64) (result f64)
    (f64.add (call $fsum9 (local.get 0) (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4)
                          (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8))
             (call $sum9 (local.get 0))))
  (func (export "tail_slot") (param i32 i32) (result i32)
    (return_call_indirect (type $unary) (local.get 1) (local.get 0)))
  (func (export "tail_widen") (param i64) (result i64) (return_call $widen (local.get 0))))
