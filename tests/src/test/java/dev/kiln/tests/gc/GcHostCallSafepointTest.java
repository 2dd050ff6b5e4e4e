package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.GcStress;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.tests.support.Artifacts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The debug mode collects at every call safepoint ({@link GcStress}), on x86-64 and AArch64: besides
 * every allocation, every call out to the host, where each wasm frame on the stack waits at a call
 * safepoint. So a stack map that is wrong at a call that never allocates during it (here a host call
 * that allocates nothing) shows up at once in the debug mode, instead of the day the call first runs
 * into a collection.
 */
class GcHostCallSafepointTest {
  /** {@code held} keeps a struct in a local across a host call, then reads it. */
  private static final String HELD = """
      (module
        (import "env" "poke" (func $poke))
        (type $S (struct (field i64)))
        (func (export "held") (result i64)
          (local $a (ref null $S))
          (local.set $a (struct.new $S (i64.const 1000)))
          (call $poke)
          (struct.get $S 0 (local.get $a))))
      """;

  private static byte[] compile(Target target) {
    return Artifacts.fromWat(HELD, Artifacts.backend(target), CompileOptions.defaults().withLimits(ExecutionLimits.NONE));
  }

  /**
   * Runs {@code held} in a store with the debug mode on or off; {@code atHostCall[0]} gets how many
   * collections the store had made when the host function ran, {@code [1]} how many after the call.
   */
  private static long held(Target target, byte[] artifact, boolean debugMode, long[] atHostCall) {
    try (NativeStore store = new NativeStore();
        LoadedModule module = LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "poke", new FuncType(List.of(), List.of()), args -> {
        atHostCall[0] = store.gcCollections();
        return List.of();
      });
      try (LoadedInstance instance = instantiate(linker, module, debugMode)) {
        return instance.invoke("held").getFirst().bits();
      } finally {
        atHostCall[1] = store.gcCollections();
      }
    }
  }

  /** Instantiates {@code module} in a store whose GC heap is made with the debug mode on or off. */
  private static LoadedInstance instantiate(ImportNamespace linker, LoadedModule module, boolean debugMode) {
    if (debugMode) {
      System.setProperty(GcStress.PROPERTY, "true");
    }
    try {
      return linker.instantiate(module);
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }

  /**
   * With the mode on, the call of {@code poke} collects before the host function runs (one more
   * collection than the struct.new's), with {@code held}'s frame among the roots: the struct moves and
   * the frame's slot follows it. Before, the mode collected at allocations only, and the host call
   * found the count where the allocation left it.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void everyCallOutToTheHostCollectsWithTheWaitingFramesAsRoots(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    long[] counts = new long[2];
    assertEquals(1000, held(target, compile(target), true, counts));
    assertEquals(2, counts[0], "the allocation's collection, then the host call's, before the host function ran");
    assertEquals(2, counts[1]);
  }

  /**
   * The stack map of the host call names the wrong word of {@code held}'s frame (as a faulty
   * compiler could), resealed. Without the debug mode nothing collects during that call and the
   * damage stays hidden (1000); with it, the collection at the host call leaves the struct's slot at
   * the old address, whose semispace the collection zeroed: {@code held} reads 0, or the collector
   * refuses the word it was given instead (a trap). Before, the mode collected at allocations only and
   * answered 1000 as well.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aWrongStackMapAtAHostCallIsFoundByTheDebugMode(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    byte[] artifact = compile(target);
    StackMapBytes.Entry hostCall = hostCallEntry(artifact, target);
    assertEquals(1, hostCall.slots().length, "the host call holds $a");
    int slot = hostCall.slots()[0];
    int wrong = slot + 16 <= hostCall.frame() ? slot + 8 : slot - 8;
    StackMapBytes.setByte(artifact, hostCall.slotAt()[0], wrong / 8);
    ArtifactSeal.seal(artifact);

    assertEquals(1000, held(target, artifact, false, new long[2]), "no collection during the call: hidden");
    long outcome;
    try {
      outcome = held(target, artifact, true, new long[2]);
    } catch (TrapException trapped) {
      outcome = -1;
    }
    assertNotEquals(1000, outcome, "the debug mode's collection at the host call found the stale slot");
  }

  /**
   * The stack map entry of the call to the host function: the one whose call is indirect (through
   * the import's record); the allocation's slow path is a direct call to its trampoline.
   */
  private static StackMapBytes.Entry hostCallEntry(byte[] artifact, Target target) {
    byte[] text = dev.kiln.artifact.elf.CwasmFile.open(java.lang.foreign.MemorySegment.ofArray(artifact))
        .text().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    StackMapBytes.Entry found = null;
    for (StackMapBytes.Entry entry : StackMapBytes.of(artifact).entries()) {
      int ret = entry.returnOffset();
      boolean direct = target == Target.X86_64
          ? (text[ret - 5] & 0xFF) == 0xE8
          : (ByteBuffer.wrap(text, ret - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFC000000) == 0x94000000;
      if (!direct) {
        assertTrue(found == null, "one indirect call");
        found = entry;
      }
    }
    assertTrue(found != null, "the host call has a stack map");
    return found;
  }
  /**
   * A host function's reference argument is in its ValRaw slot, which no stack map names, when the
   * debug mode collects at the call: that collection rewrites the slot too, so the host reads the
   * struct's new address. Before (apifuzz N2), the host got the old one (an externref argument
   * arrived as a stale address); handed back as the result, its cast failed instead of reading 1000.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aReferenceArgumentFollowsTheDebugModesCollectionAtTheHostCall(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    String echo = """
        (module
          (type $S (struct (field i64)))
          (import "env" "echo" (func $echo (param externref) (result externref)))
          (func (export "echoed") (result i64)
            (struct.get $S 0 (ref.cast (ref $S) (any.convert_extern
              (call $echo (extern.convert_any (struct.new $S (i64.const 1000)))))))))
        """;
    byte[] artifact = Artifacts.fromWat(echo, Artifacts.backend(target),
        CompileOptions.defaults().withLimits(ExecutionLimits.NONE));
    try (NativeStore store = new NativeStore();
        LoadedModule module = LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "echo", new FuncType(List.of(ValType.EXTERNREF), List.of(ValType.EXTERNREF)),
          args -> args);
      try (LoadedInstance instance = instantiate(linker, module, true)) {
        assertEquals(1000, instance.invoke("echoed").getFirst().bits());
      }
    }
  }
}
