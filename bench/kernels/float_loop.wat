;; The float loop kernel (issue 4's "float kernels" row), shaped like ../shared/peers/kernels so its
;; harnesses run it unchanged: one export named "loop" taking and returning an i64 (wasmtime-java
;; calls every non-fib export as i64 -> i64, Node passes a BigInt only to "loop").
;;   acc = acc * 0.999999 + f64(i) * 0.5 + sqrt(f64(i))   for i in 0 .. n-1
;; returns the bits of acc (i64.reinterpret_f64), so engines are compared bit for bit: wasm float
;; arithmetic is IEEE 754 round-to-nearest with no fused operations (spec 4.3.3), one answer only.
;; It stresses f64 mul/add/sqrt, an i64 -> f64 conversion and float constants in a loop.
(module
  (func (export "loop") (param $n i64) (result i64)
    (local $i i64) (local $acc f64) (local $x f64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_s (local.get $i) (local.get $n)))
        (local.set $x (f64.convert_i64_s (local.get $i)))
        (local.set $acc
          (f64.add
            (f64.add (f64.mul (local.get $acc) (f64.const 0.999999))
                     (f64.mul (local.get $x) (f64.const 0.5)))
            (f64.sqrt (local.get $x))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (i64.reinterpret_f64 (local.get $acc))))
