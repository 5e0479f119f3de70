;; Linked into static_link as libwords.a (namespace words::): counts the words
;; of a text the host writes into its memory, reporting each to the host.
(module
  (import "host" "word" (func $word (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "count") (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $start i32) (local $n i32) (local $in i32) (local $space i32)
    (loop $next
      (if (i32.lt_u (local.get $i) (local.get $len))
        (then
          (local.set $space (i32.le_u (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))
                                      (i32.const 32)))
          (if (i32.and (i32.eqz (local.get $space)) (i32.eqz (local.get $in)))
            (then (local.set $start (local.get $i)) (local.set $in (i32.const 1))))
          (if (i32.and (local.get $space) (local.get $in))
            (then (call $word (i32.add (local.get $ptr) (local.get $start))
                              (i32.sub (local.get $i) (local.get $start)))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (local.set $in (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next))))
    (if (local.get $in)
      (then (call $word (i32.add (local.get $ptr) (local.get $start))
                        (i32.sub (local.get $len) (local.get $start)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
    (local.get $n)))
