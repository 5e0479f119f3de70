;; Conversions between numeric types: wrap, extend, trapping and saturating
;; truncation, int-to-float, demote/promote, reinterpret.
;; RUN: wrap 0x100000005
;; EXPECT: 5
;; RUN: extend_s -1
;; EXPECT: -1
;; RUN: extend_u -1
;; EXPECT: 4294967295
;; RUN: trunc_f64_s -3.9
;; EXPECT: -3
;; RUN: trunc_f64_s 2147483647.5
;; EXPECT: 2147483647
;; RUN: trunc_f64_s 2147483648
;; TRAP: integer overflow
;; RUN: trunc_f64_s nan
;; TRAP: invalid conversion to integer
;; RUN: trunc_f64_u -0.9
;; EXPECT: 0
;; RUN: trunc_f64_u -1
;; TRAP: integer overflow
;; RUN: trunc_f32_u64 1e+19
;; EXPECT: -8446744093203103744
;; RUN: trunc_f32_s64 -9.3e+18
;; TRAP: integer overflow
;; RUN: sat_f64_s 1e+10
;; EXPECT: 2147483647
;; RUN: sat_f64_s -inf
;; EXPECT: -2147483648
;; RUN: sat_f64_s nan
;; EXPECT: 0
;; RUN: sat_f64_u -5
;; EXPECT: 0
;; RUN: sat_f32_u64 inf
;; EXPECT: -1
;; RUN: convert_u 4294967295
;; EXPECT: 4294967295
;; RUN: convert_s -1
;; EXPECT: -1
;; RUN: convert_i64_u_f32 -1
;; EXPECT: 1.8446744e+19
;; RUN: demote 0.5
;; EXPECT: 0.5
;; RUN: promote 0.25
;; EXPECT: 0.25
;; RUN: reinterpret_f32 1
;; EXPECT: 1065353216
;; RUN: reinterpret_i64 0x4004000000000000
;; EXPECT: 2.5
(module
  (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "extend_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
  (func (export "extend_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
  (func (export "trunc_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
  (func (export "trunc_f32_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
  (func (export "trunc_f32_s64") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func (export "sat_f64_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
  (func (export "sat_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "sat_f32_u64") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "convert_u") (param i32) (result f64) (f64.convert_i32_u (local.get 0)))
  (func (export "convert_s") (param i32) (result f64) (f64.convert_i32_s (local.get 0)))
  (func (export "convert_i64_u_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
  (func (export "reinterpret_f32") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "reinterpret_i64") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
)
