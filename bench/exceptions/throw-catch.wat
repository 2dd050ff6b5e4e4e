;; A throw-and-catch round trip inside one function: run(n) throws n exceptions, each caught by the
;; try_table around it in the same function, and sums the payloads (i) the handler receives:
;; n (n - 1) / 2. Each throw makes a new exception object (WebAssembly 3.0 section 4.4.8.3), so the
;; time per throw includes making it, finding the handler and landing there.
(module
  (tag $e (param i64))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32)
    (local $sum i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $each
        (local.set $sum (i64.add (local.get $sum)
          (block $caught (result i64)
            (try_table (catch $e $caught)
              (throw $e (i64.extend_i32_u (local.get $i))))
            (unreachable))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $sum)))
