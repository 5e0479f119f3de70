;; A growable funcref table that two instances share, changed by every
;; means there is (active segments, table.set/grow/fill/copy in wasm, the
;; host API): each call through it must reach the element's current
;; function in that function's own instance ($id adds its instance's id,
;; read from its own memory), and a null element must trap as one.
(module
  (type $ii (func (param i32) (result i32)))
  (type $ll (func (param i64) (result i64)))
  (import "env" "table" (table $t 1 funcref))
  (memory 1)
  (func $id (export "id") (type $ii) (i32.add (local.get 0) (i32.load (i32.const 0))))
  (func $other (type $ll) (local.get 0))
  (elem (table $t) (i32.const 0) func $id)
  (elem declare func $other)
  (func (export "set_id") (param i32) (i32.store (i32.const 0) (local.get 0)))
  (func (export "call_at") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t (type $ii) (local.get $x) (local.get $i)))
  (func (export "tail_at") (param $i i32) (param $x i32) (result i32)
    (return_call_indirect $t (type $ii) (local.get $x) (local.get $i)))
  (func (export "set_own") (param $i i32) (table.set $t (local.get $i) (ref.func $id)))
  (func (export "set_other") (param $i i32) (table.set $t (local.get $i) (ref.func $other)))
  (func (export "set_null") (param $i i32) (table.set $t (local.get $i) (ref.null func)))
  (func (export "grow_own") (param $n i32) (result i32)
    (table.grow $t (ref.func $id) (local.get $n)))
  (func (export "fill_own") (param $i i32) (param $n i32)
    (table.fill $t (local.get $i) (ref.func $id) (local.get $n)))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (table.copy $t $t (local.get $d) (local.get $s) (local.get $n)))
  (func (export "is_null") (param $i i32) (result i32) (ref.is_null (table.get $t (local.get $i))))
  (func (export "move") (param $d i32) (param $s i32)
    (table.set $t (local.get $d) (table.get $t (local.get $s)))))
