;; multi-memory: two memories with their own data, sizes and bounds; copies
;; between them, memory.grow and memory.size of the second, and loads, stores
;; and bulk operations on it that trap at its own end (not memory 0's).
;; RUN: load0 0
;; EXPECT: 1852598635
;; RUN: load1 0
;; EXPECT: 1953719668
;; RUN: copy_1_to_0 8 0 4
;; EXPECT: 1953719668
;; RUN: copy_0_to_1 100 0 4
;; EXPECT: 1852598635
;; RUN: size1
;; EXPECT: 1
;; RUN: grow1 3
;; EXPECT: 1
;; RUN: grow1 4
;; EXPECT: -1
;; RUN: store1_load1 65532 7
;; EXPECT: 7
;; RUN: store1_load1 65533 7
;; TRAP: out of bounds memory access
;; RUN: load1 65536
;; TRAP: out of bounds memory access
;; RUN: load0 65536
;; EXPECT: 0
;; RUN: copy_0_to_1 65535 0 2
;; TRAP: out of bounds memory access
;; RUN: fill1 65530 6
;; EXPECT: 6
;; RUN: fill1 65531 6
;; TRAP: out of bounds memory access
;; RUN: init1 65532
;; EXPECT: 1835361645
;; RUN: init1 65533
;; TRAP: out of bounds memory access
(module
  (memory $m0 2)
  (memory $m1 1 4)
  (data (memory $m0) (i32.const 0) "kiln")
  (data (memory $m1) (i32.const 0) "test")
  (data $passive "meem")
  (func (export "load0") (param i32) (result i32) (i32.load $m0 (local.get 0)))
  (func (export "load1") (param i32) (result i32) (i32.load $m1 (local.get 0)))
  (func (export "copy_1_to_0") (param $dst i32) (param $src i32) (param $len i32) (result i32)
    (memory.copy $m0 $m1 (local.get $dst) (local.get $src) (local.get $len))
    (i32.load $m0 (local.get $dst)))
  (func (export "copy_0_to_1") (param $dst i32) (param $src i32) (param $len i32) (result i32)
    (memory.copy $m1 $m0 (local.get $dst) (local.get $src) (local.get $len))
    (i32.load $m1 (local.get $dst)))
  (func (export "size1") (result i32) (memory.size $m1))
  (func (export "grow1") (param i32) (result i32) (memory.grow $m1 (local.get 0)))
  (func (export "store1_load1") (param $at i32) (param $v i32) (result i32)
    (i32.store $m1 (local.get $at) (local.get $v))
    (i32.load $m1 (local.get $at)))
  (func (export "fill1") (param $at i32) (param $len i32) (result i32)
    (memory.fill $m1 (local.get $at) (i32.const 1) (local.get $len))
    (i32.load8_u $m1 (i32.add (local.get $at) (i32.sub (local.get $len) (i32.const 1))))
    (i32.const 5) (i32.add))
  (func (export "init1") (param $at i32) (result i32)
    (memory.init $m1 $passive (local.get $at) (i32.const 0) (i32.const 4))
    (i32.load $m1 (local.get $at))))
