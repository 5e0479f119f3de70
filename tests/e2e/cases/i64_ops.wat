;; i64 arithmetic, bitwise, comparison and sign-extension instructions.
;; RUN: add 9223372036854775807 1
;; EXPECT: -9223372036854775808
;; RUN: mul 0x100000000 3
;; EXPECT: 12884901888
;; RUN: div_s -9 2
;; EXPECT: -4
;; RUN: div_u -1 2
;; EXPECT: 9223372036854775807
;; RUN: rem_s -9223372036854775808 -1
;; EXPECT: 0
;; RUN: rem_u 10 3
;; EXPECT: 1
;; RUN: shl 1 65
;; EXPECT: 2
;; RUN: shr_s -16 2
;; EXPECT: -4
;; RUN: shr_u -1 63
;; EXPECT: 1
;; RUN: rotl 0x8000000000000000 1
;; EXPECT: 1
;; RUN: rotr 1 1
;; EXPECT: -9223372036854775808
;; RUN: clz 1
;; EXPECT: 63
;; RUN: ctz 0
;; EXPECT: 64
;; RUN: popcnt 0xff00ff
;; EXPECT: 16
;; RUN: eqz 0
;; EXPECT: 1
;; RUN: gt_u -1 1
;; EXPECT: 1
;; RUN: le_s -1 1
;; EXPECT: 1
;; RUN: extend32_s 0x80000000
;; EXPECT: -2147483648
;; RUN: extend8_s 0x7f
;; EXPECT: 127
;; RUN: extend16_s 0x8000
;; EXPECT: -32768
;; RUN: xor_and_or 0xf0f0 0x0ff0
;; EXPECT: 65280
;; RUN: div_s 5 0
;; TRAP: integer divide by zero
;; RUN: rem_s 5 0
;; TRAP: integer divide by zero
;; RUN: div_s -9223372036854775808 -1
;; TRAP: integer overflow
(module
  (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "div_s") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "div_u") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
  (func (export "rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "shl") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
  (func (export "shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
  (func (export "shr_u") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
  (func (export "rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
  (func (export "rotr") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
  (func (export "clz") (param i64) (result i64) (i64.clz (local.get 0)))
  (func (export "ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
  (func (export "popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
  (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
  (func (export "gt_u") (param i64 i64) (result i32) (i64.gt_u (local.get 0) (local.get 1)))
  (func (export "le_s") (param i64 i64) (result i32) (i64.le_s (local.get 0) (local.get 1)))
  (func (export "extend32_s") (param i64) (result i64) (i64.extend32_s (local.get 0)))
  (func (export "extend8_s") (param i64) (result i64) (i64.extend8_s (local.get 0)))
  (func (export "extend16_s") (param i64) (result i64) (i64.extend16_s (local.get 0)))
  (func (export "xor_and_or") (param i64 i64) (result i64)
    (i64.xor (i64.or (local.get 0) (local.get 1)) (i64.and (local.get 0) (local.get 1))))
)
