;; The add_one example: one exported function, compiled ahead of time by aotc.
(module
  (func (export "add_one") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add))
