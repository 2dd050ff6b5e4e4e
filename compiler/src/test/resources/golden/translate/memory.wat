;; Loads and stores of every integer width with explicit bounds checks, memory.size and
;; memory.grow, globals (defined, imported, mutable), and calls to a defined and an imported
;; function.
(module
  (import "env" "f" (func $imported (param i32) (result i32)))
  (import "env" "g" (global $g0 (mut i64)))
  (memory 1)
  (global $counter (mut i32) (i32.const 7))
  (global $k i64 (i64.const 42))
  (func $widths (param i32) (result i64)
    local.get 0
    i32.load8_s offset=3
    local.get 0
    i32.load16_u
    i32.add
    i64.extend_i32_s
    local.get 0
    i64.load32_u offset=4294967295
    i64.add)
  (func $stores (param i32 i64)
    local.get 0
    local.get 1
    i64.store32 offset=8
    local.get 0
    local.get 1
    i32.wrap_i64
    i32.store8)
  (func $grow (param i32) (result i32)
    local.get 0
    memory.grow
    memory.size
    i32.add)
  (func $globals (result i64)
    global.get $counter
    i32.const 1
    i32.add
    global.set $counter
    global.get $g0
    global.get $k
    i64.add)
  (func $calls (param i32) (result i32)
    local.get 0
    call $imported
    call $grow))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i64 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0053 v4 = uextend.i64 v2
;;     @0053 v5 = load.i64 vmctx aligned v0+16
;;     @0053 bounds_check v4, v5, 4, heap_oob
;;     @0053 v6 = load.i64 vmctx readonly aligned v0+8
;;     @0053 v7 = iadd.i64 v6, v4
;;     @0053 v8 = sload8.i32 heap v7+3
;;     @0058 v13 = uload16.i32 heap v7
;;     @005b v14 = iadd.i32 v8, v13
;;     @005c v15 = sextend.i64 v14
;;     @005f bounds_check v4, v5, 4294967299, heap_oob
;;     @005f v20 = iconst.i64 4294967295
;;     @005f v21 = iadd.i64 v7, v20
;;     @005f v22 = uload32.i64 heap v21
;;     @0066 v23 = iadd.i64 v15, v22
;;     @0067 return v23
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32, i64) {
;; block0(v0: i64, v1: i64, v2: i32, v3: i64):
;;     @006e v4 = uextend.i64 v2
;;     @006e v5 = load.i64 vmctx aligned v0+16
;;     @006e bounds_check v4, v5, 12, heap_oob
;;     @006e v6 = load.i64 vmctx readonly aligned v0+8
;;     @006e v7 = iadd.i64 v6, v4
;;     @006e istore32 heap v3, v7+8
;;     @0075 v8 = ireduce.i32 v3
;;     @0076 istore8 heap v8, v7
;;     @0079 return
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i64, i64) -> i64
;;     fn0 = u1073741824:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @007e v4 = uextend.i64 v2
;;     @007e v5 = iconst.i64 8
;;     @007e v6 = iadd.i64 v0, v5
;;     @007e v7 = call fn0(v0, v0, v6, v4)
;;     @007e v8 = ireduce.i32 v7
;;     @0080 v9 = load.i64 vmctx aligned v0+16
;;     @0080 v10 = iconst.i64 16
;;     @0080 v11 = ushr.i64 v9, v10
;;     @0080 v12 = ireduce.i32 v11
;;     @0082 v13 = iadd.i32 v8, v12
;;     @0083 return v13
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx) -> i64 {
;; block0(v0: i64, v1: i64):
;;     @0086 v3 = load.i32 vmctx aligned v0+48
;;     @0088 v4 = iconst.i32 1
;;     @008a v5 = iadd.i32 v3, v4
;;     @008b store vmctx aligned v5, v0+48
;;     @008d v6 = load.i64 vmctx readonly aligned v0+32
;;     @008d v7 = load.i64 vmctx aligned v6
;;     @008f v8 = load.i64 vmctx readonly aligned v0+64
;;     @0091 v9 = iadd.i64 v7, v8
;;     @0092 return v9
;; }
;;
;; function u0:4(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:2 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0097 v4 = load.i64 vmctx readonly aligned v0+160
;;     @0097 v5 = load.i64 vmctx readonly aligned v0+176
;;     @0097 v6 = call_indirect sig0, v4(v5, v0, v2)
;;     @0099 v7 = call fn0(v0, v0, v6)
;;     @009b return v7
;; }
