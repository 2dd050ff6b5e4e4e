;; The module of the embedding example (HostCallback.java): wasm code that calls back into Java.
(module
  (import "host" "log" (func $log (param i32 f64)))
  (import "host" "fail" (func $fail (param i32)))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; fib(n), reported to the host together with the golden ratio estimate fib(n)/fib(n-1).
  (func (export "run") (param $n i32) (result i32)
    (local $r i32)
    (local.set $r (call $fib (local.get $n)))
    (call $log (local.get $r)
      (f64.div (f64.convert_i32_u (local.get $r)) (f64.convert_i32_u (call $fib (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $r))
  ;; Calls the host's "fail", which throws: the exception comes back as a Trap.
  (func $check (export "check") (param i32) (call $fail (local.get 0))))
