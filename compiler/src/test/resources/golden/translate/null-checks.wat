;; Null checks of references (spec 3.0 4.4.7: "if ref is null, trap"): left out where the wasm type
;; is non-nullable ($sum's parameter, $callRef's function reference, a (ref $point) local), where the
;; value is an allocation ($fresh) or an i31 ($i31), and where a dominating check or branch already
;; proved the reference not null ($sumNullable's second field, $isNull's else branch). After a call
;; (a safepoint, where references are reloaded) a non-nullable local is still known ($afterCall's
;; $q), a nullable one is checked again ($p), and a reference left on the operand stack keeps what
;; was known of it ($acrossCall). A call's non-nullable result needs no check ($fromCall).
(module
  (type $point (struct (field $x (mut i64)) (field $y (mut i64))))
  (type $fn (func (result i64)))

  (func $sum (param $p (ref $point)) (result i64)
    (i64.add (struct.get $point $x (local.get $p)) (struct.get $point $y (local.get $p))))

  (func $sumNullable (param $p (ref null $point)) (result i64)
    (i64.add (struct.get $point $x (local.get $p)) (struct.get $point $y (local.get $p))))

  (func $isNull (param $p (ref null $point)) (result i64)
    (if (result i64) (ref.is_null (local.get $p))
      (then (i64.const 0))
      (else (struct.get $point $x (ref.as_non_null (local.get $p))))))

  (func $fresh (result i64)
    (local $q (ref null $point))
    (local.set $q (struct.new $point (i64.const 1) (i64.const 2)))
    (struct.get $point $y (local.get $q)))

  (func $i31 (param $v i32) (result i32)
    (i31.get_s (ref.i31 (local.get $v))))

  (func $callRef (param $f (ref $fn)) (result i64)
    (call_ref $fn (local.get $f)))

  (func $afterCall (param $p (ref null $point)) (param $q (ref $point)) (result i64)
    (struct.set $point $x (local.get $p) (i64.const 1))
    (drop (call $sum (local.get $q)))
    (i64.add (struct.get $point $y (local.get $p)) (struct.get $point $y (local.get $q))))

  (func $fromCall (result i64)
    (struct.get $point $x (call $make)))

  (func $make (result (ref $point))
    (struct.new_default $point))

  (func $acrossCall (param $q (ref $point)) (result i64)
    struct.new_default $point
    local.get $q
    call $sum
    drop
    struct.get $point $y))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;; block0(v0: i64, v1: i64, v2: i64):
