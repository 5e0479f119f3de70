;; Loops that aotc versions (a range check, then a plain copy LLVM
;; vectorizes), for tests/e2e/vector_loops_test.cpp: the copy must compute
;; what the exact loop does, and a loop that leaves the memory part way must
;; trap with every store before the faulting one done.
(module
  (memory (export "mem") 1 4)

  ;; dst[i] = a[i] + b[i] for i in [0, n), i32 elements, byte addresses.
  (func (export "add_arrays") (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
    (local $i i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                   (i32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n))))))

  ;; The sum of n i32 elements from $p.
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $s))

;; dst[j..j+2] += a * src[j..j+2] for n triples of f64 (a loop body unrolled
  ;; by three, as scalar matmul's): arrays apart run a copy with alias scopes
  ;; whose pairs merge; overlapping ones the exact loop.
  (func (export "axpy3") (param $dst i32) (param $src i32) (param $n i32) (param $a f64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (f64.store (local.get $dst) (f64.add (f64.mul (local.get $a) (f64.load (local.get $src)))
                                             (f64.load (local.get $dst))))
        (f64.store offset=8 (local.get $dst)
          (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $src)))
                   (f64.load offset=8 (local.get $dst))))
        (f64.store offset=16 (local.get $dst)
          (f64.add (f64.mul (local.get $a) (f64.load offset=16 (local.get $src)))
                   (f64.load offset=16 (local.get $dst))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 24)))
        (local.set $src (i32.add (local.get $src) (i32.const 24)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $next (local.get $n)))))

;; The same with a constant trip count (192 elements), as clang emits scalar
  ;; matmul's inner loop: the copy is rerolled to one element per iteration
  ;; and vectorized whole.
  (func (export "axpy3c") (param $dst i32) (param $src i32) (param $a f64)
    (local $j i32) (local $d i32) (local $s i32)
    (loop $next
      (local.set $d (i32.add (local.get $dst) (local.get $j)))
      (local.set $s (i32.add (local.get $src) (local.get $j)))
      (f64.store (local.get $d) (f64.add (f64.mul (local.get $a) (f64.load (local.get $s)))
                                         (f64.load (local.get $d))))
      (f64.store offset=8 (local.get $d)
        (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $s)))
                 (f64.load offset=8 (local.get $d))))
      (f64.store offset=16 (local.get $d)
        (f64.add (f64.mul (local.get $a) (f64.load offset=16 (local.get $s)))
                 (f64.load offset=16 (local.get $d))))
      (local.set $j (i32.add (local.get $j) (i32.const 24)))
      (br_if $next (i32.ne (local.get $j) (i32.const 1536)))))

;; x[3t+k+1] = a * x[3t+k] within one array (one family: no alias check),
  ;; 64 triples from $p: in order (each chain reads what the previous one
  ;; wrote, so rerolling keeps it), and with the three loads first (each
  ;; chain reads the old values, so it must not be rerolled).
  (func (export "recur3") (param $p i32) (param $a f64)
    (local $j i32) (local $d i32)
    (loop $next
      (local.set $d (i32.add (local.get $p) (local.get $j)))
      (f64.store offset=8 (local.get $d) (f64.mul (local.get $a) (f64.load (local.get $d))))
      (f64.store offset=16 (local.get $d) (f64.mul (local.get $a) (f64.load offset=8 (local.get $d))))
      (f64.store offset=24 (local.get $d) (f64.mul (local.get $a) (f64.load offset=16 (local.get $d))))
      (local.set $j (i32.add (local.get $j) (i32.const 24)))
      (br_if $next (i32.ne (local.get $j) (i32.const 1536)))))
  (func (export "recur3_loads_first") (param $p i32) (param $a f64)
    (local $j i32) (local $d i32) (local $v0 f64) (local $v1 f64) (local $v2 f64)
    (loop $next
      (local.set $d (i32.add (local.get $p) (local.get $j)))
      (local.set $v0 (f64.load (local.get $d)))
      (local.set $v1 (f64.load offset=8 (local.get $d)))
      (local.set $v2 (f64.load offset=16 (local.get $d)))
      (f64.store offset=8 (local.get $d) (f64.mul (local.get $a) (local.get $v0)))
      (f64.store offset=16 (local.get $d) (f64.mul (local.get $a) (local.get $v1)))
      (f64.store offset=24 (local.get $d) (f64.mul (local.get $a) (local.get $v2)))
      (local.set $j (i32.add (local.get $j) (i32.const 24)))
      (br_if $next (i32.ne (local.get $j) (i32.const 1536)))))

  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
