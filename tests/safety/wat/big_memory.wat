;; Needs 8 pages from the start: refused by a store limited to fewer.
(module (memory 8) (func (export "ok") (result i32) (i32.const 7)))