;;     @004e v4 = load.i64 v2+8
;;     @0054 v5 = load.i64 v2+16
;;     @0058 v6 = iadd.i64 v4, v5
;;     @0059 return v6
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;; block0(v0: i64, v1: i64, v2: i64):
;;     @005e trapz v2, null_struct
;;     @005e v4 = load.i64 v2+8
;;     @0064 v5 = load.i64 v2+16
;;     @0068 v6 = iadd.i64 v4, v5
;;     @0069 return v6
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;; block0(v0: i64, v1: i64, v2: i64):
;;     @006e v4 = iconst.i64 0
;;     @006e v5 = icmp eq v2, v4
;;     @006f brif v5, block3, block4
;;
;; block3:
;;     @0071 v7 = iconst.i64 0
;;     @0073 jump block2(v7)
;;
;; block4:
;;     @0077 v8 = load.i64 v2+8
;;     @007b jump block2(v8)
;;
;; block2(v6: i64):
;;     @007c return v6
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64
;;     fn0 = u805306368:11 sig0
;;
;; block0(v0: i64, v1: i64):
;;     @0082 v3 = iconst.i64 1
;;     @0084 v4 = iconst.i64 2
;;     @0086 v5 = iconst.i64 24
;;     @0086 v6 = load.i64 vmctx readonly aligned v0
;;     @0086 v7 = load.i64 v6+656
;;     @0086 v8 = load.i64 v6+664
;;     @0086 v9 = iadd.i64 v7, v5
;;     @0086 v11 = icmp ugt v9, v8
;;     @0086 brif v11, block2, block3
;;
;; block3:
;;     @0086 store v9, v6+656
;;     @0086 jump block4(v7)
;;
;; block4(v10: i64):
;;     @0086 v13 = iconst.i64 -4294967296
;;     @0086 v14 = uload32.i64 vmctx readonly aligned v0+96
;;     @0086 v15 = bor.i64 v14, v13
;;     @0086 store v15, v10
;;     @0086 store v3, v10+8
;;     @0086 store v4, v10+16
;;     @008d v16 = load.i64 v10+16
;;     @0091 return v16
;;
;; block2:
;;     @0086 v12 = call fn0(v0, v0, v5)
;;     @0086 trapz v12, gc_oom
;;     @0086 jump block4(v12)
;; }
;;
;; function u0:4(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0096 v4 = iconst.i32 1
;;     @0096 v5 = ishl.i32 v2, v4
;;     @0096 v6 = iconst.i32 1
;;     @0096 v7 = bor.i32 v5, v6
;;     @0096 v8 = uextend.i64 v7
;;     @0098 v9 = ireduce.i32 v8
;;     @0098 v10 = iconst.i32 1
;;     @0098 v11 = sshr.i32 v9, v10
;;     @009a return v11
;; }
;;
;; function u0:5(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx) -> i64
;;
;; block0(v0: i64, v1: i64, v2: i64):
;;     @009f v4 = load.i64 vmctx readonly aligned v2+8
;;     @009f v5 = load.i64 vmctx readonly aligned v2+24
;;     @009f v6 = call_indirect sig0, v4(v5, v0)
;;     @00a1 return v6
;; }
;;
;; function u0:6(i64 vmctx, i64 caller_vmctx, i64, i64) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64
;;     fn0 = u0:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i64, v3: i64):
;;     @00a6 v5 = iconst.i64 1
;;     @00a8 trapz v2, null_struct
;;     @00a8 store v5, v2+8
;;     @00ae v6 = stack_addr.i64 0
;;     @00ae store v2, v6
;;     @00ae v7 = stack_addr.i64 1
;;     @00ae store v3, v7
;;     @00ae v8 = call fn0(v0, v0, v3)
;;     @00ae v9 = stack_addr.i64 0
;;     @00ae v10 = load.i64 v9
;;     @00ae v11 = stack_addr.i64 1
;;     @00ae v12 = load.i64 v11
;;     @00b3 trapz v10, null_struct
;;     @00b3 v13 = load.i64 v10+16
;;     @00b9 v14 = load.i64 v12+16
;;     @00bd v15 = iadd.i64 v13, v14
;;     @00be return v15
;; }
;;
;; function u0:7(i64 vmctx, i64 caller_vmctx) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx) -> i64
;;     fn0 = u0:8 sig0
;;
;; block0(v0: i64, v1: i64):
;;     @00c1 v3 = call fn0(v0, v0)
;;     @00c3 v4 = load.i64 v3+8
;;     @00c7 return v4
;; }
;;
;; function u0:8(i64 vmctx, i64 caller_vmctx) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64
;;     fn0 = u805306368:11 sig0
;;
;; block0(v0: i64, v1: i64):
;;     @00ca v3 = iconst.i64 24
;;     @00ca v4 = load.i64 vmctx readonly aligned v0
;;     @00ca v5 = load.i64 v4+656
;;     @00ca v6 = load.i64 v4+664
;;     @00ca v7 = iadd.i64 v5, v3
;;     @00ca v9 = icmp ugt v7, v6
;;     @00ca brif v9, block2, block3
;;
;; block3:
;;     @00ca store v7, v4+656
;;     @00ca jump block4(v5)
;;
;; block4(v8: i64):
;;     @00ca v11 = iconst.i64 -4294967296
;;     @00ca v12 = uload32.i64 vmctx readonly aligned v0+96
;;     @00ca v13 = bor.i64 v12, v11
;;     @00ca store v13, v8
;;     @00cd return v8
;;
;; block2:
;;     @00ca v10 = call fn0(v0, v0, v3)
;;     @00ca trapz v10, gc_oom
;;     @00ca jump block4(v10)
;; }
;;
;; function u0:9(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64) -> i64
;;     fn0 = u805306368:11 sig0
;;     fn1 = u0:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i64):
;;     @00d0 v4 = iconst.i64 24
;;     @00d0 v5 = load.i64 vmctx readonly aligned v0
;;     @00d0 v6 = load.i64 v5+656
;;     @00d0 v7 = load.i64 v5+664
;;     @00d0 v8 = iadd.i64 v6, v4
;;     @00d0 v10 = icmp ugt v8, v7
;;     @00d0 brif v10, block2, block3
;;
;; block3:
;;     @00d0 store v8, v5+656
;;     @00d0 jump block4(v6, v2)
;;
;; block4(v9: i64, v15: i64):
;;     @00d0 v16 = iconst.i64 -4294967296
;;     @00d0 v17 = uload32.i64 vmctx readonly aligned v0+96
;;     @00d0 v18 = bor.i64 v17, v16
;;     @00d0 store v18, v9
;;     @00d5 v19 = stack_addr.i64 0
;;     @00d5 store v9, v19
;;     @00d5 v20 = call fn1(v0, v0, v15)
;;     @00d5 v21 = stack_addr.i64 0
;;     @00d5 v22 = load.i64 v21
;;     @00d8 v23 = load.i64 v22+16
;;     @00dc return v23
;;
;; block2:
;;     @00d0 v11 = stack_addr.i64 0
;;     @00d0 store v2, v11
;;     @00d0 v12 = call fn0(v0, v0, v4)
;;     @00d0 trapz v12, gc_oom
;;     @00d0 v13 = stack_addr.i64 0
;;     @00d0 v14 = load.i64 v13
;;     @00d0 jump block4(v12, v14)
;; }
