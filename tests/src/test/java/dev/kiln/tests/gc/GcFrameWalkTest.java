package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.tests.support.Artifacts;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The collector's frame walk (loader runtime.WasmFrameRoots) on x86-64 and AArch64, in the debug
 * mode that collects at every allocation: a stack map whose frame reaches into the frame it called
 * is damage, and the allocation that asked for the collection traps naming it ({@code
 * GC_FRAME_WALK_FAILED}), not as an out-of-memory trap; a call across which its frame holds no
 * reference has no stack map, legitimately, and the walk passes it.
 */
class GcFrameWalkTest {
  /** {@code $plain} holds no reference (no stack map) and calls the tree code, which collects below it. */
  private static final String TREES = """
      (module
      """ + GcModules.TREES + """
        (func $count (param $d i32) (result i32) (call $tsum (call $make (local.get $d))))
        (func $plain (param $d i32) (result i32)
          (if (result i32) (i32.eqz (local.get $d)) (then (i32.const 0))
            (else (i32.add (call $count (local.get $d)) (call $plain (i32.sub (local.get $d) (i32.const 1)))))))
        (func (export "run") (param $d i32) (result i32) (call $plain (local.get $d))))
      """;

  private static byte[] compile(Target target) {
    return Artifacts.fromWat(TREES, Artifacts.backend(target), CompileOptions.defaults().withLimits(ExecutionLimits.NONE));
  }

  /** The sum over k = 1..d of a tree of depth k's values. */
  private static int expected(int d) {
    int total = 0;
    for (int k = 1; k <= d; k++) {
      for (int level = 1; level <= k; level++) {
        total += level << (k - level);
      }
    }
    return total;
  }

  /** Runs {@code run(d)} in a store that collects at every allocation. */
  private static int runCollectingAlways(byte[] artifact, int d, long[] collections) {
    try (NativeStore store = new NativeStore();
        LoadedModule module = LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE)) {
      LoadedInstance instance = GcModules.instantiateCollectingAlways(module, store);
      try (instance) {
        return (int) instance.invoke("run", d).getFirst().bits();
      } finally {
        collections[0] = store.gcCollections();
      }
    }
  }

  /**
   * Frames of {@code $plain} (no GC reference, so no stack map) and calls of {@code $count} (which
   * holds nothing across its call of {@code $make}: no entry there either, though {@code $count}
   * passes references) lie between the allocating frames and the entry at every collection; the
   * walk passes them, and the trees built below them survive hundreds of collections. A walk that
   * took a call without a map for damage (the first version of this change did) fails here.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aFrameOfAFunctionWithoutReferencesHasNoStackMapAndIsWalkedPast(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    long[] collections = new long[1];
    assertEquals(expected(6), runCollectingAlways(compile(target), 6, collections));
    assertTrue(collections[0] > 100, "every allocation collected: " + collections[0]);
  }

  /**
   * Every stack map entry's frame depth raised by 16 bytes, the same for all entries of a function
   * (so the table still loads: its slots stay inside the frame it gives), resealed as a faulty
   * writer would: each map now says its frame reaches 16 bytes below where it ends, into the frame
   * record of the frame it called. The first collection's walk finds its slots would lie outside
   * the frame and the allocation traps with {@code GC_FRAME_WALK_FAILED} naming the call, never as
   * {@code out of memory}. Before, the walk rewrote the words 16 bytes off (the callee's frame
   * record among them) and the collection ended as the heap's out-of-memory trap.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aStackMapWhoseSlotsLieOutsideTheFrameTrapsNamingTheCause(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    byte[] artifact = compile(target);
    int raised = 0;
    Set<Integer> depths = new HashSet<>(); // entries naming one resident set share its depth
    for (StackMapBytes.Entry entry : StackMapBytes.of(artifact).entries()) {
      if (depths.add(entry.frameAt())) {
        StackMapBytes.increment(artifact, entry.frameAt());
      }
      raised++;
    }
    // $make's second call and its struct.new's slow path, $tsum's first call (StackMapTest)
    assertTrue(raised >= 3, "$make's and $tsum's entries");
    ArtifactSeal.seal(artifact);
    TrapException trap = assertThrows(TrapException.class, () -> runCollectingAlways(artifact, 6, new long[1]));
    assertEquals(TrapCode.GC_FRAME_WALK_FAILED, trap.code(), trap.getMessage());
    assertTrue(trap.getMessage().contains("reaches below the frame it called") && trap.getMessage().contains("make"),
        trap.getMessage());
  }
}
