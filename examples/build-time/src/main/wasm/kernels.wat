;; The build-time example's module: a host function it imports, functions of every shape the
;; generated class maps (i64 in and out, several results, memory it reads), and a trap.
(module
  (import "env" "progress" (func $progress (param i32)))
  (memory (export "memory") 1)
  (global $calls (export "calls") (mut i64) (i64.const 0))

  ;; Euclid's algorithm, telling the host each step.
  (func (export "gcd") (param $a i64) (param $b i64) (result i64)
    (local $t i64)
    (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
    (block $done
      (loop $step
        (br_if $done (i64.eqz (local.get $b)))
        (call $progress (i32.wrap_i64 (local.get $b)))
        (local.set $t (i64.rem_u (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (br $step)))
    (local.get $a))

  ;; Quotient and remainder: two results, one record in Java. Traps on a zero divisor.
  (func (export "div_mod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))

  ;; The sum of LEN bytes at PTR in the module's memory, which the host writes.
  (func (export "sum_bytes") (param $ptr i32) (param $len i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func (export "scale") (param $x f32) (param $by f64) (result f64)
    (f64.mul (f64.promote_f32 (local.get $x)) (local.get $by))))
