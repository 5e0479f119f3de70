;; Call paths for the micro-benchmarks: a leaf for host->wasm calls, loops
;; that call a host import and call through a table, and a direct-call loop
;; as the baseline for both.
(module
  (type $unary (func (param i32) (result i32)))
  (import "host" "inc" (func $host_inc (type $unary)))
  (table 4 funcref)
  (elem (i32.const 0) $leaf $leaf2 $leaf $leaf2)
  (memory (export "memory") 1)

  (func $leaf (export "add_one") (type $unary)
    (i32.add (local.get 0) (i32.const 1)))
  (func $leaf2 (type $unary)
    (i32.add (local.get 0) (i32.const 2)))

  ;; Each loop runs n iterations and returns an accumulator so nothing is dead.
  (func (export "host_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $host_inc (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  (func (export "indirect_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc
          (call_indirect (type $unary) (local.get $acc) (i32.and (local.get $n) (i32.const 3))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; The callee is not inlinable in spirit, but LLVM may inline $leaf here;
  ;; the direct loop is the floor the other two loops are compared against.
  (func (export "direct_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $leaf (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
