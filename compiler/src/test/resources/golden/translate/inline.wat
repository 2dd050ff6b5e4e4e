;; Inlining (compiler.inline.Inliner): $store_sum is copied into $twice at both calls (sites
;; inline0 and inline1, each copied instruction keeping its own wasm offset), the memory base
;; load is shared after value numbering, and the callee's return becomes a jump to the
;; continuation block. $fact calls itself: its one call gets a copy of its own body, whose call
;; stays a call (one level). The import is never inlined.
;; inline
(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (func $store_sum (param i32 i32) (result i32)
    (i32.store (i32.const 16) (i32.add (local.get 0) (local.get 1)))
    (i32.load (i32.const 16)))
  (func $twice (export "twice") (param i32) (result i32)
    (call $log (local.get 0))
    (call $store_sum (call $store_sum (local.get 0) (i32.const 1)) (i32.const 2)))
  (func $fact (export "fact") (param i32) (result i32)
    (if (result i32) (i32.le_u (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get 0) (call $fact (i32.sub (local.get 0) (i32.const 1))))))))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @004f v6 = iadd.i32 v2, v3
;;     @0050 v8 = load.i64 vmctx readonly aligned v0+8
;;     @0050 store heap v6, v8+16
;;     @0055 v12 = load.i32 heap v8+16
;;     @0058 return v12
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32)
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i32, i32) -> i32
;;     fn0 = u0:0 sig1
;;     inline0 = u0:0 @0063
;;     inline1 = u0:0 @0067
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @005d v4 = load.i64 vmctx readonly aligned v0+112
;;     @005d v5 = load.i64 vmctx readonly aligned v0+128
;;     @005d call_indirect sig0, v4(v5, v0, v2)
;;     @0061 v6 = iconst.i32 1
;;     @004f inline0 v11 = iadd.i32 v2, v6
;;     @0050 inline0 v12 = load.i64 vmctx readonly aligned v0+8
;;     @0050 inline0 store heap v11, v12+16
;;     @0055 inline0 v13 = load.i32 heap v12+16
;;     @0065 v8 = iconst.i32 2
;;     @004f inline1 v15 = iadd.i32 v13, v8
;;     @0050 inline1 store heap v15, v12+16
;;     @0055 inline1 v17 = load.i32 heap v12+16
;;     @0069 return v17
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:2 sig0
;;     inline0 = u0:2 @007d
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @006e v4 = iconst.i32 1
;;     @0070 v5 = icmp ule v2, v4
;;     @0071 brif v5, block3, block4
;;
;; block3:
;;     @0073 v7 = iconst.i32 1
;;     @0075 jump block2(v7)
;;
;; block4:
;;     @007a v8 = iconst.i32 1
;;     @007c v9 = isub.i32 v2, v8
;;     @006e inline0 v14 = iconst.i32 1
;;     @0070 inline0 v15 = icmp ule v9, v14
;;     @0071 inline0 brif v15, block6, block7
;;
;; block6:
;;     @0073 inline0 v16 = iconst.i32 1
;;     @0075 inline0 jump block8(v16)
;;
;; block7:
;;     @007a inline0 v17 = iconst.i32 1
;;     @007c inline0 v18 = isub.i32 v9, v17
;;     @007d inline0 v19 = call fn0(v0, v0, v18)
;;     @007f inline0 v20 = imul.i32 v9, v19
;;     @0080 inline0 jump block8(v20)
;;
;; block8(v13: i32):
;;     @007f v11 = imul.i32 v2, v13
;;     @0080 jump block2(v11)
;;
;; block2(v6: i32):
;;     @0081 return v6
;; }
