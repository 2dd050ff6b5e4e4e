;; An imported memory and an imported global are reached through pointers in the VMContext; the
;; store and the grow go to the exporter's definition. Calls to imports go through their records.
(module
  (import "env" "mem" (memory 1))
  (import "env" "g" (global $g (mut i32)))
  (import "env" "h" (func $h (param i64) (result i64 i32)))
  (func (param i32) (result i32)
    local.get 0
    global.get $g
    i32.store offset=16
    i32.const 1
    memory.grow
    global.set $g
    i64.const 5
    call $h
    drop
    i32.wrap_i64))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     sig1 = (i64 vmctx, i64 caller_vmctx, i64) -> i64, i32
;;     fn0 = u1073741824:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0040 v4 = load.i64 vmctx readonly aligned v0+16
;;     @0040 v5 = load.i32 vmctx aligned v4
;;     @0042 v6 = uextend.i64 v2
;;     @0042 v7 = load.i64 vmctx readonly aligned v0+8
;;     @0042 v8 = load.i64 vmctx aligned v7+8
;;     @0042 bounds_check v6, v8, 20, heap_oob
;;     @0042 v10 = load.i64 vmctx readonly aligned v7
;;     @0042 v11 = iadd.i64 v10, v6
;;     @0042 store heap v5, v11+16
;;     @0045 v12 = iconst.i32 1
;;     @0047 v13 = uextend.i64 v12
;;     @0047 v15 = call fn0(v0, v0, v7, v13)
;;     @0047 v16 = ireduce.i32 v15
;;     @0049 store vmctx aligned v16, v4
;;     @004b v18 = iconst.i64 5
;;     @004d v19 = load.i64 vmctx readonly aligned v0+112
;;     @004d v20 = load.i64 vmctx readonly aligned v0+128
;;     @004d v21, v22 = call_indirect sig1, v19(v20, v0, v18)
;;     @0050 v23 = ireduce.i32 v21
;;     @0051 return v23
;; }
