;; Reduced from seed3.wasm / seed28.wasm (differential fuzzing against binaryen).
;; `f` must trap with "out of bounds memory access" at every -O level. With
;; guard-region bounds checks (the default) and -O1..-O3 it returns 7: the
;; load's value is dead after optimization and LLVM deletes the plain load,
;; and the trap with it. Only loads dropped directly are made volatile
;; (FunctionTranslator::keep_load). --bounds-checks=explicit traps correctly.
;;   aotc dead_load_guard_mode.wat -o d.so -O2 && kiln run --invoke f d.so
(module
  (memory 1)
  (func (export "f") (result i32)
    (local i32)
    (local.set 0 (i32.load (i32.const -4)))
    (local.set 0 (i32.const 7))
    (local.get 0)))
