;; An exception thrown 10 frames below its try_table: run(n) calls $down n times; $down recurses
;; until depth 0, which throws $e with the value it was given; the try_table in run catches it with
;; that value, so the unwinder passes through the 10 frames of $down each time. Returns the sum of
;; the payloads, n (n - 1) / 2. The tail call on a path never taken keeps $down out of line: Kiln's
;; inliner unrolls a recursive callee once but takes no callee with a tail call, so every engine
;; keeps the 10 frames.
(module
  (tag $e (param i64))
  (func $down (param $depth i32) (param $x i64) (result i64)
    (if (i32.eqz (local.get $depth))
      (then (throw $e (local.get $x))))
    (if (i32.lt_s (local.get $depth) (i32.const 0))
      (then (return_call $down (i32.const 0) (local.get $x))))
    ;; the addition after the call keeps it an ordinary call, not a tail call
    (i64.add (call $down (i32.sub (local.get $depth) (i32.const 1)) (local.get $x)) (i64.const 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32)
    (local $sum i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $each
        (local.set $sum (i64.add (local.get $sum)
          (block $caught (result i64)
            (try_table (result i64) (catch $e $caught)
              ;; depth 9: the frames of $down at depths 9..0, ten in all, lie below run's try_table
              (call $down (i32.const 9) (i64.extend_i32_u (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $sum)))
