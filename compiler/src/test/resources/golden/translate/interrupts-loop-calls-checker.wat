;; Epoch checks (InterruptChecks) in a loop whose body calls, before any branch, a function that
;; checks the epoch at its entry (one that calls): the loop header has no check of its own, since
;; every iteration passes the callee's (shootout-fib2's shape). The second loop calls only after a
;; br_if that can go round without calling, so its header keeps its check.
;; limits: epoch_interruption
(module
  (import "env" "log" (func $log (param i32)))
  (func $checker (param i32) (result i32)
    local.get 0
    call $log
    local.get 0)
  (func (param i32) (result i32)
    (local i32)
    (loop $first
      local.get 0
      call $checker
      local.set 1
      local.get 1
      br_if $first)
    (loop $second
      local.get 1
      br_if $second
      local.get 0
      call $checker
      drop)
    local.get 1))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32)
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @002b v4 = load.i64 runtime aligned v0
;;     @002b v5 = load.i64 runtime aligned v4+584
;;     @002b v6 = load.i64 runtime aligned v5
;;     @002b v7 = load.i64 runtime aligned v4+592
;;     @002b v8 = icmp uge v6, v7
;;     @002b trapnz v8, interrupt
;;     @002d v9 = load.i64 vmctx readonly aligned v0+96
;;     @002d v10 = load.i64 vmctx readonly aligned v0+112
;;     @002d call_indirect sig0, v9(v10, v0, v2)
;;     @0031 return v2
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;;     sig0 = (i64 vmctx, i64 caller_vmctx, i32) -> i32
;;     fn0 = u0:0 sig0
;;
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0036 v4 = load.i64 runtime aligned v0
;;     @0036 v5 = load.i64 runtime aligned v4+584
;;     @0036 v6 = load.i64 runtime aligned v5
;;     @0036 v7 = load.i64 runtime aligned v4+592
;;     @0036 v8 = icmp uge v6, v7
;;     @0036 trapnz v8, interrupt
;;     @0036 jump block2
;;
;; block2:
;;     @003a v10 = call fn0(v0, v0, v2)
;;     @0040 brif v10, block2, block3
;;
;; block3:
;;     @0043 jump block4
;;
;; block4:
;;     @0043 v11 = load.i64 runtime aligned v0
;;     @0043 v12 = load.i64 runtime aligned v11+584
;;     @0043 v13 = load.i64 runtime aligned v12
;;     @0043 v14 = load.i64 runtime aligned v11+592
;;     @0043 v15 = icmp uge v13, v14
;;     @0043 trapnz v15, interrupt
;;     @0047 brif v10, block4, block5
;;
;; block5:
;;     @004b v18 = call fn0(v0, v0, v2)
;;     @0051 return v10
;; }
