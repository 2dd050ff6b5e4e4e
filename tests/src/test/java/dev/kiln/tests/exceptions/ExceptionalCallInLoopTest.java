package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Indirect calls under a {@code try_table} inside a loop compile and catch on both targets (the 3.0
 * differential fuzzer's seeds 1028, 1031 and 113676618398332: "no INT register left"). What the
 * landing pad of a call with an exceptional edge reads is in no register across it, and its target
 * address is a register operand; the address of a {@code call_indirect} through a table or a {@code
 * call_ref} of a local is loop-invariant, is hoisted out of the loop and so lives on into the pad,
 * where no register can hold it. The shapes: one tag caught three times into one label, nested {@code try_table}s
 * sending {@code catch_ref} and {@code catch_all_ref} to one label with two calls of one reference,
 * and a {@code br_table} to the label a {@code catch_all} targets. The expected values are
 * binaryen 132's interpreter's ({@code wasm-shell}) for the same module.
 */
class ExceptionalCallInLoopTest {
  private static final String WAT = """
      (module
        (type $v (func))
        (type $arr (array (mut i32)))
        (tag $t (param (ref $arr)))
        (tag $u (param i32))
        (table $tab 2 funcref)
        (global $n (mut i32) (i32.const 0))
        (func $maythrow
          (global.set $n (i32.add (global.get $n) (i32.const 1)))
          (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 3)))
            (then (throw $t (array.new $arr (global.get $n) (i32.const 1)))))
          (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 5)))
            (then (throw $u (global.get $n)))))
        (func $throwT
          (global.set $n (i32.add (global.get $n) (i32.const 1)))
          (if (i32.eqz (i32.rem_u (global.get $n) (i32.const 3)))
            (then (throw $t (array.new $arr (global.get $n) (i32.const 1))))))
        (elem declare func $maythrow $throwT)
        ;; filled at run time, so the table's slots are not known when compiling
        (func $start
          (table.set $tab (i32.const 0) (ref.func $throwT))
          (table.set $tab (i32.const 1) (ref.func $maythrow)))
        (start $start)
        ;; one tag caught three times into one label, around a loop: the callee's address is loop-invariant
        (func (export "three-catches") (param $k i32) (result i32)
          (local $sum i32) (local $i i32)
          (global.set $n (i32.const 0))
          (loop $l
            (local.set $sum (i32.add (local.get $sum)
              (array.get $arr
                (block $b (result (ref $arr))
                  (try_table (catch $t $b) (catch $t $b) (catch $t $b)
                    (call_indirect (type $v) (local.get $k)))
                  (array.new $arr (i32.const 100) (i32.const 1)))
                (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
          (local.get $sum))
        ;; nested try_tables sending catch_ref and catch_all_ref to one label, two calls of one reference
        (func $nested (export "nested") (param $f (ref $v)) (result i32)
          (local $c i32) (local $i i32)
          (global.set $n (i32.const 0))
          (loop $l
            (block $next
              (block $b (result exnref)
                (try_table (catch_all_ref $b)
                  (block $inner (result i32 exnref)
                    (try_table (catch_ref $u $inner) (catch_all_ref $b)
                      (call_ref $v (local.get $f))
                      (call_ref $v (local.get $f)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $next))
                  (drop)
                  (local.set $c (i32.add (local.get $c)))
                  (br $next))
                (br $next))
              (drop)
              (local.set $c (i32.add (local.get $c) (i32.const 1000))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
          (local.get $c))
        (func (export "nested-entry") (result i32) (call $nested (ref.func $maythrow)))
        ;; a br_table to the label a catch_all sends exceptions to, in a loop
        (func (export "table-to-pad") (param $k i32) (result i32)
          (local $c i32) (local $i i32)
          (global.set $n (i32.const 0))
          (loop $l
            (block $b
              (block $b0
                (local.set $c (i32.add (local.get $c)
                  (block $b1 (result i32)
                    (try_table (catch $u $b1) (catch_all $b) (catch $u $b1)
                      (call_indirect (type $v) (local.get $k))
                      (call_indirect (type $v) (local.get $k))
                      (br_table $b $b0 $b (i32.and (local.get $i) (i32.const 1))))
                    (unreachable))))
                (br $b))
              (local.set $c (i32.add (local.get $c) (i32.const 10000))))
            (local.set $c (i32.add (local.get $c) (i32.const 100)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 6))))
          (local.get $c))
      )
      """;

  /**
   * A {@code call_indirect} through a table whose slots never change (compiled as compares with its
   * slots and direct calls) under a {@code try_table}: each of its calls keeps the handler (seed 1028).
   */
  private static final String FIXED_TABLE_WAT = """
      (module
        (type $v (func))
        (type $arr (array (mut i32)))
        (tag $t (param (ref $arr)))
        (table $tab 2 funcref)
        (elem (table $tab) (i32.const 0) func $thrower $quiet)
        (func $thrower (throw $t (array.new $arr (i32.const 5) (i32.const 2))))
        (func $quiet)
        (func (export "payload") (param $k i32) (result i32)
          (array.get $arr
            (block $b (result (ref $arr))
              (try_table (catch $t $b) (call_indirect (type $v) (local.get $k)))
              (array.new $arr (i32.const -1) (i32.const 1)))
            (i32.const 0)))
        (func (export "all") (param $k i32) (result i32)
          (block $b
            (try_table (catch_all $b) (call_indirect (type $v) (local.get $k)))
            (return (i32.const -1)))
          (i32.const 7)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void fixedTableIndirectCallsUnderAHandlerCatch(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(FIXED_TABLE_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(5, instance.invoke("payload", 0).get(0).bits(), "caught with its payload");
      assertEquals(-1, (int) instance.invoke("payload", 1).get(0).bits(), "nothing thrown");
      assertEquals(7, instance.invoke("all", 0).get(0).bits(), "caught by catch_all");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void loopInvariantCalleesUnderAHandlerCompileAndCatch(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      // 6 x 100 not thrown, plus the payloads of the throws at the third and sixth calls
      assertEquals(609, instance.invoke("three-catches", 0).get(0).bits());
      assertEquals(4017, instance.invoke("nested-entry").get(0).bits());
      assertEquals(605, instance.invoke("table-to-pad", 1).get(0).bits());
    }
  }
}
