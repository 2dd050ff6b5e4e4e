package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A {@link Caller} is valid during its host call only (red team 28 O1): a host function that keeps
 * it, or the memory it gave, past the call must not be able to write the guest's memory after the
 * embedder closed the instance. The instance here exports a funcref table, so its close pins it
 * (closed, not freed until the store closes): the state in which the kept caller still gave a
 * working memory.
 */
class KeptCallerTest {
  private static final byte[] GUEST = Wat.toBinaryWithNames("""
      (module
        (import "env" "keep" (func $keep))
        (memory (export "mem") 1)
        (table (export "table") 1 funcref)
        (elem (i32.const 0) $run)
        (func $run (export "run") (call $keep)))
      """, "kept-caller.wat");

  private final Engine engine = Engine.create();

  @Test
  void aCallerKeptPastItsCallIsRefusedAndItsMemoryFollowsTheInstance() {
    AtomicReference<Caller> kept = new AtomicReference<>();
    AtomicReference<Memory> keptMemory = new AtomicReference<>();
    try (WasmModule module = WasmModule.compile(engine, GUEST); Store store = new Store(engine)) {
      Instance instance = new Linker(store).func("env", "keep", FuncType.of(List.of(), List.of()), (caller, args) -> {
        kept.set(caller);
        Memory memory = caller.memory("mem").orElseThrow();
        memory.write(0, new byte[] {7}); // during the call: works
        keptMemory.set(memory);
        return List.of();
      }).instantiate(module);
      instance.func("run").call();
      assertEquals(7, instance.memory("mem").read(0, 1)[0]);

      // After the call, the instance still open: the caller is refused, its memory works as an export's.
      IllegalStateException late = assertThrows(IllegalStateException.class, () -> kept.get().memory("mem"));
      assertTrue(late.getMessage().contains("valid only during the host call"), late.getMessage());
      assertThrows(IllegalStateException.class, () -> kept.get().func("run"));
      keptMemory.get().write(0, new byte[] {8});
      assertEquals(8, instance.memory("mem").read(0, 1)[0]);

      // The instance closed (and pinned by its exported table): nothing kept reaches its memory.
      instance.close();
      assertThrows(IllegalStateException.class, () -> kept.get().memory("mem"));
      assertThrows(IllegalStateException.class, () -> keptMemory.get().write(0, new byte[] {42}));
      assertThrows(IllegalStateException.class, () -> keptMemory.get().read(0, 1));
    }
  }
}
