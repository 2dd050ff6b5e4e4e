;; 32-bit memory accesses compiled with the default MemoryGuard: no bounds_check, and each access
;; carries "traps" (it is its own check: a fault past the memory is the trap), so DCE keeps the
;; unused load of $dropped. Kept explicit: an offset past the 32 MiB guard. A constant address
;; inside the minimum is proven in bounds and needs neither.
;; memory-guard
(module
  (memory 1)
  (func $load_store (param i32 i32)
    local.get 0
    local.get 1
    i32.load offset=16
    i32.store8 offset=3)
  (func $dropped (param i32)
    local.get 0
    i64.load
    drop)
  (func $far (param i32) (result i32)
    local.get 0
    i32.load offset=33554432)
  (func $constant (result i32)
    i32.const 64
    i32.load))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32) {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @0032 v4 = uextend.i64 v3
;;     @0032 v5 = load.i64 vmctx readonly aligned v0+8
;;     @0032 v6 = iadd.i64 v5, v4
;;     @0032 v7 = load.i32 heap traps v6+16
;;     @0035 v8 = uextend.i64 v2
;;     @0035 v10 = iadd.i64 v5, v8
;;     @0035 istore8 heap traps v7, v10+3
;;     @0038 return
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @003d v3 = uextend.i64 v2
;;     @003d v4 = load.i64 vmctx readonly aligned v0+8
;;     @003d v5 = iadd.i64 v4, v3
;;     @003d v6 = load.i64 heap traps v5
;;     @0041 return
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0046 v4 = uextend.i64 v2
;;     @0046 v5 = load.i64 vmctx aligned v0+16
;;     @0046 bounds_check v4, v5, 33554436, heap_oob
;;     @0046 v6 = load.i64 vmctx readonly aligned v0+8
;;     @0046 v7 = iadd.i64 v6, v4
;;     @0046 v8 = load.i32 heap v7+33554432
;;     @004c return v8
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx) -> i32 {
;; block0(v0: i64, v1: i64):
;;     @0052 v5 = load.i64 vmctx readonly aligned v0+8
;;     @0052 v6 = load.i32 heap v5+64
;;     @0055 return v6
;; }
