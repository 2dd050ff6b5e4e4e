package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An embedder that keeps a memory, global, table or function of a store after closing it, as a
 * careless or hostile plugin host would, gets an {@link IllegalStateException} on every use: never
 * a read of freed memory, never a JVM crash. A store context and a VMContext without memories or
 * tables are C heap freed at close without a handshake (loader.sys.NativeHeap), so these accesses
 * are exactly the ones that would touch freed memory if a check were missing.
 */
class ClosedStoreAccessTest {
  /** No memory, no table: its VMContext (the global's slot) comes from the C heap. */
  private static final byte[] GLOBAL_ONLY = Wat.toBinaryWithNames("""
      (module
        (global (export "counter") (mut i64) (i64.const 7))
        (func (export "twice") (param i64) (result i64) (i64.add (local.get 0) (local.get 0))))
      """, "global-only.wat");
  /** A memory and a table: their definitions are inline in the VMContext, which lives in an arena. */
  private static final byte[] WITH_MEMORY = Wat.toBinaryWithNames("""
      (module
        (memory (export "memory") 1)
        (table (export "table") 2 funcref)
        (global (export "counter") (mut i64) (i64.const 7))
        (data (i32.const 0) "hi"))
      """, "with-memory.wat");

  private final Engine engine = Engine.create();

  @Test
  void aGlobalOfAHeapVmContextFailsCleanlyAfterTheStoreCloses() {
    Global counter;
    LongUnaryOperator twice;
    Store store = new Store(engine);
    try (WasmModule module = WasmModule.compile(engine, GLOBAL_ONLY)) {
      Instance instance = new Linker(store).instantiate(module);
      counter = instance.global("counter");
      twice = instance.func("twice", LongUnaryOperator.class);
      counter.set(Val.i64(41));
      assertEquals(Val.i64(41), counter.get());
      assertEquals(84, twice.applyAsLong(42));
      store.close();
    }
    assertClosed(counter::get);
    assertClosed(() -> counter.set(Val.i64(1)));
    assertClosed(() -> twice.applyAsLong(1));
  }

  @Test
  void aGlobalOfAClosedInstanceFailsCleanlyWhileItsStoreLivesOn() {
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, GLOBAL_ONLY)) {
      Instance instance = new Linker(store).instantiate(module);
      Global counter = instance.global("counter");
      instance.close();
      assertClosed(counter::get);
      assertClosed(() -> counter.set(Val.i64(1)));
    }
  }

  @Test
  void theStoresOwnStateFailsCleanlyAfterClose() {
    Store store = new Store(engine);
    store.setFuel(5);
    store.close();
    assertClosed(store::fuel);
    assertClosed(() -> store.setFuel(1));
    assertClosed(() -> store.setEpochDeadline(1));
  }

  @Test
  void memoryTableAndGlobalOfAnArenaInstanceFailCleanlyAfterTheStoreCloses() {
    Memory memory;
    Table table;
    Global counter;
    java.lang.foreign.MemorySegment view;
    Store store = new Store(engine);
    try (WasmModule module = WasmModule.compile(engine, WITH_MEMORY)) {
      Instance instance = new Linker(store).instantiate(module);
      memory = instance.memory("memory");
      table = instance.table("table");
      counter = instance.global("counter");
      view = memory.segment();
      assertEquals("hi", memory.readString(0, 2));
      assertEquals(2, table.size());
      store.close();
    }
    assertClosed(memory::segment);
    assertClosed(memory::pages);
    assertClosed(() -> memory.read(0, 2));
    assertClosed(() -> memory.write(0, new byte[] {1}));
    assertClosed(() -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    assertClosed(table::size);
    assertClosed(() -> table.get(0));
    assertClosed(counter::get);
  }

  private static void assertClosed(Executable access) {
    IllegalStateException e = assertThrows(IllegalStateException.class, access);
    assertTrue(e.getMessage() != null && e.getMessage().contains("closed") || e.getMessage().contains("freed"),
        e.getMessage());
  }
}
