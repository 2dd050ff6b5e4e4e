package dev.kiln.runtime;

import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.sys.NativeHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;

/**
 * The instance-per-request cycle (issue 41) leaves nothing behind, counted rather than timed: what
 * Kiln holds of the process (C-heap blocks, reserved address space, guard-fault registrations, free
 * pool slots) after {@value #CYCLES} cycles on each of two threads is exactly what it holds after
 * twice as many. Each count is one a leak would move: a store or VMContext block not freed, a
 * memory or table reservation not given back (on demand), a slot not returned to the pool. The
 * module has everything a slot holds: a memory with data (its image), a table with a segment,
 * passive element items, a global. The resident size of a long run is {@code scripts/cycle-soak}'s
 * (and {@code CycleSoakTest}'s slice in a child JVM). Run by {@link CycleFootprintTest} in a JVM of
 * its own: the counts are the process's, which other tests' engines, freed by the GC whenever it
 * runs, would move.
 *
 * <p>{@code CycleFootprint pooled|on-demand} prints {@code footprint after N: ...} and {@code
 * footprint after 2N: ...}.
 */
final class CycleFootprint {
  static final int CYCLES = 300;
  private static final String MODULE = """
      (module
        (memory 1)
        (data (i32.const 0) "%s")
        (global $g (mut i32) (i32.const 0))
        (table 2 funcref)
        (elem (i32.const 0) $add)
        (elem $passive func $add $add)
        (type $f (func (param i32 i32) (result i32)))
        (func $add (export "add") (param i32 i32) (result i32)
          (global.set $g (i32.add (global.get $g) (i32.const 1)))
          (i32.store (i32.const 64) (local.get 0))
          (i32.add (local.get 0) (local.get 1)))
        (func (export "indirect") (param i32 i32) (result i32)
          (call_indirect (type $f) (local.get 0) (local.get 1) (i32.const 0))))
      """.formatted("\\01".repeat(8192));

  /** What Kiln holds of the process now, each count one a leaked cycle would move. */
  record Footprint(long nativeBlocks, long reservedAddressSpace, int guardedMemories, int freeSlots) {
    static Footprint of(Engine engine) {
      return new Footprint(NativeHeap.liveBlocks(), StoreResources.processReservedAddressSpace(),
          WasmFaults.registeredMemories(), engine.poolOrNull() == null ? -1 : engine.poolOrNull().freeSlots());
    }
  }

  private CycleFootprint() {}

  public static void main(String[] args) throws Exception {
    Engine.Builder builder = Engine.builder();
    if (args[0].equals("pooled")) {
      builder.pooling(PoolingAllocation.ofInstances(4).withMaxMemoryBytes(1 << 20));
    }
    Engine engine = builder.build();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "cycle.wat"))) {
      cycles(engine, module); // warm: the module's images, type ids and plans are made once
      System.out.println("footprint after N: " + Footprint.of(engine));
      cycles(engine, module);
      System.out.println("footprint after 2N: " + Footprint.of(engine));
    }
  }

  /** {@link #CYCLES} cycles on each of two threads: new store, instantiate, a typed call, close. */
  private static void cycles(Engine engine, WasmModule module) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          for (int i = 0; i < CYCLES; i++) {
            try (Store store = new Store(engine)) {
              Instance instance = new Linker(store).instantiate(module);
              if (instance.func("indirect", IntBinaryOperator.class).applyAsInt(i, 1) != i + 1) {
                throw new AssertionError("wrong sum in cycle " + i);
              }
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a cycle failed", failure.get());
    }
  }
}
