;; Integer arithmetic, comparisons and bit operations on parameters and locals; div/rem carry
;; their wasm traps in the IR opcodes themselves.
(module
  (func (param i32 i32) (result i32)
    (local i32)
    local.get 0
    local.get 1
    i32.add
    local.tee 2
    local.get 1
    i32.div_s
    local.get 2
    i32.rem_u
    i32.const 3
    i32.rotl)
  (func (param i64 i32) (result i32)
    local.get 0
    local.get 1
    i64.extend_i32_u
    i64.lt_s
    local.get 0
    i64.eqz
    i32.xor
    local.get 0
    i32.wrap_i64
    i32.extend8_s
    i32.clz
    i32.and)
  (func (result i64)
    (local i64)
    local.get 0
    i64.popcnt))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @002c v5 = iadd.i32 v2, v3
;;     @0031 v6 = sdiv.i32 v5, v3
;;     @0034 v7 = urem.i32 v6, v5
;;     @0035 v8 = iconst.i32 3
;;     @0037 v9 = rotl.i32 v7, v8
;;     @0038 return v9
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i64, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i64, v3: i32):
;;     @003f v5 = uextend.i64 v3
;;     @0040 v6 = icmp slt v2, v5
;;     @0043 v7 = eqz v2
;;     @0044 v8 = bxor.i32 v6, v7
;;     @0047 v9 = ireduce.i32 v2
;;     @0048 v10 = extend8_s.i32 v9
;;     @0049 v11 = clz.i32 v10
;;     @004a v12 = band.i32 v8, v11
;;     @004b return v12
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx) -> i64 {
;; block0(v0: i64, v1: i64):
;;     v3 = iconst.i64 0
;;     @0052 v4 = popcnt.i64 v3
;;     @0053 return v4
;; }
