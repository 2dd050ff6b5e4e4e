;; Epoch deadline and fuel checks (InterruptChecks): the entry reads and checks the fuel count, and
;; checks the epoch only in a function that calls; each loop header checks both. A function that
;; calls reads the store context, the epoch pointer and the deadline afresh at every check (runtime
;; loads); one that calls nothing would let the passes hoist them. Costs are added where control leaves
;; straight-line code, the count goes to the store before calls and returns and comes back after calls.
;; limits: epoch_interruption consume_fuel
(module
  (func $callee (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  (func (param i32) (result i32)
    (local i32)
    (loop $l
      local.get 1
      call $callee
      local.set 1
      local.get 1
      local.get 0
      i32.lt_u
      br_if $l)
    local.get 1
    if (result i32)
      i32.const 1
    else
      unreachable
    end
    return))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @001a v4 = load.i64 vmctx readonly aligned v0
;;     @001a v5 = load.i64 runtime aligned v4+600
;;     @001a v6 = iconst.i64 0
;;     @001a v7 = icmp sge v5, v6
;;     @001a brif v7, block2, block3
;;
;; block3:
;;     @001c v9 = iconst.i32 1
;;     @001e v10 = iadd.i32 v2, v9
;;     @001f v11 = iconst.i64 3
;;     @001f v12 = iadd.i64 v5, v11
;;     @001f store runtime aligned v12, v4+600
;;     @001f return v10
;;
;; block2:
;;     @001a store runtime aligned v5, v4+600
;;     @001a trap out_of_fuel
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     v34 = iconst.i32 0
;;     @0024 v4 = load.i64 vmctx readonly aligned v0
;;     @0024 v5 = load.i64 runtime aligned v4+600
;;     @0024 v6 = iconst.i64 0
;;     @0024 v7 = icmp sge v5, v6
;;     @0024 brif v7, block2, block3
;;
;; block3:
;;     @0024 v9 = load.i64 runtime aligned v0
;;     @0024 v10 = load.i64 runtime aligned v9+584
;;     @0024 v11 = load.i64 runtime aligned v10
;;     @0024 v12 = load.i64 runtime aligned v9+592
;;     @0024 v13 = icmp uge v11, v12
;;     @0024 trapnz v13, interrupt
;;     @0024 jump block4(v5, v34)
;;
;; block4(v14: i64, v23: i32):
;;     @0024 v15 = iconst.i64 0
;;     @0024 v16 = icmp sge v14, v15
;;     @0024 brif v16, block5, block6
;;
;; block6:
;;     @0024 v18 = load.i64 runtime aligned v0
;;     @0024 v19 = load.i64 runtime aligned v18+584
;;     @0024 v20 = load.i64 runtime aligned v19
;;     @0024 v21 = load.i64 runtime aligned v18+592
;;     @0024 v22 = icmp uge v20, v21
;;     @0024 trapnz v22, interrupt
;;     @0028 v24 = iconst.i64 2
;;     @0028 v25 = iadd.i64 v14, v24
;;     @0028 store runtime aligned v25, v4+600
;;     @0028 v27 = call fn0(v0, v0, v23)
;;     @0028 v29 = load.i64 runtime aligned v4+600
;;     @0030 v31 = icmp ult v27, v2
;;     @0031 v32 = iconst.i64 5
;;     @0031 v33 = iadd.i64 v29, v32
;;     @0031 brif v31, block4(v33, v27), block7
;;
;; block7:
;;     @0036 v35 = iconst.i64 2
;;     @0036 v36 = iadd.i64 v33, v35
;;     @0036 brif v27, block9, block10
;;
;; block9:
;;     @0038 v38 = iconst.i32 1
;;     @003a v39 = iconst.i64 1
;;     @003a v40 = iadd.i64 v36, v39
;;     @003a jump block8(v38)
;;
;; block10:
;;     @003b store runtime aligned v36, v4+600
;;     @003b trap unreachable
;;
;; block8(v37: i32):
;;     @003d store runtime aligned v40, v4+600
;;     @003d return v37
;;
;; block2:
;;     @0024 store runtime aligned v5, v4+600
;;     @0024 trap out_of_fuel
;;
;; block5:
;;     @0024 store runtime aligned v14, v4+600
;;     @0024 trap out_of_fuel
;; }
