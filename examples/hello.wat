;; hello.wat: a small module for `kiln validate` and, later, `kiln compile` / `kiln run`.
;; Exports two functions:
;;   add(a, b) = a + b                     (i32, wraps on overflow)
;;   fac(n)    = n! for n >= 0, iteratively (i64, wraps past 20!)
(module
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)

  (func $fac (export "fac") (param $n i64) (result i64)
    (local $acc i64)
    i64.const 1
    local.set $acc
    block $done
      loop $next
        ;; stop once n <= 1
        local.get $n
        i64.const 1
        i64.le_s
        br_if $done
        ;; acc *= n; n -= 1
        local.get $acc
        local.get $n
        i64.mul
        local.set $acc
        local.get $n
        i64.const 1
        i64.sub
        local.set $n
        br $next
      end
    end
    local.get $acc))
