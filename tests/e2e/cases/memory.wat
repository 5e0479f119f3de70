;; Linear memory: loads and stores of every width, data segments, size/grow,
;; bulk memory operations and out-of-bounds traps.
;; RUN: load8_u 0
;; EXPECT: 104
;; RUN: load8_s 5
;; EXPECT: -1
;; RUN: load16_u 0
;; EXPECT: 25960
;; RUN: load32 0
;; EXPECT: 1819043176
;; RUN: store_load_i64 8 -2
;; EXPECT: -2
;; RUN: store_load_f64 16 2.5
;; EXPECT: 2.5
;; RUN: store_load_f32 24 -0.5
;; EXPECT: -0.5
;; RUN: store8_then_load32 32 0x1ff
;; EXPECT: 255
;; RUN: i64_load32_s 4
;; EXPECT: -145
;; RUN: size
;; EXPECT: 1
;; RUN: grow 2
;; EXPECT: 1 3
;; RUN: grow 70000
;; EXPECT: -1 1
;; RUN: load_after_grow
;; EXPECT: 0
;; RUN: fill_and_sum 100 7 10
;; EXPECT: 70
;; RUN: copy_overlap
;; EXPECT: 1818585192
;; RUN: init_passive 200
;; EXPECT: 2003792492
;; RUN: load32 65533
;; TRAP: out of bounds memory access
;; RUN: load32 -1
;; TRAP: out of bounds memory access
;; RUN: load_offset 65535
;; TRAP: out of bounds memory access
;; RUN: store_oob 65536
;; TRAP: out of bounds memory access
;; RUN: drop_oob_load 70000
;; TRAP: out of bounds memory access
;; RUN: fill_oob
;; TRAP: out of bounds memory access
;; RUN: init_after_drop
;; TRAP: out of bounds memory access
(module
  (memory 1 5)
  (data (i32.const 0) "hello\ff\ff\ff")
  (data $p "dlrow")
  (func (export "load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load_offset") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "i64_load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "store_load_i64") (param i32 i64) (result i64)
    (i64.store (local.get 0) (local.get 1)) (i64.load (local.get 0)))
  (func (export "store_load_f64") (param i32 f64) (result f64)
    (f64.store (local.get 0) (local.get 1)) (f64.load (local.get 0)))
  (func (export "store_load_f32") (param i32 f32) (result f32)
    (f32.store (local.get 0) (local.get 1)) (f32.load (local.get 0)))
  (func (export "store8_then_load32") (param i32 i32) (result i32)
    (i32.store8 (local.get 0) (local.get 1)) (i32.load (local.get 0)))
  (func (export "store_oob") (param i32) (i32.store (local.get 0) (i32.const 1)))
  (func (export "drop_oob_load") (param i32) (drop (i64.load (local.get 0))))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32 i32) (memory.grow (local.get 0)) (memory.size))
  (func (export "load_after_grow") (result i32)
    (drop (memory.grow (i32.const 1))) (i32.load (i32.const 131000)))
  (func (export "fill_and_sum") (param $at i32) (param $v i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (memory.fill (local.get $at) (local.get $v) (local.get $n))
    (block $out (loop $l
      (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $at) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "copy_overlap") (result i32)
    (memory.copy (i32.const 1) (i32.const 0) (i32.const 5))
    (i32.load (i32.const 0)))
  (func (export "init_passive") (param i32) (result i32)
    (memory.init $p (local.get 0) (i32.const 1) (i32.const 4))
    (i32.load (local.get 0)))
  (func (export "fill_oob") (memory.fill (i32.const 65530) (i32.const 0) (i32.const 7)))
  (func (export "init_after_drop")
    (data.drop $p) (memory.init $p (i32.const 0) (i32.const 0) (i32.const 1)))
)
