package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.link.ImportNamespace;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.GcStress;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The collector under its debug mode ({@link GcStress}: every allocation of compiled code collects,
 * and the heap verifier checks the heap and every root after each collection), on x86-64 and
 * AArch64: linked lists, trees and arrays of references, held in a global, in table slots, in
 * locals and on the operand stack across calls, and in an exception's payload and a local across a
 * {@code try_table} catch, and in the frames of an activation waiting in a host call while the host
 * function calls wasm of the store again (each call out to the host collects too). Each round's program checks its own results (a nonzero code names the
 * first check that failed); a lost root shows as a wrong sum, a verifier failure as the heap's
 * out-of-memory trap. A few rounds run by default; {@code scripts/gc-stress SECONDS} runs rounds
 * for that long ({@code -Dkiln.gc.stress.seconds}).
 */
class GcStressTest {
  static final String PROGRAM = """
      (module
        (import "env" "reenter" (func $reenter (param i32) (result i32)))
      """ + GcModules.LISTS + """
        (type $refs (array (mut anyref)))
        (tag $boom (param (ref null $node)))
        (global $list (mut (ref null $node)) (ref.null $node))
        (table $t 4 anyref)
        (func $tri (param $n i32) (result i32)
          (i32.div_u (i32.mul (local.get $n) (i32.add (local.get $n) (i32.const 1))) (i32.const 2)))
      """ + GcModules.TREES + """
        ;; what $tsum of $make d gives: S(d) = d + 2 S(d - 1)
        (func $texp (param $d i32) (result i32)
          (if (result i32) (i32.eqz (local.get $d)) (then (i32.const 0))
            (else (i32.add (local.get $d) (i32.mul (i32.const 2) (call $texp (i32.sub (local.get $d) (i32.const 1))))))))
        (func $arrsum (param $a (ref null $refs)) (result i32)
          (local $i i32) (local $s i32)
          (loop $again
            (drop (call $list (i32.const 3)))
            (local.set $s (i32.add (local.get $s)
              (call $sum (ref.cast (ref null $node) (array.get $refs (local.get $a) (local.get $i))))))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
              (array.len (local.get $a)))))
          (local.get $s))
        (func $thrower (param $n i32) (throw $boom (call $list (local.get $n))))
        ;; catches the exception by reference, drops the payload, collects while only the exception
        ;; object holds the list, and throws it again
        (func $rethrower (param $n i32)
          (local $ex exnref)
          (block $h (result (ref null $node) exnref)
            (try_table (catch_ref $boom $h) (call $thrower (local.get $n)))
            (unreachable))
          (local.set $ex)
          (drop)
          (drop (call $list (i32.mul (local.get $n) (i32.const 4))))
          (throw_ref (local.get $ex)))
        ;; a local across the try_table, the caught payload after more allocation
        (func $catcher (param $n i32) (result i32)
          (local $held (ref null $node)) (local $caught (ref null $node))
          (local.set $held (call $list (local.get $n)))
          (local.set $caught
            (block $h (result (ref null $node))
              (try_table (catch $boom $h) (call $rethrower (local.get $n)))
              (ref.null $node)))
          (drop (call $list (i32.mul (local.get $n) (i32.const 4))))
          (i32.add (call $sum (local.get $caught)) (call $sum (local.get $held))))
        (func (export "round") (param $n i32) (param $d i32) (result i32)
          (local $arr (ref null $refs)) (local $i i32) (local $mine (ref null $node))
          (global.set $list (call $list (local.get $n)))
          (table.set $t (i32.const 0) (call $make (local.get $d)))
          (local.set $arr (array.new $refs (ref.null any) (i32.const 8)))
          (loop $fill
            (array.set $refs (local.get $arr) (local.get $i) (call $list (i32.add (local.get $i) (i32.const 1))))
            (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 8))))
          (table.set $t (i32.const 1) (local.get $arr))
          (local.set $arr (ref.null $refs))
          (table.set $t (i32.const 2) (ref.i31 (i32.const 7)))
          (local.set $mine (call $list (local.get $n)))
          (if (i32.ne (call $sum (global.get $list)) (call $tri (local.get $n))) (then (return (i32.const 1))))
          (if (i32.ne (call $tsum (ref.cast (ref null $tree) (table.get $t (i32.const 0))))
                      (call $texp (local.get $d))) (then (return (i32.const 2))))
          ;; lists of 1..8: the sum of tri(k) for k = 1..8
          (if (i32.ne (call $arrsum (ref.cast (ref null $refs) (table.get $t (i32.const 1)))) (i32.const 120))
            (then (return (i32.const 3))))
          (if (i32.ne (call $catcher (local.get $n)) (i32.mul (i32.const 2) (call $tri (local.get $n))))
            (then (return (i32.const 4))))
          ;; the host calls "inner", a nested activation that allocates while this frame holds $mine
          (if (i32.ne (call $reenter (local.get $n)) (call $tri (local.get $n))) (then (return (i32.const 7))))
          (if (i32.ne (call $sum (local.get $mine)) (call $tri (local.get $n))) (then (return (i32.const 5))))
          (if (i32.ne (i31.get_u (ref.cast (ref i31) (table.get $t (i32.const 2)))) (i32.const 7))
            (then (return (i32.const 6))))
          (i32.const 0))
        (func (export "inner") (param $n i32) (result i32)
          (local $held (ref null $node))
          (local.set $held (call $list (local.get $n)))
          (drop (call $list (i32.mul (local.get $n) (i32.const 2))))
          (call $sum (local.get $held))))
      """;

