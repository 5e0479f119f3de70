;; Shared-memory workers for tests/e2e/threads_test.cpp: each thread runs its
;; own instance of this module over one imported shared memory.
;;   0: counter (add_many)
;;   8: mailbox state, 0 empty / 1 full; 16: mailbox value (i64)
;;  32: "about to wait" flag; 40: a word nobody notifies (park)
;; A wait that times out traps (unreachable): the timeouts are failure
;; guards, never what the threads synchronize on.
(module
  (import "env" "memory" (memory 1 8 shared))

  (func (export "add_many") (param $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again))))

  (func (export "counter") (result i32) (i32.atomic.load (i32.const 0)))

  ;; Blocks while the mailbox state is `$state` (60 s guard).
  (func $wait_while (param $state i32)
    (block $changed
      (loop $again
        (br_if $changed (i32.ne (i32.atomic.load (i32.const 8)) (local.get $state)))
        (if (i32.eq (memory.atomic.wait32 (i32.const 8) (local.get $state) (i64.const 60000000000))
                    (i32.const 2))
          (then unreachable))
        (br $again))))

  ;; Sends 1, 2, ..., $count through the one-slot mailbox.
  (func (export "produce") (param $count i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (call $wait_while (i32.const 1))
        (i64.atomic.store (i32.const 16) (i64.extend_i32_u (local.get $i)))
        (i32.atomic.store (i32.const 8) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 8) (i32.const 1)))
        (br $next))))

  ;; Receives $count values; their sum.
  (func (export "consume") (param $count i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (call $wait_while (i32.const 0))
        (local.set $sum (i64.add (local.get $sum) (i64.atomic.load (i32.const 16))))
        (i32.atomic.store (i32.const 8) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 8) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; Announces itself at 32, then waits at 40 until interrupted (60 s guard:
  ;; returns 2 if nothing interrupts it).
  (func (export "park") (result i32)
    (i32.atomic.store (i32.const 32) (i32.const 1))
    (memory.atomic.wait32 (i32.const 40) (i32.const 0) (i64.const 60000000000)))

  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "wait_mismatch") (result i32)
    (memory.atomic.wait64 (i32.const 16) (i64.const -1) (i64.const -1)))
  (func (export "wait_timeout") (result i32)
    (memory.atomic.wait32 (i32.const 40) (i32.const 0) (i64.const 0)))
  (func (export "load_misaligned") (param $addr i32) (result i32)
    (i32.atomic.load (local.get $addr)))
)
