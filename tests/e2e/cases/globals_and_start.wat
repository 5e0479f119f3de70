;; Globals (immutable, mutable, every type), locals of every type, and the start function.
;; RUN: counter
;; EXPECT: 101
;; RUN: bump_twice
;; EXPECT: 102
;; RUN: get_all
;; EXPECT: 7 -8 1.5 -2.25
;; RUN: locals_zero
;; EXPECT: 0 0 0 0
(module
  (global $c (mut i32) (i32.const 0))
  (global $i i32 (i32.const 7))
  (global $j (mut i64) (i64.const -8))
  (global $f f32 (f32.const 1.5))
  (global $d (mut f64) (f64.const -2.25))
  (global $r (mut funcref) (ref.null func))
  (func $start (global.set $c (i32.const 100)))
  (start $start)
  (func (export "counter") (result i32)
    (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c))
  (func (export "bump_twice") (result i32)
    (global.set $c (i32.add (global.get $c) (i32.const 1)))
    (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c))
  (func (export "get_all") (result i32 i64 f32 f64)
    (global.get $i) (global.get $j) (global.get $f) (global.get $d))
  (func (export "locals_zero") (result i32 i64 f32 f64) (local i32 i64 f32 f64)
    (local.get 0) (local.get 1) (local.get 2) (local.get 3))
)
