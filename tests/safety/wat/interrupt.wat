;; Guests that only an interruption stops, and one whose only poll before
;; returning is the entry of $target (reached through the table, exported so
;; that no optimizer can inline it into its caller). $target calls $leaf: functions
;; that call nothing do not poll at entry.
(module
  (type $to_i32 (func (result i32)))
  (import "host" "interrupt_me" (func $interrupt_me))
  (table (export "table") 1 funcref)
  (elem (i32.const 0) $target)
  (memory (export "memory") 1)
  (global $spins (mut i64) (i64.const 0))
  ;; Each iteration stores the count to the global and to memory: when the
  ;; loop's poll traps, both hold the same count (no store was kept in a
  ;; register past the poll).
  (func $spin (export "spin")
    (loop $again
      (global.set $spins (i64.add (global.get $spins) (i64.const 1)))
      (i64.store (i32.const 8) (global.get $spins))
      (br $again)))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $spin_calling (export "spin_calling")
    (local i32)
    (loop $again
      (local.set 0 (call $leaf (local.get 0)))
      (br $again)))
  (func $target (result i32) (call $leaf (i32.const 4)))
  (func $entry_poll (export "entry_poll") (result i32)
    (call $interrupt_me)
    (call_indirect (type $to_i32) (i32.const 0)))
  (func $count (export "count") (param i32) (result i32)
    (local i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $again)))
    (local.get 1))
  (func (export "spins") (result i64) (global.get $spins))
  (func $ok (export "ok") (result i32) (i32.const 7)))
