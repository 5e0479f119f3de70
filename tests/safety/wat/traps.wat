;; One exported function per way to trap, each trapping in its own body so
;; that inlining at -O2 cannot move the trap into another function.
(module
  (type $to_i32 (func (result i32)))
  (type $i64_to_i64 (func (param i64) (result i64)))
  (memory 1)
  (table $t 4 funcref)
  ;; slot 0: right type; slot 1: wrong type; slots 2 and 3: null
  (elem (i32.const 0) $seven $wrong_type)
  (data $d "kiln")

  (func $seven (result i32) (i32.const 7))
  (func $wrong_type (param i64) (result i64) (local.get 0))

  (func $unreachable (export "unreachable") (unreachable))
  (func $div_by_zero (export "div_by_zero") (param i32) (result i32)
    (i32.div_s (i32.const 1) (local.get 0)))
  (func $rem_by_zero (export "rem_by_zero") (param i64) (result i64)
    (i64.rem_u (i64.const 1) (local.get 0)))
  (func $div_overflow (export "div_overflow") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $trunc_overflow (export "trunc_overflow") (param f64) (result i32)
    (i32.trunc_f64_s (local.get 0)))
  (func $trunc_nan (export "trunc_nan") (param f32) (result i32)
    (i32.trunc_f32_u (local.get 0)))
  (func $load_oob (export "load_oob") (param i32) (result i32)
    (i32.load (local.get 0)))
  (func $store_oob (export "store_oob") (param i32)
    (i64.store offset=4 (local.get 0) (i64.const -1)))
  (func $fill_oob (export "fill_oob") (param i32)
    (memory.fill (local.get 0) (i32.const 0) (i32.const 16)))
  (func $init_oob (export "init_oob") (param i32)
    (memory.init $d (local.get 0) (i32.const 0) (i32.const 4)))
  (func $table_get_oob (export "table_get_oob") (param i32)
    (drop (table.get $t (local.get 0))))
  (func $table_fill_oob (export "table_fill_oob") (param i32)
    (table.fill $t (local.get 0) (ref.null func) (i32.const 2)))
  (func $call_indirect (export "call_indirect") (param i32) (result i32)
    (call_indirect $t (type $to_i32) (local.get 0)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.sub (call $recurse (i32.add (local.get 0) (i32.const 1))) (local.get 0)))

  ;; A three-frame chain through the table, which no optimizer can inline
  ;; (exported, so its contents are not known when compiling):
  ;; outer -> middle -> inner, inner divides by its argument.
  (table $chain (export "chain") 2 funcref)
  (elem (table $chain) (i32.const 0) func $middle $inner)
  (type $i32_to_i32 (func (param i32) (result i32)))
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func $middle (param i32) (result i32)
    (i32.add (call_indirect $chain (type $i32_to_i32) (local.get 0) (i32.const 1)) (i32.const 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (i32.add (call_indirect $chain (type $i32_to_i32) (local.get 0) (i32.const 0)) (i32.const 1)))

  ;; State that must survive traps.
  (global $counter (mut i32) (i32.const 0))
  (func $bump (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func $ok (export "ok") (result i32) (i32.const 7))
  (export "memory" (memory 0)))
