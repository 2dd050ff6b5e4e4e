package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values a landing pad reads survive the throw on both targets, now that a call with an exceptional
 * edge clobbers only what a plain call does (issue 38): the unwinder restores no register, so what
 * the pad (or code reached from it) reads must be in its spill slot, while the throwers ({@code
 * $clob}, {@code $mv}, {@code $galloc}) keep twelve i32 and eight f64 values, or references, live
 * across a call of their own and so overwrite callee-saved registers before they throw. The shapes:
 * many values (spills) in a loop whose pad falls back into it; nested pads where the inner one
 * rethrows ({@code throw_ref}) to the outer; the legacy {@code rethrow} and {@code delegate}; tail
 * calls inside a {@code try_table}, whose throw the caller catches; references live into the pad
 * while every allocation may move them; three-result calls, a {@code br_table} out of the pad and a
 * {@code br} to the pad's label on the normal path. The expected values are binaryen 132's
 * interpreter's ({@code wasm-opt --fuzz-exec-before}) for the same module. Worth running also with
 * {@code -Dkiln.regalloc.check=true} and {@code -Dkiln.gc.collectAtEveryAllocation=true}.
 */
class LandingPadLiveValuesTest {
  private static final String WAT = """
      (module
        (type $ii (func (param i32) (result i32)))
        (type $mvt (func (param i32) (result i32 i64 f64)))
        (type $box (struct (field i32)))
        (type $arr (array (mut i32)))
        (tag $e (param i32))
        (tag $r (param (ref $box)))
        (table $tab 4 funcref)
        (elem declare func $id $clob $galloc $mv)
        (func $start
          (table.set $tab (i32.const 0) (ref.func $id))
          (table.set $tab (i32.const 1) (ref.func $clob))
          (table.set $tab (i32.const 2) (ref.func $galloc))
          (table.set $tab (i32.const 3) (ref.func $mv)))
        (start $start)
        (func $id (param $x i32) (result i32) (local.get $x))
        ;; twelve i32 and eight f64 values live across a call (so in callee-saved registers), then a throw
        ;; of $e (x*7) when x % 3 == 0: the unwinder leaves those registers as this frame left them
        (func $clob (param $x i32) (result i32) (local $a0 i32) (local $a1 i32) (local $a2 i32)
          (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32)
          (local $a8 i32) (local $a9 i32) (local $a10 i32) (local $a11 i32) (local $f0 f64)
          (local $f1 f64) (local $f2 f64) (local $f3 f64) (local $f4 f64) (local $f5 f64)
          (local $f6 f64) (local $f7 f64) (local $y i32)
          (local.set $a0 (i32.add (i32.mul (local.get $x) (i32.const 1)) (i32.const 0)))
          (local.set $a1 (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))
          (local.set $a2 (i32.add (i32.mul (local.get $x) (i32.const 5)) (i32.const 4)))
          (local.set $a3 (i32.add (i32.mul (local.get $x) (i32.const 7)) (i32.const 9)))
          (local.set $a4 (i32.add (i32.mul (local.get $x) (i32.const 9)) (i32.const 16)))
          (local.set $a5 (i32.add (i32.mul (local.get $x) (i32.const 11)) (i32.const 25)))
          (local.set $a6 (i32.add (i32.mul (local.get $x) (i32.const 13)) (i32.const 36)))
          (local.set $a7 (i32.add (i32.mul (local.get $x) (i32.const 15)) (i32.const 49)))
          (local.set $a8 (i32.add (i32.mul (local.get $x) (i32.const 17)) (i32.const 64)))
          (local.set $a9 (i32.add (i32.mul (local.get $x) (i32.const 19)) (i32.const 81)))
          (local.set $a10 (i32.add (i32.mul (local.get $x) (i32.const 21)) (i32.const 100)))
          (local.set $a11 (i32.add (i32.mul (local.get $x) (i32.const 23)) (i32.const 121)))
          (local.set $f0 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 0.5)))
          (local.set $f1 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 1.5)))
          (local.set $f2 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 2.5)))
          (local.set $f3 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 3.5)))
          (local.set $f4 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 4.5)))
          (local.set $f5 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 5.5)))
          (local.set $f6 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 6.5)))
          (local.set $f7 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 7.5)))
          (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
          (if
            (i32.eqz (i32.rem_u (local.get $x) (i32.const 3)))
            (then (throw $e (i32.mul (local.get $x) (i32.const 7)))))
          (i32.add
            (i32.add
              (i32.xor
                (i32.xor
                  (i32.xor
                    (i32.xor
                      (i32.xor
                        (i32.xor
                          (i32.xor
                            (i32.xor
                              (i32.xor
                                (i32.xor
                                  (i32.xor
                                    (i32.mul (local.get $a0) (i32.const 1))
                                    (i32.mul (local.get $a1) (i32.const 2)))
                                  (i32.mul (local.get $a2) (i32.const 3)))
                                (i32.mul (local.get $a3) (i32.const 4)))
                              (i32.mul (local.get $a4) (i32.const 5)))
                            (i32.mul (local.get $a5) (i32.const 6)))
                          (i32.mul (local.get $a6) (i32.const 7)))
                        (i32.mul (local.get $a7) (i32.const 8)))
                      (i32.mul (local.get $a8) (i32.const 9)))
                    (i32.mul (local.get $a9) (i32.const 10)))
                  (i32.mul (local.get $a10) (i32.const 11)))
                (i32.mul (local.get $a11) (i32.const 12)))
              (local.get $y))
            (i32.trunc_f64_s
              (f64.add
                (f64.add
                  (f64.add
                    (f64.add
                      (f64.add
                        (f64.add (f64.add (local.get $f0) (local.get $f1)) (local.get $f2))
                        (local.get $f3))
                      (local.get $f4))
                    (local.get $f5))
                  (local.get $f6))
                (local.get $f7)))))
        ;; many values live across calls in a loop; the pad reads half of them and falls back into the
        ;; loop
        (func (export "loop-pad") (param $n i32) (result i32) (local $i i32) (local $acc i32)
          (local $v0 i32) (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32)
          (local $v5 i32) (local $v6 i32) (local $v7 i32) (local $v8 i32) (local $v9 i32)
          (local $v10 i32) (local $v11 i32) (local $g0 f64) (local $g1 f64) (local $g2 f64)
          (local $g3 f64)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (local.set $g0 (f64.convert_i32_s (local.get $n)))
          (local.set $g1 (f64.const 0.25))
          (local.set $g2 (f64.const 0.5))
          (local.set $g3 (f64.const 0.75))
          (loop $l
            (block $next
              (block $pad (result i32)
                (try_table (catch $e $pad)
                  (local.set $acc
                    (i32.add
                      (local.get $acc)
                      (i32.add
                        (call_indirect (type $ii)
                          (i32.add (local.get $i) (local.get $n))
                          (i32.const 1))
                        (i32.add
                          (i32.add
                            (i32.add
                              (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2))
                              (local.get $v3))
                            (local.get $v4))
                          (local.get $v5)))))
                  (local.set $v0 (i32.add (local.get $v0) (local.get $acc)))
                  (local.set $g0 (f64.add (local.get $g0) (f64.const 1.5))))
                (br $next))
              (local.set $acc
                (i32.add
                  (i32.add (local.get $acc))
                  (i32.add
                    (i32.add
                      (i32.add
                        (i32.add
                          (i32.add (i32.add (local.get $v6) (local.get $v7)) (local.get $v8))
                          (local.get $v9))
                        (local.get $v10))
                      (local.get $v11))
                    (i32.trunc_f64_s
                      (f64.add
                        (f64.add (local.get $g0) (local.get $g1))
                        (f64.add (local.get $g2) (local.get $g3)))))))
              (local.set $v6 (i32.add (local.get $v6) (local.get $i)))
              (local.set $g1 (f64.mul (local.get $g1) (f64.const 2.0)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 12))))
          (i32.add
            (i32.add
              (local.get $acc)
              (i32.add
                (i32.add
                  (i32.add
                    (i32.add
                      (i32.add
                        (i32.add
                          (i32.add
                            (i32.add
                              (i32.add
                                (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2))
                                (local.get $v3))
                              (local.get $v4))
                            (local.get $v5))
                          (local.get $v6))
                        (local.get $v7))
                      (local.get $v8))
                    (local.get $v9))
                  (local.get $v10))
                (local.get $v11)))
            (i32.trunc_f64_s
              (f64.add
                (f64.add (local.get $g0) (local.get $g1))
                (f64.add (local.get $g2) (local.get $g3))))))
        ;; nested pads: the inner one reads some values and rethrows, the outer one reads the others
        (func (export "nested-rethrow") (param $n i32) (result i32) (local $acc i32)
          (local $ex exnref) (local $v0 i32) (local $v1 i32) (local $v2 i32) (local $v3 i32)
          (local $v4 i32) (local $v5 i32) (local $v6 i32) (local $v7 i32) (local $v8 i32)
          (local $v9 i32) (local $v10 i32) (local $v11 i32)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (block $outer (result i32 exnref)
            (try_table (catch_ref $e $outer)
              (block $inner (result i32 exnref)
                (try_table (catch_ref $e $inner)
                  (local.set $acc (call_indirect (type $ii) (local.get $n) (i32.const 1))))
                (return
                  (i32.add
                    (local.get $acc)
                    (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2)))))
              (local.set $ex)
              (local.set $acc
                (i32.add
                  (i32.mul (i32.const 3))
                  (i32.add (i32.add (local.get $v3) (local.get $v4)) (local.get $v5))))
              (local.set $v3 (i32.const 77))
              (throw_ref (local.get $ex)))
            (unreachable))
          (local.set $ex)
          (i32.add
            (i32.add (local.get $acc))
            (i32.add
              (i32.add
                (i32.add
                  (i32.add
                    (i32.add
                      (i32.add (i32.add (local.get $v3) (local.get $v6)) (local.get $v7))
                      (local.get $v8))
                    (local.get $v9))
                  (local.get $v10))
                (local.get $v11))
              (i32.const 0))))
        ;; the legacy instructions: a catch that rethrows to an outer try, and a delegate
        (func (export "legacy") (param $n i32) (result i32) (local $acc i32) (local $v0 i32)
          (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32) (local $v5 i32)
          (local $v6 i32) (local $v7 i32) (local $v8 i32) (local $v9 i32) (local $v10 i32)
          (local $v11 i32)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (try (result i32)
            (do
              (try (result i32)
                (do (call_indirect (type $ii) (local.get $n) (i32.const 1)))
                (catch $e
                  (local.set $acc
                    (i32.add (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2))))
                  (local.set $v3 (i32.add (local.get $v3) (local.get $acc)))
                  (rethrow 0))))
            (catch $e
              (i32.add
                (i32.add (local.get $acc))
                (i32.add
                  (i32.add (i32.add (local.get $v3) (local.get $v4)) (local.get $v5))
                  (local.get $v6))))
            (catch_all (i32.const -1))))
        (func (export "legacy-delegate") (param $n i32) (result i32) (local $acc i32) (local $v0 i32)
          (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32) (local $v5 i32)
          (local $v6 i32) (local $v7 i32) (local $v8 i32) (local $v9 i32) (local $v10 i32)
          (local $v11 i32)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (try $t (result i32)
            (do
              (try (result i32)
                (do
                  (try (result i32)
                    (do (call_indirect (type $ii) (local.get $n) (i32.const 1)))
                    (delegate $t)))
                (catch_all (i32.const -5))))
            (catch $e
              (i32.add
                (i32.mul (i32.const 2))
                (i32.add
                  (i32.add
                    (i32.add (i32.add (local.get $v7) (local.get $v8)) (local.get $v9))
                    (local.get $v10))
                  (local.get $v11))))))
        ;; a tail call inside a try_table leaves its frame: the throw is the caller's to catch
        (func $tc (param $x i32) (result i32)
          (block $h
            (try_table (catch_all $h) (return_call_indirect (type $ii) (local.get $x) (i32.const 1))))
          (i32.const -999))
        (func $tcd (param $x i32) (result i32)
          (block $h (try_table (catch_all $h) (return_call $clob (local.get $x))))
          (i32.const -888))
        (func (export "tail") (param $n i32) (result i32) (local $acc i32) (local $v0 i32)
          (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32) (local $v5 i32)
          (local $v6 i32) (local $v7 i32) (local $v8 i32) (local $v9 i32) (local $v10 i32)
          (local $v11 i32)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (block $pad (result i32)
            (try_table (catch $e $pad)
              (local.set $acc (call $tc (local.get $n)))
              (local.set $acc
                (i32.add (local.get $acc) (call $tcd (i32.add (local.get $n) (i32.const 1)))))
              (return
                (i32.add
                  (local.get $acc)
                  (i32.add
                    (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2))
                    (local.get $v3)))))
            (unreachable))
          (i32.add
            (i32.add (local.get $acc))
            (i32.add
              (i32.add
                (i32.add
                  (i32.add
                    (i32.add
                      (i32.add (i32.add (local.get $v4) (local.get $v5)) (local.get $v6))
                      (local.get $v7))
                    (local.get $v8))
                  (local.get $v9))
                (local.get $v10))
              (local.get $v11))))
        ;; allocates, keeps references live across a call, throws $r when x is even
        (func $galloc (param $x i32) (result i32) (local $s1 (ref null $box))
          (local $s2 (ref null $arr)) (local $y i32)
          (local.set $s1 (struct.new $box (i32.add (local.get $x) (i32.const 1))))
          (local.set $s2 (array.new $arr (local.get $x) (i32.const 5)))
          (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
          (if
            (i32.eqz (i32.and (local.get $x) (i32.const 1)))
            (then
              (throw $r
                (struct.new $box
                  (i32.add
                    (i32.mul (local.get $x) (i32.const 11))
                    (i32.add
                      (struct.get $box 0 (local.get $s1))
                      (array.get $arr (local.get $s2) (i32.const 2))))))))
          (i32.add
            (local.get $y)
            (i32.add (struct.get $box 0 (local.get $s1)) (array.len (local.get $s2)))))
        ;; references live into the pad and across the call on the normal path only
        (func (export "gc-pad") (param $n i32) (result i32) (local $i i32) (local $acc i32)
          (local $j i32) (local $b1 (ref null $box)) (local $b2 (ref null $box))
          (local $b3 (ref null $box)) (local $b4 (ref null $box)) (local $a (ref null $arr))
          (local.set $b3 (struct.new $box (i32.const 300)))
          (local.set $b4 (struct.new $box (i32.const 4000)))
          (loop $l
            (local.set $b1
              (struct.new $box (i32.add (i32.mul (local.get $i) (i32.const 10)) (i32.const 1))))
            (local.set $b2
              (struct.new $box (i32.add (i32.mul (local.get $i) (i32.const 10)) (i32.const 2))))
            (local.set $a (array.new $arr (local.get $i) (i32.const 4)))
            (local.set $j (i32.add (local.get $i) (local.get $n)))
            (block $next
              (block $pad (result (ref $box))
                (try_table (catch $r $pad)
                  (local.set $acc
                    (i32.add
                      (local.get $acc)
                      (i32.add
                        (call_indirect (type $ii) (local.get $j) (i32.const 2))
                        (struct.get $box 0 (local.get $b1))))))
                (br $next))
              (local.set $acc
                (i32.add
                  (struct.get $box 0)
                  (i32.add
                    (local.get $acc)
                    (i32.add
                      (i32.add
                        (struct.get $box 0 (local.get $b2))
                        (array.get $arr (local.get $a) (i32.const 3)))
                      (struct.get $box 0 (local.get $b3))))))
              (local.set $b3
                (struct.new $box (i32.add (struct.get $box 0 (local.get $b3)) (local.get $j)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 7))))
          (i32.add
            (local.get $acc)
            (i32.add (struct.get $box 0 (local.get $b3)) (struct.get $box 0 (local.get $b4)))))
        ;; three results; throws $e (x*5) when x % 4 == 1
        (func $mv (param $x i32) (result i32 i64 f64) (local $a0 i32) (local $a1 i32) (local $a2 i32)
          (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32)
          (local $a8 i32) (local $a9 i32) (local $a10 i32) (local $a11 i32) (local $f0 f64)
          (local $f1 f64) (local $f2 f64) (local $f3 f64) (local $f4 f64) (local $f5 f64)
          (local $f6 f64) (local $f7 f64) (local $y i32)
          (local.set $a0 (i32.add (i32.mul (local.get $x) (i32.const 1)) (i32.const 0)))
          (local.set $a1 (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))
          (local.set $a2 (i32.add (i32.mul (local.get $x) (i32.const 5)) (i32.const 4)))
          (local.set $a3 (i32.add (i32.mul (local.get $x) (i32.const 7)) (i32.const 9)))
          (local.set $a4 (i32.add (i32.mul (local.get $x) (i32.const 9)) (i32.const 16)))
          (local.set $a5 (i32.add (i32.mul (local.get $x) (i32.const 11)) (i32.const 25)))
          (local.set $a6 (i32.add (i32.mul (local.get $x) (i32.const 13)) (i32.const 36)))
          (local.set $a7 (i32.add (i32.mul (local.get $x) (i32.const 15)) (i32.const 49)))
          (local.set $a8 (i32.add (i32.mul (local.get $x) (i32.const 17)) (i32.const 64)))
          (local.set $a9 (i32.add (i32.mul (local.get $x) (i32.const 19)) (i32.const 81)))
          (local.set $a10 (i32.add (i32.mul (local.get $x) (i32.const 21)) (i32.const 100)))
          (local.set $a11 (i32.add (i32.mul (local.get $x) (i32.const 23)) (i32.const 121)))
          (local.set $f0 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 0.5)))
          (local.set $f1 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 1.5)))
          (local.set $f2 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 2.5)))
          (local.set $f3 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 3.5)))
          (local.set $f4 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 4.5)))
          (local.set $f5 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 5.5)))
          (local.set $f6 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 6.5)))
          (local.set $f7 (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 7.5)))
          (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
          (if
            (i32.eq (i32.rem_u (local.get $x) (i32.const 4)) (i32.const 1))
            (then (throw $e (i32.mul (local.get $x) (i32.const 5)))))
          (i32.xor
            (i32.xor
              (i32.xor
                (i32.xor
                  (i32.xor
                    (i32.xor
                      (i32.xor
                        (i32.xor
                          (i32.xor
                            (i32.xor
                              (i32.xor
                                (i32.mul (local.get $a0) (i32.const 1))
                                (i32.mul (local.get $a1) (i32.const 2)))
                              (i32.mul (local.get $a2) (i32.const 3)))
                            (i32.mul (local.get $a3) (i32.const 4)))
                          (i32.mul (local.get $a4) (i32.const 5)))
                        (i32.mul (local.get $a5) (i32.const 6)))
                      (i32.mul (local.get $a6) (i32.const 7)))
                    (i32.mul (local.get $a7) (i32.const 8)))
                  (i32.mul (local.get $a8) (i32.const 9)))
                (i32.mul (local.get $a9) (i32.const 10)))
              (i32.mul (local.get $a10) (i32.const 11)))
            (i32.mul (local.get $a11) (i32.const 12)))
          (i64.extend_i32_u (local.get $y))
          (f64.add
            (f64.add
              (f64.add
                (f64.add
                  (f64.add
                    (f64.add (f64.add (local.get $f0) (local.get $f1)) (local.get $f2))
                    (local.get $f3))
                  (local.get $f4))
                (local.get $f5))
              (local.get $f6))
            (local.get $f7)))
        ;; multi-value results under a handler; br_table out of the pad; a br to the pad's label on the
        ;; normal path
        (func (export "multi") (param $n i32) (result i32) (local $i i32) (local $acc i32)
          (local $p i32) (local $w i64) (local $d f64) (local $v0 i32) (local $v1 i32) (local $v2 i32)
          (local $v3 i32) (local $v4 i32) (local $v5 i32) (local $v6 i32) (local $v7 i32)
          (local $v8 i32) (local $v9 i32) (local $v10 i32) (local $v11 i32)
          (local.set $v0 (i32.add (local.get $n) (i32.const 0)))
          (local.set $v1 (i32.add (local.get $n) (i32.const 1000)))
          (local.set $v2 (i32.add (local.get $n) (i32.const 2000)))
          (local.set $v3 (i32.add (local.get $n) (i32.const 3000)))
          (local.set $v4 (i32.add (local.get $n) (i32.const 4000)))
          (local.set $v5 (i32.add (local.get $n) (i32.const 5000)))
          (local.set $v6 (i32.add (local.get $n) (i32.const 6000)))
          (local.set $v7 (i32.add (local.get $n) (i32.const 7000)))
          (local.set $v8 (i32.add (local.get $n) (i32.const 8000)))
          (local.set $v9 (i32.add (local.get $n) (i32.const 9000)))
          (local.set $v10 (i32.add (local.get $n) (i32.const 10000)))
          (local.set $v11 (i32.add (local.get $n) (i32.const 11000)))
          (loop $l
            (block $done
              (block $b1
                (block $b0
                  (block $pad (result i32)
                    (try_table (catch $e $pad)
                      (call_indirect (type $mvt)
                        (i32.add (local.get $i) (local.get $n))
                        (i32.const 3))
                      (local.set $d)
                      (local.set $w)
                      (local.set $acc
                        (i32.add
                          (i32.add (local.get $acc))
                          (i32.add (i32.wrap_i64 (local.get $w)) (i32.trunc_f64_s (local.get $d)))))
                      (local.set $acc
                        (i32.add (local.get $acc) (i32.add (local.get $v0) (local.get $v1))))
                      (drop
                        (br_if $pad
                          (i32.const 3000)
                          (i32.eqz (i32.rem_u (local.get $i) (i32.const 5))))))
                    (br $done))
                  (local.set $p)
                  (local.set $acc
                    (i32.add
                      (i32.add (local.get $acc) (local.get $p))
                      (i32.add (local.get $v2) (local.get $v3))))
                  (br_table $b0 $b1 $done (i32.rem_u (local.get $p) (i32.const 3))))
                (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $v4) (i32.const 2))))
                (local.set $v4 (i32.add (local.get $v4) (i32.const 1)))
                (br $done))
              (local.set $acc (i32.add (local.get $acc) (i32.sub (local.get $v5) (local.get $v6))))
              (local.set $v6 (i32.add (local.get $v6) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
          (i32.add
            (local.get $acc)
            (i32.add
              (i32.add
                (i32.add
                  (i32.add
                    (i32.add
                      (i32.add
                        (i32.add
                          (i32.add
                            (i32.add
                              (i32.add (i32.add (local.get $v0) (local.get $v1)) (local.get $v2))
                              (local.get $v3))
                            (local.get $v4))
                          (local.get $v5))
                        (local.get $v6))
                      (local.get $v7))
                    (local.get $v8))
                  (local.get $v9))
                (local.get $v10))
              (local.get $v11)))))
      """;