  /**
   * References the frame holds across one allocation, in a local, on the operand stack below it and
   * among a {@code struct.new}'s and an {@code array.new}'s own operands: each allocation collects
   * (every live object moves), so the code after it reads the right values only if each of those
   * references reaches it as the slow path reloaded it. Per round: n + n + (n+1) + (n+1).
   */
  private static final String ACROSS_ONE_ALLOCATION = """
      (module
        (type $box (struct (field $v i64)))
        (type $pair (struct (field $a (ref null $box)) (field $b (ref null $box))))
        (type $boxes (array (mut (ref null $box))))
        (func $round (param $n i64) (result i64)
          (local $l (ref null $box)) (local $p (ref null $pair)) (local $a (ref null $boxes))
          (local.set $l (struct.new $box (local.get $n)))
          (local.set $p (struct.new $pair (local.get $l) (struct.new $box (i64.add (local.get $n) (i64.const 1)))))
          (local.set $a (array.new $boxes (struct.get $pair $b (local.get $p)) (i32.const 3)))
          (i64.add
            (i64.add (struct.get $box $v (local.get $l)) (struct.get $box $v (struct.get $pair $a (local.get $p))))
            (i64.add (struct.get $box $v (struct.get $pair $b (local.get $p)))
                     (struct.get $box $v (array.get $boxes (local.get $a) (i32.const 2))))))
        (func (export "rounds") (param $k i32) (result i64)
          (local $i i32) (local $s i64)
          (loop $again
            (local.set $s (i64.add (local.get $s) (call $round (i64.extend_i32_u (local.get $i)))))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
          (local.get $s)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void theCodeAfterAnAllocationSeesTheReferencesItsCollectionMoved(Target target) {
    try (LoadedModule module = GcModules.load(target, ACROSS_ONE_ALLOCATION);
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20))) {
      LoadedInstance instance = GcModules.instantiateCollectingAlways(module, store);
      try (instance) {
        int rounds = 200;
        // the sum over n < rounds of 4n + 2
        assertEquals(2L * rounds * rounds, instance.invoke("rounds", rounds).getFirst().bits());
        assertEquals(4L * rounds, store.gcCollections(), "each of the four allocations of a round collected");
      }
    }
  }

  /** Rounds when no duration is given: a bounded slice for the default test run. */
  private static final int DEFAULT_ROUNDS = 3;

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyAllocationCollectsAndTheHeapVerifies(Target target) {
    long seconds = Long.getLong("kiln.gc.stress.seconds", 0);
    try (LoadedModule module = GcModules.load(target, PROGRAM);
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20))) {
      LoadedInstance instance;
      ImportNamespace linker = new ImportNamespace(store, target);
      AtomicReference<LoadedInstance> self = new AtomicReference<>();
      linker.defineFunction("env", "reenter", new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
          args -> List.of(self.get().invoke("inner", args.getFirst().bits()).getFirst()));
      System.setProperty(GcStress.PROPERTY, "true");
      try {
        instance = linker.instantiate(module);
        self.set(instance);
      } finally {
        System.clearProperty(GcStress.PROPERTY);
      }
      try (instance) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int round = 0;
        while (round < DEFAULT_ROUNDS || System.nanoTime() < end) {
          int n = 10 + round % 40;
          int d = 2 + round % 5;
          long before = store.gcCollections();
          assertEquals(0, (int) instance.invoke("round", n, d).getFirst().bits(), "round " + round + " (n " + n
              + ", depth " + d + "): the first check that failed");
          // every allocation collects: at least the round's list nodes (and as many of garbage)
          assertTrue(store.gcCollections() - before >= 4L * n, "round " + round + " collected at every allocation");
          round++;
        }
        if (seconds > 0) {
          System.out.println("gc-stress " + target + ": " + round + " rounds, " + store.gcCollections()
              + " collections, each verified");
        }
      }
    }
  }
}
