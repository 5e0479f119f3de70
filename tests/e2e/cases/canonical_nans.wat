;; aotc --canonicalize-nans: every NaN an arithmetic operation computes is
;; the positive canonical NaN (0x7fc00000 / 0x7ff8000000000000, here as
;; integer bits), whatever the inputs' payloads and whatever the CPU makes
;; (x86: 0/0 and sqrt(-1) give negative NaNs, NaN inputs keep their
;; payload); constant operands included. Operations that only move bits
;; (neg, abs, copysign, load/store, reinterpret) keep them, as the spec says.
;; AOTC: --canonicalize-nans
;; RUN: f32_add 2143289345 0
;; EXPECT: 2143289344
;; RUN: f32_add -4194303 0
;; EXPECT: 2143289344
;; RUN: f32_add 1065353216 1073741824
;; EXPECT: 1077936128
;; RUN: f64_div 0 0
;; EXPECT: 9221120237041090560
;; RUN: f32_sqrt -1082130432
;; EXPECT: 2143289344
;; RUN: f32_min 2145386496 1065353216
;; EXPECT: 2143289344
;; RUN: f32_demote 9222246136947933184
;; EXPECT: 2143289344
;; RUN: f64_promote 2145386496
;; EXPECT: 9221120237041090560
;; RUN: f32x4_add 2145386496 0
;; EXPECT: 2143289344
;; RUN: f64x2_mul 9222246136947933184 0
;; EXPECT: 9221120237041090560
;; RUN: const_add
;; EXPECT: 2143289344
;; RUN: f32_neg 2143289345
;; EXPECT: -4194303
;; RUN: f32_abs -4194303
;; EXPECT: 2143289345
;; RUN: f32_copysign 2143289345 -1082130432
;; EXPECT: -4194303
;; RUN: f32_round_trip 2145386496
;; EXPECT: 2145386496
(module
  (memory 1)
  (func (export "f32_add") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "f64_div") (param i64 i64) (result i64)
    (i64.reinterpret_f64 (f64.div (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
  (func (export "f32_sqrt") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.sqrt (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32_min") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.min (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "f32_demote") (param i64) (result i32)
    (i32.reinterpret_f32 (f32.demote_f64 (f64.reinterpret_i64 (local.get 0)))))
  (func (export "f64_promote") (param i32) (result i64)
    (i64.reinterpret_f64 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32x4_add") (param i32 i32) (result i32)
    (i32x4.extract_lane 2
      (f32x4.add (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1)))))
  (func (export "f64x2_mul") (param i64 i64) (result i64)
    (i64x2.extract_lane 1
      (f64x2.mul (i64x2.splat (local.get 0)) (i64x2.splat (local.get 1)))))
  (func (export "const_add") (result i32)
    (i32.reinterpret_f32 (f32.add (f32.const nan:0x200000) (f32.const 1))))
  (func (export "f32_neg") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32_abs") (param i32) (result i32)
    (i32.reinterpret_f32 (f32.abs (f32.reinterpret_i32 (local.get 0)))))
  (func (export "f32_copysign") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.copysign (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "f32_round_trip") (param i32) (result i32)
    (f32.store (i32.const 8) (f32.reinterpret_i32 (local.get 0)))
    (i32.load (i32.const 8))))
