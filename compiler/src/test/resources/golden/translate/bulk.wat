;; Bulk memory: each range is checked (length <= bound, then start <= bound - length, unsigned,
;; trapping heap_oob) before the C_DIRECT call of the builtin slot's memmove/memset, whose vmctx
;; pair carries the C arguments (dst, src); memory.init reads the data segment record, data.drop
;; zeroes its length. Constant lengths up to 16 are inline loads and stores (all loads first) after one
;; bounds_check per range; 17 is a call.
(module
  (memory 1)
  (data $d "abc")
  (func $copy (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func $fill (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func $init (param i32 i32 i32)
    (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func $drop
    (data.drop $d))
  (func $copy15 (param i32 i32)
    (memory.copy (local.get 0) (local.get 1) (i32.const 15)))
  (func $fill16 (param i32 i32)
    (memory.fill (local.get 0) (local.get 1) (i32.const 16)))
  (func $copy17 (param i32 i32)
    (memory.copy (local.get 0) (local.get 1) (i32.const 17))))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @0036 v5 = uextend.i64 v3
;;     @0036 v6 = uextend.i64 v2
;;     @0036 v7 = uextend.i64 v4
;;     @0036 v8 = load.i64 vmctx aligned v0+16
;;     @0036 bounds_check v7, v8, 0, heap_oob
;;     @0036 v9 = isub.i64 v8, v7
;;     @0036 bounds_check v5, v9, 0, heap_oob
;;     @0036 bounds_check v6, v9, 0, heap_oob
;;     @0036 v10 = load.i64 vmctx readonly aligned v0+8
;;     @0036 v11 = iadd.i64 v10, v5
;;     @0036 v13 = iadd.i64 v10, v6
;;     @0036 v14 = load.i64 vmctx readonly aligned v0+48
;;     @0036 call_indirect sig0, v14(v13, v11, v7)
;;     @003a return
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @0043 v5 = uextend.i64 v2
;;     @0043 v6 = uextend.i64 v4
;;     @0043 v7 = load.i64 vmctx aligned v0+16
;;     @0043 bounds_check v6, v7, 0, heap_oob
;;     @0043 v8 = isub.i64 v7, v6
;;     @0043 bounds_check v5, v8, 0, heap_oob
;;     @0043 v9 = load.i64 vmctx readonly aligned v0+8
;;     @0043 v10 = iadd.i64 v9, v5
;;     @0043 v11 = uextend.i64 v3
;;     @0043 v12 = load.i64 vmctx readonly aligned v0+56
;;     @0043 call_indirect sig0, v12(v10, v11, v6)
;;     @0046 return
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @004f v5 = uextend.i64 v4
;;     @004f v6 = uextend.i64 v3
;;     @004f v7 = uextend.i64 v2
;;     @004f v8 = load.i64 vmctx aligned v0+136
;;     @004f bounds_check v5, v8, 0, heap_oob
;;     @004f v9 = isub.i64 v8, v5
;;     @004f bounds_check v6, v9, 0, heap_oob
;;     @004f v10 = load.i64 vmctx aligned v0+16
;;     @004f bounds_check v5, v10, 0, heap_oob
;;     @004f v11 = isub.i64 v10, v5
;;     @004f bounds_check v7, v11, 0, heap_oob
;;     @004f v12 = load.i64 vmctx readonly aligned v0+128
;;     @004f v13 = iadd.i64 v12, v6
;;     @004f v14 = load.i64 vmctx readonly aligned v0+8
;;     @004f v15 = iadd.i64 v14, v7
;;     @004f v16 = load.i64 vmctx readonly aligned v0+48
;;     @004f call_indirect sig0, v16(v15, v13, v5)
;;     @0053 return
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx) {
;; block0(v0: i64, v1: i64):
;;     @0056 v2 = iconst.i64 0
;;     @0056 store vmctx aligned v2, v0+136
;;     @0059 return
;; }
;;
;; function u0:4(i64 vmctx, i64 caller_vmctx, i32, i32) {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @0062 v5 = uextend.i64 v3
;;     @0062 v6 = uextend.i64 v2
;;     @0062 v7 = load.i64 vmctx aligned v0+16
;;     @0062 bounds_check v5, v7, 15, heap_oob
;;     @0062 bounds_check v6, v7, 15, heap_oob
;;     @0062 v9 = load.i64 vmctx readonly aligned v0+8
;;     @0062 v11 = iadd.i64 v9, v5
;;     @0062 v12 = load.i64 heap v11
;;     @0062 v13 = load.i32 heap v11+8
;;     @0062 v14 = uload16.i32 heap v11+12
;;     @0062 v15 = uload8.i32 heap v11+14
;;     @0062 v16 = iadd.i64 v9, v6
;;     @0062 store heap v12, v16
;;     @0062 store heap v13, v16+8
;;     @0062 istore16 heap v14, v16+12
;;     @0062 istore8 heap v15, v16+14
;;     @0066 return
;; }
;;
;; function u0:5(i64 vmctx, i64 caller_vmctx, i32, i32) {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @006f v5 = uextend.i64 v2
;;     @006f v6 = load.i64 vmctx aligned v0+16
;;     @006f bounds_check v5, v6, 16, heap_oob
;;     @006f v7 = load.i64 vmctx readonly aligned v0+8
;;     @006f v8 = iadd.i64 v7, v5
;;     @006f v9 = iconst.i32 255
;;     @006f v10 = band.i32 v3, v9
;;     @006f v11 = uextend.i64 v10
;;     @006f v12 = iconst.i64 72340172838076673
;;     @006f v13 = imul.i64 v11, v12
;;     @006f store heap v13, v8
;;     @006f store heap v13, v8+8
;;     @0072 return
;; }
;;
;; function u0:6(i64 vmctx, i64 caller_vmctx, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @0079 v4 = iconst.i32 17
;;     @007b v5 = uextend.i64 v3
;;     @007b v6 = uextend.i64 v2
;;     @007b v7 = uextend.i64 v4
;;     @007b v8 = load.i64 vmctx aligned v0+16
;;     @007b bounds_check v7, v8, 0, heap_oob
;;     @007b v9 = isub.i64 v8, v7
;;     @007b bounds_check v5, v9, 0, heap_oob
;;     @007b bounds_check v6, v9, 0, heap_oob
;;     @007b v10 = load.i64 vmctx readonly aligned v0+8
;;     @007b v11 = iadd.i64 v10, v5
;;     @007b v13 = iadd.i64 v10, v6
;;     @007b v14 = load.i64 vmctx readonly aligned v0+48
;;     @007b call_indirect sig0, v14(v13, v11, v7)
;;     @007f return
;; }
