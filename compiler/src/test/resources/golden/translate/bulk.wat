;; Bulk memory: each range is checked (length <= bound, then start <= bound - length, unsigned,
;; trapping heap_oob) before the C_DIRECT call of the builtin slot's memmove/memset, whose vmctx
;; pair carries the C arguments (dst, src); memory.init reads the data segment record, data.drop
;; zeroes its length.
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
    (data.drop $d)))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @002e v5 = uextend.i64 v4
;;     @002e v6 = uextend.i64 v3
;;     @002e v7 = uextend.i64 v2
;;     @002e v8 = load.i64 vmctx aligned v0+16
;;     @002e bounds_check v5, v8, 0, heap_oob
;;     @002e v9 = isub.i64 v8, v5
;;     @002e bounds_check v6, v9, 0, heap_oob
;;     @002e bounds_check v7, v9, 0, heap_oob
;;     @002e v10 = load.i64 vmctx readonly aligned v0+8
;;     @002e v11 = iadd.i64 v10, v6
;;     @002e v12 = load.i64 vmctx readonly aligned v0+8
;;     @002e v13 = iadd.i64 v12, v7
;;     @002e v14 = load.i64 vmctx readonly aligned v0+48
;;     @002e call_indirect sig0, v14(v13, v11, v5)
;;     @0032 return
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @003b v5 = uextend.i64 v4
;;     @003b v6 = uextend.i64 v2
;;     @003b v7 = load.i64 vmctx aligned v0+16
;;     @003b bounds_check v5, v7, 0, heap_oob
;;     @003b v8 = isub.i64 v7, v5
;;     @003b bounds_check v6, v8, 0, heap_oob
;;     @003b v9 = load.i64 vmctx readonly aligned v0+8
;;     @003b v10 = iadd.i64 v9, v6
;;     @003b v11 = uextend.i64 v3
;;     @003b v12 = load.i64 vmctx readonly aligned v0+56
;;     @003b call_indirect sig0, v12(v10, v11, v5)
;;     @003e return
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32, i32, i32) {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64)
;;
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @0047 v5 = uextend.i64 v4
;;     @0047 v6 = uextend.i64 v3
;;     @0047 v7 = uextend.i64 v2
;;     @0047 v8 = load.i64 vmctx aligned v0+80
;;     @0047 bounds_check v5, v8, 0, heap_oob
;;     @0047 v9 = isub.i64 v8, v5
;;     @0047 bounds_check v6, v9, 0, heap_oob
;;     @0047 v10 = load.i64 vmctx aligned v0+16
;;     @0047 bounds_check v5, v10, 0, heap_oob
;;     @0047 v11 = isub.i64 v10, v5
;;     @0047 bounds_check v7, v11, 0, heap_oob
;;     @0047 v12 = load.i64 vmctx readonly aligned v0+72
;;     @0047 v13 = iadd.i64 v12, v6
;;     @0047 v14 = load.i64 vmctx readonly aligned v0+8
;;     @0047 v15 = iadd.i64 v14, v7
;;     @0047 v16 = load.i64 vmctx readonly aligned v0+48
;;     @0047 call_indirect sig0, v16(v15, v13, v5)
;;     @004b return
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx) {
;; block0(v0: i64, v1: i64):
;;     @004e v2 = iconst.i64 0
;;     @004e store vmctx aligned v2, v0+80
;;     @0051 return
;; }
