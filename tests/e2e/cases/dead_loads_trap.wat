;; Loads whose value ends up unused still trap out of bounds, at every -O
;; level and bounds-check mode. Reduced from differential fuzzing against
;; binaryen (tests/fuzz/differential-failures/seed*.wasm): LLVM deleted the
;; plain `load` whose value was dead (the optimizer at -O1..-O3, instruction
;; selection even at -O0 for `g`), and the trap went with it.
;; RUN: f
;; TRAP: out of bounds memory access
;; RUN: g
;; TRAP: out of bounds memory access
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
