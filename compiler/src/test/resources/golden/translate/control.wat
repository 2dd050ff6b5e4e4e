;; Structured control: block results, loops with parameters, if/else with parameters, br_if,
;; br_table, select, return, and dead code after br skipped.
(module
  (func $count (param i32) (result i32)
    (local i32)
    block $done
      loop $again
        local.get 0
        i32.eqz
        br_if $done
        local.get 1
        i32.const 1
        i32.add
        local.set 1
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        br $again
        i32.const 99
        drop
      end
    end
    local.get 1)
  (func $swap (param i32 i32) (result i32 i32)
    local.get 1
    local.get 0)
  (func $pick (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    if (param i32 i32) (result i32)
      i32.add
    else
      i32.sub
    end)
  (func $switch (param i32) (result i32)
    block $b2 (result i32)
      block $b1
        block $b0
          local.get 0
          br_table $b0 $b1 $b1
        end
        i32.const 10
        return
      end
      i32.const 20
    end)
  (func $sel (param i64 i64 i32) (result i64)
    local.get 0
    local.get 1
    local.get 2
    select)
  (func $loopsum (param i32) (result i32)
    i32.const 0
    loop (param i32) (result i32)
      local.get 0
      i32.add
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if 0
    end)
  (func $dead (result i32)
    unreachable
    i32.add))
;; expect:
;; function u0:0(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     v11 = iconst.i32 0
;;     @0042 jump block3(v2, v11)
;;
;; block3(v4: i32, v6: i32):
;;     @0046 v5 = eqz v4
;;     @0047 brif v5, block2, block4
;;
;; block4:
;;     @004b v7 = iconst.i32 1
;;     @004d v8 = iadd.i32 v6, v7
;;     @0052 v9 = iconst.i32 1
;;     @0054 v10 = isub.i32 v4, v9
;;     @0057 jump block3(v10, v8)
;;
;; block2:
;;     @0061 return v6
;; }
;;
;; function u0:1(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32, i32 {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32):
;;     @0068 return v3, v2
;; }
;;
;; function u0:2(i64 vmctx, i64 caller_vmctx, i32, i32, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32, v3: i32, v4: i32):
;;     @0071 brif v4, block3, block4
;;
;; block3:
;;     @0073 v7 = iadd.i32 v2, v3
;;     @0074 jump block2(v7)
;;
;; block4:
;;     @0075 v8 = isub.i32 v2, v3
;;     @0076 jump block2(v8)
;;
;; block2(v6: i32):
;;     @0077 return v6
;; }
;;
;; function u0:3(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @0082 br_table v2, block5, [block4, block5]
;;
;; block5:
;;     @0082 jump block3
;;
;; block4:
;;     @0088 v5 = iconst.i32 10
;;     @008a return v5
;;
;; block3:
;;     @008c v6 = iconst.i32 20
;;     @008e jump block2(v6)
;;
;; block2(v4: i32):
;;     @008f return v4
;; }
;;
;; function u0:4(i64 vmctx, i64 caller_vmctx, i64, i64, i32) -> i64 {
;; block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i32):
;;     @0098 v6 = select.i64 v4, v2, v3
;;     @0099 return v6
;; }
;;
;; function u0:5(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
;; block0(v0: i64, v1: i64, v2: i32):
;;     @009c v4 = iconst.i32 0
;;     @009e jump block2(v4, v2)
;;
;; block2(v5: i32, v6: i32):
;;     @00a2 v7 = iadd.i32 v5, v6
;;     @00a5 v8 = iconst.i32 1
;;     @00a7 v9 = isub.i32 v6, v8
;;     @00aa brif v9, block2(v7, v9), block3
;;
;; block3:
;;     @00ad return v7
;; }
;;
;; function u0:6(i64 vmctx, i64 caller_vmctx) -> i32 {
;; block0(v0: i64, v1: i64):
;;     @00b0 trap unreachable
;; }
