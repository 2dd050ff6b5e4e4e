package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.tables.StackMapTable;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.tests.support.Artifacts;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GC safepoints (compiler translate.GcSafepoints, the artifact's {@code .kiln.stackmaps}) on x86-64
 * and AArch64: a call across which a frame holds GC references has a stack map naming slots inside
 * that frame, a call across which it holds none has no entry (so code without GC references is
 * unchanged), and the references loaded back from the
 * slots after each call are the ones the code goes on with (the results below depend on them).
 */
class StackMapTest {
  /** {@code $make} holds {@code $left} across its second call, {@code $tsum} holds {@code $t} across its first. */
  private static final String TREES = """
      (module
      """ + GcModules.TREES + """
        (func $numbers (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (local.get 0) (call $numbers (i32.sub (local.get 0) (i32.const 1)))))))
        (func (export "run") (param $d i32) (result i32)
          (i32.add (call $numbers (i32.const 3)) (call $tsum (call $make (local.get $d))))))
      """;

  private static byte[] compile(Target target) {
    return Artifacts.fromWat(TREES, Artifacts.backend(target));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void safepointsHoldingReferencesHaveSlotsInsideTheirFrame(Target target) {
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(compile(target)));
    List<StackMapTable.StackMap> maps = new ArrayList<>();
    file.stackMaps().forEach((offset, map) -> maps.add(map));
    // $make's second call ($left, on the operand stack below the call's operands) and its
    // struct.new's slow path (the operands), and $tsum's first call ($t, read again after it);
    // none at $make's first call ($left is written by its result) or $tsum's second ($t is not
    // read again): a local is spilled only where it is live (compiler translate.ReferenceLiveness);
    // none in $numbers or "run", which hold no reference across a call
    assertEquals(3, maps.size(), "one entry per call across which the frame holds a live reference");
    for (StackMapTable.StackMap map : maps) {
      assertTrue(map.count() >= 1, "an entry names its slots");
      for (int slot : map.slotOffsets()) {
        assertTrue(slot >= 0 && slot % 8 == 0 && slot + 8 <= map.frameBelowFp(), "slot " + slot + " inside the frame");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void referencesLoadedBackAfterEachCallAreTheLiveOnes(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore();
        LoadedModule module = LoadedModule.fromBytes(compile(target), null, ExecutionLimits.NONE);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      // a full tree of depth d: each level k (1..d) has 2^(d-k) nodes of value k
      int depth = 9;
      long expected = 6;
      for (int k = 1; k <= depth; k++) {
        expected += (long) k << (depth - k);
      }
      assertEquals(expected, instance.invoke("run", depth).getFirst().bits());
    }
  }

  /**
   * The frame walker rewrites the words a stack map names, so a map must be checked before any code
   * of the module runs, not when the first collection looks it up: an artifact whose first stack map
   * with slots names a slot at the frame pointer (outside its frame), resealed as a faulty writer
   * would, is refused at load.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aSlotOutsideItsFrameRefusesTheLoad(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    byte[] artifact = compile(target);
    StackMapBytes.Entry entry = StackMapBytes.of(artifact).entries().stream().filter(e -> e.slots().length > 0)
        .findFirst().orElseThrow();
    StackMapBytes.setByte(artifact, entry.slotAt()[0], entry.frame() / 8); // slot = frame: the word at the frame pointer
    ArtifactSeal.seal(artifact);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE).close());
    assertTrue(e.getMessage().contains("outside its frame"), e.getMessage());
  }
}
