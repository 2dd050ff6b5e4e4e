package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link Memory#segment()} view of a pooled memory, attacked as an embedder that forgets to close:
 * the view must keep showing its own instance's memory (the pool's mappings stay while the view
 * can be used) or fail with {@link IllegalStateException}, never fault or show another engine's
 * instance. The garbage-collected case runs in a JVM of its own ({@link PooledViewAfterGc}), since
 * the failure would be a SIGSEGV of the test JVM.
 */
class PooledViewLifetimeTest {
  @Test
  void aViewKeptAfterTheEngineAndStoreBecameGarbageShowsItsOwnMemory() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), PooledViewAfterGc.class.getName())
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the attack did not finish");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("view reads its own instance's bytes"), output);
    assertTrue(output.contains("the first pool was unmapped once its last view was garbage"), output);
  }

  @Test
  void aViewOfAClosedStoresPooledMemoryThrows() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(1).withMaxMemoryBytes(1 << 16)).build();
    try (WasmModule module = WasmModule.compile(engine,
        dev.kiln.wat.Wat.toBinaryWithNames(PooledViewAfterGc.MODULE, "view.wat"))) {
      MemorySegment view;
      try (Store store = new Store(engine)) {
        Instance instance = new Linker(store).instantiate(module);
        instance.func("put").call(Val.i32(16), Val.i64(PooledViewAfterGc.MINE));
        view = instance.memory("mem").segment();
      }
      try (Store next = new Store(engine)) {
        Instance tenant = new Linker(next).instantiate(module);
        tenant.func("put").call(Val.i32(16), Val.i64(PooledViewAfterGc.SECRET));
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_LONG, 16));
        assertEquals(PooledViewAfterGc.SECRET, tenant.memory("mem").segment().get(ValueLayout.JAVA_LONG, 16));
      }
    }
  }
}