  /** Export, argument, binaryen 132's result. */
  private static final List<String> EXPECTED = List.of(
      "loop-pad, 0, 136570413",
      "loop-pad, 1, 144372139",
      "loop-pad, 2, 80033660",
      "loop-pad, 3, 142031449",
      "loop-pad, 5, 80390370",
      "nested-rethrow, 0, 63077",
      "nested-rethrow, 1, 3390",
      "nested-rethrow, 2, 4122",
      "nested-rethrow, 3, 63188",
      "nested-rethrow, 5, 3486",
      "legacy, 0, 24000",
      "legacy, 1, 387",
      "legacy, 2, 1116",
      "legacy, 3, 24093",
      "legacy, 5, 471",
      "legacy-delegate, 0, 45000",
      "legacy-delegate, 1, 387",
      "legacy-delegate, 2, 1116",
      "legacy-delegate, 3, 45057",
      "legacy-delegate, 5, 471",
      "tail, 0, 60000",
      "tail, 1, 7507",
      "tail, 2, 61153",
      "tail, 3, 60045",
      "tail, 5, 60553",
      "gc-pad, 0, 5949",
      "gc-pad, 1, 5664",
      "gc-pad, 2, 6085",
      "gc-pad, 3, 5770",
      "gc-pad, 5, 5876",
      "multi, 0, 129304",
      "multi, 1, 136991",
      "multi, 2, 157229",
      "multi, 3, 163360",
      "multi, 5, 146491");

  @ParameterizedTest
  @EnumSource(Target.class)
  void valuesThePadReadsSurviveTheThrow(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      for (String row : EXPECTED) {
        String[] field = row.split(", ");
        int argument = Integer.parseInt(field[1]);
        assertEquals(Integer.parseInt(field[2]), (int) instance.invoke(field[0], argument).get(0).bits(),
            field[0] + "(" + argument + ")");
      }
    }
  }
}
