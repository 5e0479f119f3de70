;; A sealed table (not exported, never written) holding, beside its own
;; functions, an imported host function and a function of another instance:
;; those elements take the general path, with their own context. Each
;; function adds its instance's id (read from its own memory) or the host's
;; 7 to its argument, so a callee run with the wrong vmctx gives another
;; number.
(module
  (type $add (func (param i32) (result i32)))
  (import "host" "add7" (func $host (type $add)))
  (import "other" "add_id" (func $other (type $add)))
  (memory 1)
  (table 4 4 funcref)
  (elem (i32.const 0) func $host $other $add_id)
  (func (export "set_id") (param i32) (i32.store (i32.const 0) (local.get 0)))
  (func $add_id (export "add_id") (type $add) (i32.add (local.get 0) (i32.load (i32.const 0))))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect (type $add) (local.get 1) (local.get 0)))
  (func (export "tail") (param i32 i32) (result i32)
    (return_call_indirect (type $add) (local.get 1) (local.get 0))))
