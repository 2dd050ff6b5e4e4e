;; Float operators: one IR instruction each (fmin/fmax, nearest, the trapping and saturating
;; truncations carry wasm's semantics in the IR), f32/f64 constants as bits, float loads and stores
;; bounds-checked like integer ones, reinterpretations as bitcast.
(module
  (memory 1)
  (func (param f32 f64) (result f64)
    (f64.add
      (f64.promote_f32 (f32.min (f32.nearest (local.get 0)) (f32.const -0x1.8p1)))
      (f64.copysign (f64.sqrt (local.get 1)) (f64.const -0.0))))
  (func (param f64 i64) (result i32 i64 f32)
    (i32.trunc_f64_u (local.get 0))
    (i64.trunc_sat_f64_s (local.get 0))
    (f32.convert_i64_u (local.get 1)))
  (func (param i32 f32) (result i32)
    (f32.store offset=4 (local.get 0) (local.get 1))
    (select (i32.reinterpret_f32 (f32.load (local.get 0))) (i32.const 7)
      (f32.lt (local.get 1) (f32.abs (local.get 1))))))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, f32, f64) -> f64 {
;; block0(v0: i64, v1: i64, v2: f32, v3: f64):
;;     @0031 v5 = nearest.f32 v2
;;     @0032 v6 = f32const -0x1.8p1
;;     @0037 v7 = fmin.f32 v5, v6
;;     @0038 v8 = fpromote.f64 v7
;;     @003b v9 = sqrt.f64 v3
;;     @003c v10 = f64const -0x0.0p0
;;     @0045 v11 = fcopysign.f64 v9, v10
;;     @0046 v12 = fadd.f64 v8, v11
;;     @0047 return v12
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, f64, i64) -> i32, i64, f32 {
;; block0(v0: i64, v1: i64, v2: f64, v3: i64):
;;     @004c v7 = fcvt_to_uint.i32 v2
;;     @004f v8 = fcvt_to_sint_sat.i64 v2
;;     @0053 v9 = fcvt_from_uint.f32 v3
;;     @0054 return v7, v8, v9
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32, f32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32, v3: f32):
;;     @005b v5 = uextend.i64 v2
;;     @005b v6 = load.i64 vmctx aligned v0+16
;;     @005b bounds_check v5, v6, 8, heap_oob
;;     @005b v7 = load.i64 vmctx readonly aligned v0+8
;;     @005b v8 = iadd.i64 v7, v5
;;     @005b store heap v3, v8+4
;;     @0060 v13 = load.f32 heap v8
;;     @0063 v14 = bitcast.i32 v13
;;     @0064 v15 = iconst.i32 7
;;     @006a v16 = fabs.f32 v3
;;     @006b v17 = fcmp lt v3, v16
;;     @006c v18 = select.i32 v17, v14, v15
;;     @006d return v18
;; }
