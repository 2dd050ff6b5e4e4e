package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.tests.support.Artifacts;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A safepoint spills only the reference locals live after it (compiler translate.ReferenceLiveness):
 * dead and never-used locals cost no code and no stack-map slots (red team 19's F5: N such locals
 * across M calls were N x M spills and reloads), and a local dead at one safepoint but live at a
 * later one (around a loop's back edge, into a catch, past a handler that does not catch, through one
 * {@code br_table} entry) is still
 * a root where it is live: under {@link GcStress} every allocation collects and moves every object,
 * so a local left out of a spill where it is live reads a stale address and the result is wrong.
 */
class ReferenceLivenessTest {
  /** {@code locals} anyref locals the function never touches, across {@code calls} calls. */
  private static String deadLocals(int locals, int calls) {
    return "(module (func $f) (func (export \"run\") (result i32)"
        + " (local anyref)".repeat(locals) + " (call $f)".repeat(calls) + " (i32.const 0)))";
  }

  /**
   * {@code locals} anyref locals set from a parameter and read before {@code calls} calls, and not
   * read after them (red team 19's generator, with the reads moved before the calls).
   */
  private static String localsUsedBeforeCalls(int locals, int calls) {
    StringBuilder wat = new StringBuilder("(module (func $f) (func (export \"run\") (param $p i32) (result i32)");
    wat.append(" (local anyref)".repeat(locals)).append(" (i32.const 0)");
    for (int i = 1; i <= locals; i++) {
      wat.append(" (local.set ").append(i).append(" (ref.i31 (local.get $p)))");
      wat.append(" (i32.add (i31.get_s (ref.cast i31ref (local.get ").append(i).append("))))");
    }
    return wat.append(" (call $f)".repeat(calls)).append("))").toString();
  }

  private static int stackMapSlots(byte[] artifact) {
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(artifact));
    int[] slots = {0};
    file.stackMaps().forEach((offset, map) -> slots[0] += map.count());
    return slots[0];
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void deadReferenceLocalsCostNothingAtCalls(Target target) {
    byte[] without = Artifacts.fromWat(deadLocals(0, 300), Artifacts.backend(target));
    byte[] with = Artifacts.fromWat(deadLocals(300, 300), Artifacts.backend(target));
    // the code and tables do not grow with the locals (they grew by 300 x 300 spills and reloads, 3.4 MB)
    assertEquals(without.length, with.length, "300 dead locals across 300 calls changed the artifact's size");
    assertEquals(0, stackMapSlots(with), "no call holds a dead local");
    assertEquals(0, stackMapSlots(Artifacts.fromWat(localsUsedBeforeCalls(300, 300), Artifacts.backend(target))),
        "no call holds a local read only before it");
  }

  private static final String LIVE_AT_SOME = """
      (module
        (type $box (struct (field $v i64)))
        (tag $oops)
        (tag $other)
        (func $garbage (drop (struct.new $box (i64.const -1))) (drop (struct.new $box (i64.const -2))))
        (func $garbageThenThrow (call $garbage) (throw $oops))
        ;; $x is dead at the first call (written before any read after it) and live at the second
        ;; only through the back edge to the read at the loop's head: 1000 + (k - 1) (k - 2) / 2
        (func (export "backEdge") (param $k i32) (result i64)
          (local $x (ref null $box)) (local $i i32) (local $s i64)
          (local.set $x (struct.new $box (i64.const 1000)))
          (loop $again
            (local.set $s (i64.add (local.get $s) (struct.get $box $v (local.get $x))))
            (call $garbage)
            (local.set $x (struct.new $box (i64.extend_i32_u (local.get $i))))
            (call $garbage)
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
          (local.get $s))
        ;; $x is dead after the call on its normal path and read by the catch: the landing pad needs it
        (func (export "intoCatch") (param $k i32) (result i64)
          (local $x (ref null $box))
          (local.set $x (struct.new $box (i64.extend_i32_u (local.get $k))))
          (block $h
            (try_table (catch_all $h)
              (call $garbageThenThrow)
              (local.set $x (ref.null $box)))
            (return (i64.const -1)))
          (struct.get $box $v (local.get $x)))
        ;; the same through an inner try_table that does not catch the exception to the outer one that does
        (func (export "pastAnInnerHandler") (param $k i32) (result i64)
          (local $x (ref null $box))
          (local.set $x (struct.new $box (i64.extend_i32_u (local.get $k))))
          (block $outer
            (try_table (catch_all $outer)
              (block $inner
                (try_table (catch $other $inner)
                  (call $garbageThenThrow)
                  (local.set $x (ref.null $box)))
                (return (i64.const -1)))
              (return (i64.const -2)))
            (return (i64.const -3)))
          (struct.get $box $v (local.get $x)))
        ;; the same through a legacy try's catch_all clause
        (func (export "intoLegacyCatch") (param $k i32) (result i64)
          (local $x (ref null $box))
          (local.set $x (struct.new $box (i64.extend_i32_u (local.get $k))))
          (try (do (call $garbageThenThrow) (local.set $x (ref.null $box)))
            (catch_all (return (struct.get $box $v (local.get $x)))))
          (i64.const -1))
        ;; $x is live after the call through the br_table's entry 0, to $read, only: 7 by it, 9 by the default
        (func (export "throughTable") (param $k i32) (result i64)
          (local $x (ref null $box))
          (local.set $x (struct.new $box (i64.const 7)))
          (block $read
            (block $overwrite
              (call $garbage)
              (br_table $read $overwrite (local.get $k)))
            (local.set $x (struct.new $box (i64.const 9))))
          (struct.get $box $v (local.get $x))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aLocalDeadAtOneSafepointIsARootWhereItIsLive(Target target) {
    try (LoadedModule module = GcModules.load(target, LIVE_AT_SOME);
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20))) {
      LoadedInstance instance = GcModules.instantiateCollectingAlways(module, store);
      try (instance) {
        long collections = store.gcCollections();
        int k = 50;
        assertAll(
            () -> assertEquals(1000L + (k - 1) * (k - 2) / 2, instance.invoke("backEdge", k).getFirst().bits(), "backEdge"),
            () -> assertEquals(42L, instance.invoke("intoCatch", 42).getFirst().bits(), "intoCatch"),
            () -> assertEquals(44L, instance.invoke("pastAnInnerHandler", 44).getFirst().bits(), "pastAnInnerHandler"),
            () -> assertEquals(43L, instance.invoke("intoLegacyCatch", 43).getFirst().bits(), "intoLegacyCatch"),
            () -> assertEquals(7L, instance.invoke("throughTable", 0).getFirst().bits(), "throughTable to $read"),
            () -> assertEquals(9L, instance.invoke("throughTable", 1).getFirst().bits(), "throughTable to $overwrite"));
        assertTrue(store.gcCollections() - collections >= 5L * k, "every allocation collected");
      }
    }
  }
}
