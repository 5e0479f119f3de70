;; Reduced from the seed*.wasm modules here (differential fuzzing against
;; binaryen). Both exports must trap with "out of bounds memory access" at
;; every -O level. With guard-region bounds checks (the default) they return 7:
;; the load's value ends up unused, so LLVM deletes the plain `load` (the
;; optimizer at -O1..-O3; instruction selection even at -O0 for `g`), and the
;; trap goes with it. Only loads dropped directly by `drop` are made volatile
;; (FunctionTranslator::keep_load). --bounds-checks=explicit traps correctly.
;;   aotc dead_load_guard_mode.wat -o d.so -O2 && kiln run --invoke f d.so
;;   aotc dead_load_guard_mode.wat -o d.so -O0 && kiln run --invoke g d.so
(module
  (memory 1)
  (func (export "f") (result i32)
    (local i32)
    (local.set 0 (i32.load (i32.const -4)))
    (local.set 0 (i32.const 7))
    (local.get 0))
  (func (export "g") (result i32)
    (i32.and (i32.wrap_i64 (i64.load (i32.const -4))) (i32.const 15))
    (return (i32.const 7))))
