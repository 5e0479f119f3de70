;; A sealed table (not exported, never written) holding, beside its own
;; functions, an imported host function and a function of another instance:
;; those elements take the general path, with their own context. Each
;; function adds its instance's id (read from its own memory) or the host's
;; 7 to its argument, so a callee run with the wrong vmctx gives another
;; number. $relay, a function of its own that calls the host, may throw
;; (a wasm exception, which becomes the store's pending exception).
(module
  (type $add (func (param i32) (result i32)))
  (import "host" "add7" (func $host (type $add)))
  (import "other" "add_id" (func $other (type $add)))
  (memory 1)
  (tag (export "oops") (param i32))
  (table 6 6 funcref)
  (elem (i32.const 0) func $host $other $add_id)
  (elem (i32.const 4) func $relay $relay)
  (func (export "set_id") (param i32) (i32.store (i32.const 0) (local.get 0)))
  (func $add_id (export "add_id") (type $add) (i32.add (local.get 0) (i32.load (i32.const 0))))
  ;; Calls the host, which may throw: the direct call to it through the
  ;; table (two elements, so LLVM cannot inline it) tests for the
  ;; exception; the one to $add_id need not.
  (func $relay (type $add) (i32.add (call $host (local.get 0)) (i32.const 1000)))
  ;; Counts its returns at address 4: a call that threw must not count.
  (func (export "call") (param i32 i32) (result i32)
    (local $r i32)
    (local.set $r (call_indirect (type $add) (local.get 1) (local.get 0)))
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
    (local.get $r))
  (func (export "returned") (result i32) (i32.load (i32.const 4)))
  (func (export "tail") (param i32 i32) (result i32)
    (return_call_indirect (type $add) (local.get 1) (local.get 0))))
