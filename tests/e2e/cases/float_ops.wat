;; f32 and f64 arithmetic and comparisons, including NaN and signed zero rules.
;; RUN: f64_add 1.5 2.25
;; EXPECT: 3.75
;; RUN: f64_sub 0.5 0.25
;; EXPECT: 0.25
;; RUN: f64_mul -2.5 4
;; EXPECT: -10
;; RUN: f64_div 1 0
;; EXPECT: inf
;; RUN: f64_div -1 0
;; EXPECT: -inf
;; RUN: f64_min -0 0
;; EXPECT: -0
;; RUN: f64_max -0 0
;; EXPECT: 0
;; RUN: f64_min nan 1
;; EXPECT: nan
;; RUN: f64_sqrt 6.25
;; EXPECT: 2.5
;; RUN: f64_nearest 2.5
;; EXPECT: 2
;; RUN: f64_nearest 3.5
;; EXPECT: 4
;; RUN: f64_nearest -0.5
;; EXPECT: -0
;; RUN: f64_ceil 1.25
;; EXPECT: 2
;; RUN: f64_floor -1.25
;; EXPECT: -2
;; RUN: f64_trunc -1.75
;; EXPECT: -1
;; RUN: f64_copysign 2.5 -0
;; EXPECT: -2.5
;; RUN: f64_abs -inf
;; EXPECT: inf
;; RUN: f64_neg 0
;; EXPECT: -0
;; RUN: f64_ne nan nan
;; EXPECT: 1
;; RUN: f64_lt nan 1
;; EXPECT: 0
;; RUN: f64_eq -0 0
;; EXPECT: 1
;; RUN: f32_add 0.5 0.25
;; EXPECT: 0.75
;; RUN: f32_mul 3 0.5
;; EXPECT: 1.5
;; RUN: f32_div 0 0
;; EXPECT: nan
;; RUN: f32_min 1 -2
;; EXPECT: -2
;; RUN: f32_max 1 -2
;; EXPECT: 1
;; RUN: f32_sqrt 2.25
;; EXPECT: 1.5
;; RUN: f32_nearest -2.5
;; EXPECT: -2
;; RUN: f32_ge 1 1
;; EXPECT: 1
;; RUN: f32_hex 0x1.8p1
;; EXPECT: 3
(module
  (func (export "f64_add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "f64_sub") (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
  (func (export "f64_mul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "f64_div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "f64_min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func (export "f64_max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func (export "f64_sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "f64_nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "f64_ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "f64_floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "f64_trunc") (param f64) (result f64) (f64.trunc (local.get 0)))
  (func (export "f64_copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
  (func (export "f64_abs") (param f64) (result f64) (f64.abs (local.get 0)))
  (func (export "f64_neg") (param f64) (result f64) (f64.neg (local.get 0)))
  (func (export "f64_ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
  (func (export "f64_lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
  (func (export "f64_eq") (param f64 f64) (result i32) (f64.eq (local.get 0) (local.get 1)))
  (func (export "f32_add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "f32_mul") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
  (func (export "f32_div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "f32_min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f32_max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func (export "f32_sqrt") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "f32_nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "f32_ge") (param f32 f32) (result i32) (f32.ge (local.get 0) (local.get 1)))
  (func (export "f32_hex") (param f32) (result f32) (local.get 0))
)
