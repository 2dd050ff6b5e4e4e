package dev.kiln.tests.x64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.Concurrently;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 32-bit memory accesses whose check is left to the guard region (artifact.vm.MemoryGuard) trap
 * exactly where explicitly checked ones do, at their own wasm offset, with nothing written by a
 * store that straddles the end; growing the memory makes the same addresses valid; and the JVM's
 * own SIGSEGVs still reach the JVM once Kiln's handler is in front of its.
 */
class GuardPageTrapTest {
  private static final int PAGE = 65536;
  private static final String WAT = """
      (module
        (memory 1 3)
        (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
        (func (export "load_far") (param i32) (result i32) (i32.load offset=33554430 (local.get 0)))
        (func (export "store64") (param i32) (i64.store (local.get 0) (i64.const -1)))
        (func (export "drop_load") (param i32) (drop (i64.load offset=16 (local.get 0))))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
      """;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void outOfBoundsAccessesTrapAtTheirOffsetWithOrWithoutGuard(boolean guard) throws Exception {
    assumeTrue(Executors.canRun(Target.X86_64), "x86-64 code does not run here");
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    CompileOptions options = new CompileOptions(1).withMemoryGuard(guard ? MemoryGuard.DEFAULT : MemoryGuard.NONE);
    byte[] artifact = Artifacts.compile(module, new X64Backend(CpuFeatures.host(), false), options);
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      assertEquals(guard ? "33554432" : "0", loaded.file().compat().settings().get(MemoryGuard.SETTING));
      LoadedInstance instance = LoadedInstance.instantiate(loaded, store);
      instance.memory(0).set(ValueLayout.JAVA_LONG_UNALIGNED, PAGE - 8, 0x0102030405060708L);

      assertEquals(0x01L, instance.invoke("load8", PAGE - 1).getFirst().bits());
      assertTrap(() -> instance.invoke("load8", PAGE));
      assertTrap(() -> instance.invoke("load8", -1)); // index 2^32 - 1: the last byte of the index space
      assertTrap(() -> instance.invoke("load_far", 0)); // past the guard's offsets: an explicit check
      assertTrap(() -> instance.invoke("drop_load", PAGE - 16)); // unused, still checked
      // Straddling the end: the store traps and leaves the in-bounds bytes as they were.
      assertTrap(() -> instance.invoke("store64", PAGE - 4));
      assertEquals(0x0102030405060708L, instance.memory(0).get(ValueLayout.JAVA_LONG_UNALIGNED, PAGE - 8));

      assertEquals(1L, instance.invoke("grow", 1).getFirst().bits());
      assertEquals(0L, instance.invoke("load8", PAGE).getFirst().bits(), "the grown page reads as zero");
      instance.invoke("store64", PAGE - 4);
      assertEquals(-1L, instance.memory(0).get(ValueLayout.JAVA_LONG_UNALIGNED, PAGE - 4));
      assertTrap(() -> instance.invoke("load8", 2 * PAGE));
      instance.close();
    }
  }

  /**
   * Threads of their own stores trap through the handler at the same time while others create and
   * free memories (the registry changes under the handler): every out-of-bounds access is a
   * heap_out_of_bounds trap of its own store, and every in-bounds one reads its own memory.
   */
  @Test
  void concurrentStoresTrapWhileMemoriesComeAndGo() throws Exception {
    assumeTrue(Executors.canRun(Target.X86_64), "x86-64 code does not run here");
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module,
        new X64Backend(CpuFeatures.host(), false), new CompileOptions(1)), null)) {
      Concurrently.run(4, id -> {
        for (int round = 0; round < 25; round++) {
          try (NativeStore store = new NativeStore()) {
            LoadedInstance instance = LoadedInstance.instantiate(loaded, store);
            instance.memory(0).set(ValueLayout.JAVA_BYTE, 7, (byte) (id + 1));
            for (int i = 0; i < 20; i++) {
              int past = PAGE + i;
              assertTrap(() -> instance.invoke("load8", past));
              assertEquals(id + 1, instance.invoke("load8", 7).getFirst().bits());
            }
            instance.close();
          }
        }
      });
    }
  }

  private static void assertTrap(org.junit.jupiter.api.function.Executable call) {
    TrapException trap = assertThrows(TrapException.class, call);
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap.code());
    OptionalInt offset = trap.backtrace().getFirst().wasmOffset();
    assertTrue(offset.isPresent(), "the trapping function's frame has its wasm offset: " + trap.backtrace());
  }

  /**
   * Java code's null dereferences, compiled by the JIT into implicit null checks, fault in the JVM's
   * code: Kiln's handler passes them on, and the JVM still turns them into exceptions.
   */
  @Test
  void theJvmsOwnFaultsStillReachTheJvm() throws Exception {
    assumeTrue(Executors.canRun(Target.X86_64), "x86-64 code does not run here");
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module,
        new X64Backend(CpuFeatures.host(), false), new CompileOptions(1)), null)) {
      assertTrue(WasmFaults.handlerInstalled(), "loading " + loaded + " installs the handler");
      int caught = 0;
      Map<String, String> none = null;
      for (int i = 0; i < 200_000; i++) {
        try {
          caught += length(i % 1000 == 0 ? none : Map.of());
        } catch (NullPointerException e) {
          caught++;
        }
      }
      System.gc(); // safepoints: on x86-64 HotSpot's polls may fault too
      assertEquals(200, caught);
    }
  }

  private static int length(Map<String, String> map) {
    return map.size();
  }
}
