;; The instance-per-request cycle's module whose code calls into Java every way it can (red team 24
;; F1; scripts/cycle-soak upcalls): fac(20) passed through the host function env.id (the embedder's
;; identity), boxed in a GC struct (the allocation's slow path) and thrown to a handler a frame up
;; (the unwinder).
(module
  (import "env" "id" (func $id (param i64) (result i64)))
  (type $box (struct (field i64)))
  (tag $result (param i64))
  (func $fac (param i64) (result i64)
    (if (result i64) (i64.le_s (local.get 0) (i64.const 1)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $throw (param i64) (throw $result (local.get 0)))
  (func (export "fac") (param i64) (result i64)
    (block $caught (result i64)
      (try_table (catch $result $caught)
        (call $throw (struct.get $box 0 (struct.new $box (call $id (call $fac (local.get 0)))))))
      (unreachable))))
