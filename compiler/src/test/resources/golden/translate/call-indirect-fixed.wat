;; call_indirect through tables whose slots never change (compiler.translate.FixedTables): in
;; $dispatch the index is compared with the two slots of type $ii ($inc in slots 0 and 2 after
;; the second segment, one call block for both; $dbl in slot 1) and an equal one calls the
;; function directly; every other index reaches the checked path, which can only trap (every slot
;; is known) and so is laid out last. $tail does the same with tail calls. The table $shared is
;; exported and $placed_by_global's segment has an offset from an imported global: calls through
;; them keep the checked call alone.
(module
  (import "env" "base" (global $base i32))
  (type $ii (func (param i32) (result i32)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $wide (param i64) (result i64) (local.get 0))
  (table $fixed 4 funcref)
  (elem (table $fixed) (i32.const 0) func $dbl $dbl $inc $wide)
  (elem (table $fixed) (i32.const 0) func $inc)
  (table $shared (export "shared") 2 funcref)
  (elem (table $shared) (i32.const 0) func $inc)
  (table $placed_by_global 2 funcref)
  (elem (table $placed_by_global) (global.get $base) func $dbl)
  (func $dispatch (export "dispatch") (param i32 i32) (result i32)
    (call_indirect $fixed (type $ii) (local.get 1) (local.get 0)))
  (func $tail (export "tail") (param i32 i32) (result i32)
    (return_call_indirect $fixed (type $ii) (local.get 1) (local.get 0)))
  (func $through_exported (export "exported") (param i32 i32) (result i32)
    (call_indirect $shared (type $ii) (local.get 1) (local.get 0)))
  (func $through_placed_by_global (export "placed") (param i32 i32) (result i32)
    (call_indirect $placed_by_global (type $ii) (local.get 1) (local.get 0))))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @009b v4 = iconst.i32 1
;;     @009d v5 = iadd.i32 v2, v4
;;     @009e return v5
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @00a5 v6 = iconst.i32 1
;;     @00a5 v7 = ishl.i32 v2, v6
;;     @00a6 return v7
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
;; block0(v0: i64, v1: i64, v2: i64):
;;     @00ab return v2
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     sig2 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:0 sig0
;;     fn1 = u0:1 sig0
;;     fn2 = u1073741824:8 sig1
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @00b2 v6 = iconst.i32 0
;;     @00b2 v7 = icmp eq v2, v6
;;     @00b2 brif v7, block3, block4
;;
;; block3:
;;     @00b2 v8 = call fn0(v0, v0, v3)
;;     @00b2 jump block2(v8)
;;
;; block4:
;;     @00b2 v9 = iconst.i32 1
;;     @00b2 v10 = icmp eq v2, v9
;;     @00b2 brif v10, block5, block6
;;
;; block5:
;;     @00b2 v11 = call fn1(v0, v0, v3)
;;     @00b2 jump block2(v11)
;;
;; block6:
;;     @00b2 v12 = iconst.i32 2
;;     @00b2 v13 = icmp eq v2, v12
;;     @00b2 brif v13, block3, block7
;;
;; block2(v5: i32):
;;     @00b5 return v5
;;
;; block7:
;;     @00b2 v14 = uextend.i64 v2
;;     @00b2 v15 = load.i64 vmctx readonly aligned v0+16
;;     @00b2 v16 = load.i64 vmctx aligned v0+24
;;     @00b2 v17 = icmp ult v14, v16
;;     @00b2 trapz v17, undef_elem
;;     @00b2 v18 = iconst.i64 3
;;     @00b2 v19 = ishl.i64 v14, v18
;;     @00b2 v20 = iadd.i64 v15, v19
;;     @00b2 v21 = load.i64 table aligned v20
;;     @00b2 brif v21, block8, block9
;;
;; block8:
;;     @00b2 v23 = load.i64 table aligned v20
;;     @00b2 v24 = iconst.i64 1
;;     @00b2 v25 = icmp eq v23, v24
;;     @00b2 trapnz v25, uninit_elem
;;     @00b2 v26 = uload32.i64 vmctx readonly aligned v23+15
;;     @00b2 v27 = uload32.i64 vmctx readonly aligned v0+368
;;     @00b2 v28 = icmp ne v26, v27
;;     @00b2 trapnz v28, bad_sig
;;     @00b2 v29 = load.i64 vmctx readonly aligned v23+7
;;     @00b2 v30 = load.i64 vmctx readonly aligned v23+23
;;     @00b2 v31 = call_indirect sig2, v29(v30, v0, v3)
;;     @00b2 jump block2(v31)
;;
;; block9:
;;     @00b2 v22 = call fn2(v0, v0, v15, v14)
;;     @00b2 jump block8
;; }
;;
;; function u0:4(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     sig2 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:0 sig0
;;     fn1 = u0:1 sig0
;;     fn2 = u1073741824:8 sig1
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @00bc v5 = iconst.i32 0
;;     @00bc v6 = icmp eq v2, v5
;;     @00bc brif v6, block2, block3
;;
;; block2:
;;     @00bc return_call fn0(v0, v0, v3)
;;
;; block3:
;;     @00bc v7 = iconst.i32 1
;;     @00bc v8 = icmp eq v2, v7
;;     @00bc brif v8, block4, block5
;;
;; block4:
;;     @00bc return_call fn1(v0, v0, v3)
;;
;; block5:
;;     @00bc v9 = iconst.i32 2
;;     @00bc v10 = icmp eq v2, v9
;;     @00bc brif v10, block2, block6
;;
;; block6:
;;     @00bc v11 = uextend.i64 v2
;;     @00bc v12 = load.i64 vmctx readonly aligned v0+16
;;     @00bc v13 = load.i64 vmctx aligned v0+24
;;     @00bc v14 = icmp ult v11, v13
;;     @00bc trapz v14, undef_elem
;;     @00bc v15 = iconst.i64 3
;;     @00bc v16 = ishl.i64 v11, v15
;;     @00bc v17 = iadd.i64 v12, v16
;;     @00bc v18 = load.i64 table aligned v17
;;     @00bc brif v18, block7, block8
;;
;; block7:
;;     @00bc v20 = load.i64 table aligned v17
;;     @00bc v21 = iconst.i64 1
;;     @00bc v22 = icmp eq v20, v21
;;     @00bc trapnz v22, uninit_elem
;;     @00bc v23 = uload32.i64 vmctx readonly aligned v20+15
;;     @00bc v24 = uload32.i64 vmctx readonly aligned v0+368
;;     @00bc v25 = icmp ne v23, v24
;;     @00bc trapnz v25, bad_sig
;;     @00bc v26 = load.i64 vmctx readonly aligned v20+7
;;     @00bc v27 = load.i64 vmctx readonly aligned v20+23
;;     @00bc return_call_indirect sig2, v26(v27, v0, v3)
;;
;; block8:
;;     @00bc v19 = call fn2(v0, v0, v12, v11)
;;     @00bc jump block7
;; }
;;
;; function u0:5(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u1073741824:8 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @00c6 v5 = uextend.i64 v2
;;     @00c6 v6 = load.i64 vmctx readonly aligned v0+32
;;     @00c6 v7 = load.i64 vmctx aligned v0+40
;;     @00c6 v8 = icmp ult v5, v7
;;     @00c6 trapz v8, undef_elem
;;     @00c6 v9 = iconst.i64 3
;;     @00c6 v10 = ishl.i64 v5, v9
;;     @00c6 v11 = iadd.i64 v6, v10
;;     @00c6 v12 = load.i64 table aligned v11
;;     @00c6 brif v12, block2, block3
;;
;; block2:
;;     @00c6 v14 = load.i64 table aligned v11
;;     @00c6 v15 = iconst.i64 1
;;     @00c6 v16 = icmp eq v14, v15
;;     @00c6 trapnz v16, uninit_elem
;;     @00c6 v17 = uload32.i64 vmctx readonly aligned v14+15
;;     @00c6 v18 = uload32.i64 vmctx readonly aligned v0+368
;;     @00c6 v19 = icmp ne v17, v18
;;     @00c6 trapnz v19, bad_sig
;;     @00c6 v20 = load.i64 vmctx readonly aligned v14+7
;;     @00c6 v21 = load.i64 vmctx readonly aligned v14+23
;;     @00c6 v22 = call_indirect sig1, v20(v21, v0, v3)
;;     @00c9 return v22
;;
;; block3:
;;     @00c6 v13 = call fn0(v0, v0, v6, v5)
;;     @00c6 jump block2
;; }
;;
;; function u0:6(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u1073741824:8 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @00d0 v5 = uextend.i64 v2
;;     @00d0 v6 = load.i64 vmctx readonly aligned v0+48
;;     @00d0 v7 = load.i64 vmctx aligned v0+56
;;     @00d0 v8 = icmp ult v5, v7
;;     @00d0 trapz v8, undef_elem
;;     @00d0 v9 = iconst.i64 3
;;     @00d0 v10 = ishl.i64 v5, v9
;;     @00d0 v11 = iadd.i64 v6, v10
;;     @00d0 v12 = load.i64 table aligned v11
;;     @00d0 brif v12, block2, block3
;;
;; block2:
;;     @00d0 v14 = load.i64 table aligned v11
;;     @00d0 v15 = iconst.i64 1
;;     @00d0 v16 = icmp eq v14, v15
;;     @00d0 trapnz v16, uninit_elem
;;     @00d0 v17 = uload32.i64 vmctx readonly aligned v14+15
;;     @00d0 v18 = uload32.i64 vmctx readonly aligned v0+368
;;     @00d0 v19 = icmp ne v17, v18
;;     @00d0 trapnz v19, bad_sig
;;     @00d0 v20 = load.i64 vmctx readonly aligned v14+7
;;     @00d0 v21 = load.i64 vmctx readonly aligned v14+23
;;     @00d0 v22 = call_indirect sig1, v20(v21, v0, v3)
;;     @00d3 return v22
;;
;; block3:
;;     @00d0 v13 = call fn0(v0, v0, v6, v5)
;;     @00d0 jump block2
;; }
