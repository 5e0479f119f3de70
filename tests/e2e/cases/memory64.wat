;; memory64: a memory addressed by i64, every access checked explicitly.
;; Addresses and offsets past 4 GiB, an address plus offset (or the end of
;; the access) that wraps past 2^64 (a wrapping add would read "kiln"),
;; i64 memory.size and memory.grow, bulk operations with i64 operands and an
;; i64 data segment offset.
;; RUN: load 0
;; EXPECT: 1852598635
;; RUN: load 131068
;; EXPECT: 0
;; RUN: load 131069
;; TRAP: out of bounds memory access
;; RUN: load 4294967296
;; TRAP: out of bounds memory access
;; RUN: load -1
;; TRAP: out of bounds memory access
;; RUN: load_high_offset 1
;; TRAP: out of bounds memory access
;; RUN: load_high_offset -4294967295
;; TRAP: out of bounds memory access
;; RUN: load_high_offset -4294967299
;; TRAP: out of bounds memory access
;; RUN: size
;; EXPECT: 2
;; RUN: grow 1
;; EXPECT: 2
;; RUN: grow 5
;; EXPECT: -1
;; RUN: grow_then_load 196604
;; EXPECT: 42
;; RUN: fill_load 131064 8
;; EXPECT: 7
;; RUN: fill_load 131065 8
;; TRAP: out of bounds memory access
;; RUN: fill_load -8 8
;; TRAP: out of bounds memory access
;; RUN: copy_load 100 0 4
;; EXPECT: 1852598635
;; RUN: copy_load 131070 0 4
;; TRAP: out of bounds memory access
;; RUN: copy_load 0 -2 4
;; TRAP: out of bounds memory access
;; RUN: init_load 131068
;; EXPECT: 1835361645
;; RUN: init_load 131069
;; TRAP: out of bounds memory access
(module
  (memory i64 2 4)
  (data (i64.const 0) "kiln")
  (data $passive "meem")
  (func (export "load") (param i64) (result i32) (i32.load (local.get 0)))
  ;; the largest offset the text reader takes (2^32 - 1)
  (func (export "load_high_offset") (param i64) (result i32)
    (i32.load offset=4294967295 (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "grow_then_load") (param $at i64) (result i32)
    (drop (memory.grow (i64.const 1)))
    (i32.store (local.get $at) (i32.const 42))
    (i32.load (local.get $at)))
  (func (export "fill_load") (param $at i64) (param $len i64) (result i32)
    (memory.fill (local.get $at) (i32.const 7) (local.get $len))
    (i32.load8_u (i64.add (local.get $at) (i64.sub (local.get $len) (i64.const 1)))))
  (func (export "copy_load") (param $dst i64) (param $src i64) (param $len i64) (result i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $len))
    (i32.load (local.get $dst)))
  (func (export "init_load") (param $at i64) (result i32)
    (memory.init $passive (local.get $at) (i32.const 0) (i32.const 4))
    (i32.load (local.get $at))))
