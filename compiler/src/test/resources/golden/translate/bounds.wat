;; Bounds checks the translator leaves out because the index's unsigned range ends below the
;; memory's minimum size (2 pages, 131072 bytes; memories never shrink): a constant address (a C
;; global), a byte loaded and shifted or masked into a 16-entry table at a constant address (hex
;; digits, ctype classes), an index reduced modulo a constant, a byte at an index masked to 17 bits
;; (the last byte of the minimum). Kept: a constant address whose last byte lies past the minimum,
;; two bytes at the 17-bit index, any parameter. Struct
;; fields of one pointer at constant distances share the first (widest) check.
(module
  (memory 2)
  (func $globals (result i32)
    i32.const 1024
    i32.load
    i32.const 131068
    i32.load offset=4
    i32.add)
  (func $tables (param i32) (result i32)
    local.get 0
    i32.load8_u
    i32.const 4
    i32.shr_u
    i32.load8_u offset=1000
    local.get 0
    i32.const 15
    i32.and
    i32.const 1000
    i32.add
    i32.load8_u
    i32.add
    local.get 0
    i32.const 100
    i32.rem_u
    i32.const 2
    i32.shl
    i32.load offset=2048
    i32.add
    local.get 0
    i32.const 0x1ffff
    i32.and
    i32.load8_u
    i32.add
    local.get 0
    i32.const 0x1ffff
    i32.and
    i32.load16_u
    i32.add)
  (func $fields (param i32) (result i32)
    local.get 0
    i32.load offset=8
    local.get 0
    i32.const 4
    i32.add
    i32.load
    i32.add
    local.get 0
    i32.load
    i32.add))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx) -> i32 {
;; block0(v0: i64, v1: i64):
;;     @0027 v5 = load.i64 vmctx readonly aligned v0+8
;;     @0027 v6 = load.i32 heap v5+1024
;;     @002a v7 = iconst.i32 131068
;;     @002e v8 = uextend.i64 v7
;;     @002e v9 = load.i64 vmctx aligned v0+16
;;     @002e bounds_check v8, v9, 8, heap_oob
;;     @002e v11 = load.i32 heap v5+131072
;;     @0031 v12 = iadd.i32 v6, v11
;;     @0032 return v12
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0037 v4 = uextend.i64 v2
;;     @0037 v5 = load.i64 vmctx aligned v0+16
;;     @0037 bounds_check v4, v5, 1, heap_oob
;;     @0037 v6 = load.i64 vmctx readonly aligned v0+8
;;     @0037 v7 = iadd.i64 v6, v4
;;     @0037 v8 = uload8.i32 heap v7
;;     @003a v9 = iconst.i32 4
;;     @003c v10 = ushr.i32 v8, v9
;;     @003d v11 = uextend.i64 v10
;;     @003d v13 = iadd.i64 v6, v11
;;     @003d v14 = uload8.i32 heap v13+1000
;;     @0043 v15 = iconst.i32 15
;;     @0045 v16 = band.i32 v2, v15
;;     @0046 v17 = iconst.i32 1000
;;     @0049 v18 = iadd.i32 v16, v17
;;     @004a v19 = uextend.i64 v18
;;     @004a v21 = iadd.i64 v6, v19
;;     @004a v22 = uload8.i32 heap v21
;;     @004d v23 = iadd.i32 v14, v22
;;     @0053 v49 = iconst.i64 1374389535
;;     @0053 v50 = imul.i64 v4, v49
;;     @0053 v51 = iconst.i64 37
;;     @0053 v52 = ushr.i64 v50, v51
;;     @0053 v53 = ireduce.i32 v52
;;     @0053 v54 = iconst.i32 100
;;     @0053 v55 = imul.i32 v53, v54
;;     @0053 v56 = isub.i32 v2, v55
;;     @0054 v26 = iconst.i32 2
;;     @0056 v27 = ishl.i32 v56, v26
;;     @0057 v28 = uextend.i64 v27
;;     @0057 v30 = iadd.i64 v6, v28
;;     @0057 v31 = load.i32 heap v30+2048
;;     @005b v32 = iadd.i32 v23, v31
;;     @005e v33 = iconst.i32 131071
;;     @0062 v34 = band.i32 v2, v33
;;     @0063 v35 = uextend.i64 v34
;;     @0063 v37 = iadd.i64 v6, v35
;;     @0063 v38 = uload8.i32 heap v37
;;     @0066 v39 = iadd.i32 v32, v38
;;     @0069 v40 = iconst.i32 131071
;;     @006d v41 = band.i32 v2, v40
;;     @006e v42 = uextend.i64 v41
;;     @006e bounds_check v42, v5, 2, heap_oob
;;     @006e v45 = iadd.i64 v6, v42
;;     @006e v46 = uload16.i32 heap v45
;;     @0071 v47 = iadd.i32 v39, v46
;;     @0072 return v47
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0077 v4 = uextend.i64 v2
;;     @0077 v5 = load.i64 vmctx aligned v0+16
;;     @0077 bounds_check v4, v5, 12, heap_oob
;;     @0077 v6 = load.i64 vmctx readonly aligned v0+8
;;     @0077 v7 = iadd.i64 v6, v4
;;     @0077 v8 = load.i32 heap v7+8
;;     @007c v9 = iconst.i32 4
;;     @007e v10 = iadd.i32 v2, v9
;;     @007f v11 = uextend.i64 v10
;;     @007f v14 = iadd.i64 v6, v11
;;     @007f v15 = load.i32 heap v14
;;     @0082 v16 = iadd.i32 v8, v15
;;     @0085 v21 = load.i32 heap v7
;;     @0088 v22 = iadd.i32 v16, v21
;;     @0089 return v22
;; }
