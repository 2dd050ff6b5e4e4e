;; Epoch deadline and fuel checks (InterruptChecks): the entry reads the fuel count and the deadline
;; and checks the fuel, and the epoch only in a function that calls (the callee has no epoch check);
;; each loop header checks both (the epoch against the cached deadline, with a cold re-read before it
;; traps). Costs are added where control leaves straight-line code, the count
;; goes to the store before calls and returns and comes back after calls.
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
;;     @001c v11 = iconst.i32 1
;;     @001e v12 = iadd.i32 v2, v11
;;     @001f v13 = iconst.i64 3
;;     @001f v14 = iadd.i64 v5, v13
;;     @001f store runtime aligned v14, v4+600
;;     @001f return v12
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
;;     v42 = iconst.i32 0
;;     @0024 v4 = load.i64 vmctx readonly aligned v0
;;     @0024 v5 = load.i64 runtime aligned v4+600
;;     @0024 v6 = iconst.i64 0
;;     @0024 v7 = icmp sge v5, v6
;;     @0024 v20 = load.i64 vmctx readonly aligned v4+584
;;     @0024 brif v7, block2, block3
;;
;; block3:
;;     @0024 v10 = load.i64 vmctx aligned v4+592
;;     @0024 v13 = load.i64 runtime aligned v20
;;     @0024 v14 = icmp uge v13, v10
;;     @0024 trapnz v14, interrupt
;;     @0024 jump block4(v5, v10, v42)
;;
;; block4(v15: i64, v22: i64, v28: i32):
;;     @0024 v16 = iconst.i64 0
;;     @0024 v17 = icmp sge v15, v16
;;     @0024 brif v17, block5, block6
;;
;; block6:
;;     @0024 v21 = load.i64 runtime aligned v20
;;     @0024 v23 = icmp uge v21, v22
;;     @0024 brif v23, block7, block8(v22)
;;
;; block8(v41: i64):
;;     @0028 v30 = iconst.i64 2
;;     @0028 v31 = iadd.i64 v15, v30
;;     @0028 store runtime aligned v31, v4+600
;;     @0028 v33 = call fn0(v0, v0, v28)
;;     @0028 v35 = load.i64 runtime aligned v4+600
;;     @0030 v38 = icmp ult v33, v2
;;     @0031 v39 = iconst.i64 5
;;     @0031 v40 = iadd.i64 v35, v39
;;     @0031 brif v38, block4(v40, v41, v33), block9
;;
;; block9:
;;     @0036 v43 = iconst.i64 2
;;     @0036 v44 = iadd.i64 v40, v43
;;     @0036 brif v33, block11, block12
;;
;; block11:
;;     @0038 v46 = iconst.i32 1
;;     @003a v47 = iconst.i64 1
;;     @003a v48 = iadd.i64 v44, v47
;;     @003a jump block10(v46)
;;
;; block12:
;;     @003b store runtime aligned v44, v4+600
;;     @003b trap unreachable
;;
;; block10(v45: i32):
;;     @003d store runtime aligned v48, v4+600
;;     @003d return v45
;;
;; block2:
;;     @0024 store runtime aligned v5, v4+600
;;     @0024 trap out_of_fuel
;;
;; block5:
;;     @0024 store runtime aligned v15, v4+600
;;     @0024 trap out_of_fuel
;;
;; block7:
;;     @0024 v25 = load.i64 vmctx aligned v4+592
;;     @0024 v26 = icmp uge v21, v25
;;     @0024 trapnz v26, interrupt
;;     @0024 jump block8(v25)
;; }
