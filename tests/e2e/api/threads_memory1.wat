;; wait/notify on a memory other than 0 (multi-memory with threads), for
;; tests/e2e/threads_test.cpp: memory 0 is each instance's own (imported
;; only because imports come first in the text format); the mailbox
;; is in memory 1, an imported shared 64-bit memory (memory64 too).
;;   8: mailbox state, 0 empty / 1 full; 16: mailbox value (i64)
;; A wait that times out traps (unreachable): the timeouts are failure guards.
(module
  (import "env" "private" (memory $private 1))
  (import "env" "shared" (memory $shared i64 1 8 shared))

  ;; Blocks while the mailbox state is `$state` (60 s guard).
  (func $wait_while (param $state i32)
    (block $changed
      (loop $again
        (br_if $changed (i32.ne (i32.atomic.load $shared (i64.const 8)) (local.get $state)))
        (if (i32.eq (memory.atomic.wait32 $shared (i64.const 8) (local.get $state)
                                          (i64.const 60000000000))
                    (i32.const 2))
          (then unreachable))
        (br $again))))

  ;; Sends 1, 2, ..., $count through the mailbox; memory 0 stays untouched by
  ;; the other thread, so a wait or notify on the wrong memory hangs or loses.
  (func (export "produce") (param $count i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (call $wait_while (i32.const 1))
        (i64.atomic.store $shared (i64.const 16) (i64.extend_i32_u (local.get $i)))
        (i32.atomic.store $shared (i64.const 8) (i32.const 1))
        (drop (memory.atomic.notify $shared (i64.const 8) (i32.const 1)))
        (br $next))))

  ;; Receives $count values; their sum.
  (func (export "consume") (param $count i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (call $wait_while (i32.const 0))
        (local.set $sum (i64.add (local.get $sum) (i64.atomic.load $shared (i64.const 16))))
        (i32.atomic.store $shared (i64.const 8) (i32.const 0))
        (drop (memory.atomic.notify $shared (i64.const 8) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; A value not equal to memory 1's: 1 "not-equal"; memory 0 is not shared,
  ;; so waiting there traps.
  (func (export "wait_mismatch") (result i32)
    (memory.atomic.wait64 $shared (i64.const 16) (i64.const -1) (i64.const -1)))
  (func (export "wait_private") (result i32)
    (memory.atomic.wait32 $private (i32.const 0) (i32.const 0) (i64.const 0)))
  (func (export "notify_private") (result i32)
    (memory.atomic.notify $private (i32.const 0) (i32.const 1)))
)
