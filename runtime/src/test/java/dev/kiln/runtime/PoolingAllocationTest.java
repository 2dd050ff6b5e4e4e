package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * An engine built with {@link Engine.Builder#pooling}, through the public API only: instances come
 * from the pool and go back to it, a full pool is one {@link KilnException} naming it, and what does
 * not fit the sizes is refused by name. (Isolation between reused slots is tested on both targets in
 * {@code tests.pool.InstancePoolTest}.)
 */
class PoolingAllocationTest {
  private static final String MEMORY_MODULE = """
      (module
        (memory (export "memory") 1 2)
        (data (i32.const 16) "\\2a")
        (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
        (func (export "poke") (param i32 i32) (result i32) (i32.store8 (local.get 0) (local.get 1)) (i32.const 0)))
      """;

  @Test
  void instancesOfAPooledEngineComeFromTheSlotsAndGoBack() throws Exception {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(1)).build();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MEMORY_MODULE, "memory.wat"));
        WasmModule hello = WasmModule.compile(engine, Path.of("../examples/hello.wasm"))) {
      for (int i = 0; i < 3; i++) {
        try (Store store = new Store(engine)) {
          Instance instance = new Linker(store).instantiate(module);
          IntUnaryOperator peek = instance.func("peek", IntUnaryOperator.class);
          assertEquals(42, peek.applyAsInt(16));
          assertEquals(0, peek.applyAsInt(17), "cycle " + i + " sees no byte of the one before");
          instance.func("poke", IntBinaryOperator.class).applyAsInt(17, 99);
        }
      }
      try (Store holder = new Store(engine); Store other = new Store(engine)) {
        new Linker(holder).instantiate(hello);
        KilnException full = assertThrows(KilnException.class, () -> new Linker(other).instantiate(hello));
        assertTrue(full.getMessage().startsWith("the engine's instance pool has all of its 1 slots in use"),
            full.getMessage());
      }
      try (Store store = new Store(engine)) {
        new Linker(store).instantiate(hello);
      }
    }
  }

  @Test
  void aModuleLargerThanThePoolsSizesIsRefusedByName() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2).withMaxMemoryBytes(65_536)).build();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames("(module (memory 2))", "two.wat")); Store store = new Store(engine)) {
      KilnException refused = assertThrows(KilnException.class, () -> new Linker(store).instantiate(module));
      assertEquals("memory of 2 pages exceeds the instance pool's 1-page limit per memory", refused.getMessage());
    }
  }

  @Test
  void sizesOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(0));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withMaxMemoryBytes(1000));
    // Past 4 GiB is for 64-bit memories, up to 2^48 (what an on-demand 64-bit memory can reach).
    assertEquals((1L << 33) + (32L << 20), PoolingAllocation.ofInstances(1).withMaxMemoryBytes(1L << 33).config()
        .memorySlotBytes());
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withMaxMemoryBytes(
        (1L << 48) + (1L << 16)));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withTablesPerInstance(-1));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withMaxTableElements(-1));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withMaxTableElements(
        (1L << 28) + 1));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withVmContextBytes(100));
    assertThrows(IllegalArgumentException.class, () -> PoolingAllocation.ofInstances(1).withMemoriesPerInstance(-1));
  }
}
