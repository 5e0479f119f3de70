;; i32 arithmetic, bitwise, comparison and sign-extension instructions.
;; RUN: add 2 40
;; EXPECT: 42
;; RUN: add 2147483647 1
;; EXPECT: -2147483648
;; RUN: sub 0 1
;; EXPECT: -1
;; RUN: mul 0x10000 0x10000
;; EXPECT: 0
;; RUN: div_s -7 2
;; EXPECT: -3
;; RUN: div_u -7 2
;; EXPECT: 2147483644
;; RUN: rem_s -7 2
;; EXPECT: -1
;; RUN: rem_s -2147483648 -1
;; EXPECT: 0
;; RUN: rem_u -7 2
;; EXPECT: 1
;; RUN: and 0xff00 0x0ff0
;; EXPECT: 3840
;; RUN: or 0xf0 0x0f
;; EXPECT: 255
;; RUN: xor 0xff 0x0f
;; EXPECT: 240
;; RUN: shl 1 33
;; EXPECT: 2
;; RUN: shr_s -8 1
;; EXPECT: -4
;; RUN: shr_u -8 1
;; EXPECT: 2147483644
;; RUN: rotl 0x80000001 1
;; EXPECT: 3
;; RUN: rotr 1 1
;; EXPECT: -2147483648
;; RUN: clz 0
;; EXPECT: 32
;; RUN: clz 1
;; EXPECT: 31
;; RUN: ctz 0
;; EXPECT: 32
;; RUN: ctz 8
;; EXPECT: 3
;; RUN: popcnt -1
;; EXPECT: 32
;; RUN: eqz 0
;; EXPECT: 1
;; RUN: lt_s -1 0
;; EXPECT: 1
;; RUN: lt_u -1 0
;; EXPECT: 0
;; RUN: ge_u -1 0
;; EXPECT: 1
;; RUN: extend8_s 0x80
;; EXPECT: -128
;; RUN: extend16_s 0x7fff
;; EXPECT: 32767
;; RUN: div_s 1 0
;; TRAP: integer divide by zero
;; RUN: div_u 1 0
;; TRAP: integer divide by zero
;; RUN: rem_u 1 0
;; TRAP: integer divide by zero
;; RUN: div_s -2147483648 -1
;; TRAP: integer overflow
;; RUN: add 1
;; ERROR: takes 2 argument
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "and") (param i32 i32) (result i32) (i32.and (local.get 0) (local.get 1)))
  (func (export "or") (param i32 i32) (result i32) (i32.or (local.get 0) (local.get 1)))
  (func (export "xor") (param i32 i32) (result i32) (i32.xor (local.get 0) (local.get 1)))
  (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
  (func (export "shr_u") (param i32 i32) (result i32) (i32.shr_u (local.get 0) (local.get 1)))
  (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
  (func (export "rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
  (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
  (func (export "ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
  (func (export "popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
  (func (export "eqz") (param i32) (result i32) (i32.eqz (local.get 0)))
  (func (export "lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
  (func (export "ge_u") (param i32 i32) (result i32) (i32.ge_u (local.get 0) (local.get 1)))
  (func (export "extend8_s") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "extend16_s") (param i32) (result i32) (i32.extend16_s (local.get 0)))
)
