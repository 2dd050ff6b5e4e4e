package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmField;
import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.instance.HostTarget;
import dev.kiln.loader.sys.StackBounds;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class StoreTest {
  @Test
  void loaderStructLayoutMatchesTheArtifactsStoreLayoutFieldByField() {
    for (VmField f : StoreLayout.fields()) {
      MemoryLayout.PathElement path = MemoryLayout.PathElement.groupElement(f.name());
      assertEquals(f.offset(), Store.CONTEXT_LAYOUT.byteOffset(path), f.name() + " offset");
      assertEquals(f.size(), Store.CONTEXT_LAYOUT.select(path).byteSize(), f.name() + " size");
    }
    long named = Store.CONTEXT_LAYOUT.memberLayouts().stream().filter(m -> m.name().isPresent()).count();
    assertEquals(StoreLayout.fields().size(), named, "loader has fields the artifact does not list");
    assertEquals(StoreLayout.SIZE, Store.CONTEXT_LAYOUT.byteSize());
  }

  @Test
  void contextIsZeroedAlignedAndCarriesTheStackBudget() {
    try (Store store = new Store(300_000, 4096)) {
      MemorySegment ctx = store.context();
      assertEquals(0, ctx.address() % StoreLayout.ALIGNMENT);
      assertEquals(0, store.stackLimit());
      assertEquals(0, store.entrySp());
      assertEquals(300_000, ctx.get(ValueLayout.JAVA_LONG, StoreLayout.MAX_WASM_STACK));
      assertEquals(300_000, store.maxWasmStack());
    }
  }

  @Test
  void theContextPointsAtTheStoresEpochAndStartsWithNoDeadlineAndNoFuel() {
    Epoch shared = new Epoch();
    try (Store a = new Store(shared); Store b = new Store(shared); Store own = new Store()) {
      assertEquals(shared.address(), a.context().get(ValueLayout.JAVA_LONG, StoreLayout.EPOCH_PTR));
      assertEquals(shared.address(), b.context().get(ValueLayout.JAVA_LONG, StoreLayout.EPOCH_PTR));
      assertTrue(own.epoch() != shared);
      // Wasmtime's defaults: a deadline of 0 and no fuel, so checked code traps at its first check.
      assertEquals(0, a.epochDeadline());
      assertEquals(0, a.fuel());
    }
  }

  @Test
  void theDeadlineIsTicksPastTheCurrentEpoch() {
    Epoch epoch = new Epoch();
    try (Store store = new Store(epoch)) {
      epoch.increment();
      epoch.increment();
      store.setEpochDeadline(3);
      assertEquals(5, store.epochDeadline());
      assertEquals(5, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.EPOCH_DEADLINE));
      store.setEpochDeadline(Long.MAX_VALUE);
      assertEquals("9223372036854775809", Long.toUnsignedString(store.epochDeadline()), "unsigned");
      assertThrows(IllegalArgumentException.class, () -> store.setEpochDeadline(-1));
    }
  }

  @Test
  void fuelIsMinusTheConsumedCountAndRefills() {
    try (Store store = new Store()) {
      store.setFuel(1000);
      assertEquals(-1000, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.FUEL_CONSUMED));
      assertEquals(1000, store.fuel());
      // What compiled code writes back after spending 1003 of it (checks run at entries and loops).
      store.context().set(ValueLayout.JAVA_LONG, StoreLayout.FUEL_CONSUMED, 3);
      assertEquals(0, store.fuel());
      store.addFuel(50);
      assertEquals(50, store.fuel());
      store.addFuel(Long.MAX_VALUE);
      assertEquals(Long.MAX_VALUE, store.fuel());
      assertThrows(IllegalArgumentException.class, () -> store.setFuel(-1));
      assertThrows(IllegalArgumentException.class, () -> store.addFuel(-1));
    }
  }

  @Test
  void theEpochIsIncrementedAtomicallyFromManyThreads() throws InterruptedException {
    Epoch epoch = new Epoch();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 10_000; i++) {
          epoch.increment();
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(40_000, epoch.current());
    assertEquals(40_000, MemorySegment.ofAddress(epoch.address()).reinterpret(8).get(ValueLayout.JAVA_LONG, 0));
  }

  @Test
  void enteringSetsTheFloorFromTheThreadsStackLowEndPlusHeadroom() {
    try (Store store = new Store(Store.DEFAULT_MAX_WASM_STACK, 64 * 1024)) {
      store.enter(NativeExecutor.forHost());
      try {
        StackBounds bounds = StackBounds.ofCurrentThread();
        assertEquals(bounds.low() + 64 * 1024, store.stackFloor());
        assertEquals(store.stackFloor(), store.context().get(ValueLayout.JAVA_LONG, StoreLayout.STACK_FLOOR));
      } finally {
        store.exit();
      }
    }
  }

  @Test
  void recordedTrapReadsCodePcAndFpWithTheSpecMessage() {
    try (Store store = new Store()) {
      MemorySegment ctx = store.context();
      ctx.set(ValueLayout.JAVA_INT, StoreLayout.TRAP_CODE, TrapCode.INTEGER_DIVISION_BY_ZERO.code());
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.TRAP_PC, 0x1234L);
      ctx.set(ValueLayout.JAVA_INT, StoreLayout.BACKTRACE_COUNT, 2);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE, 0x5678L);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE + 8, 0x9abcL);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE + 16, 0xdeadL);
      Trap trap = store.recordedTrap();
      assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
      assertEquals(0x1234L, trap.pc());
      assertArrayEquals(new long[] {0x5678L, 0x9abcL}, trap.callers());
      assertEquals(0, trap.getStackTrace().length, "no Java stack trace is filled in");
      assertEquals("integer divide by zero", trap.getMessage());

      ctx.set(ValueLayout.JAVA_INT, StoreLayout.TRAP_CODE, 200);
      IllegalStateException e = assertThrows(IllegalStateException.class, store::recordedTrap);
      assertTrue(e.getMessage().contains("200"), e.getMessage());
    }
  }

  @Test
  void anotherThreadCannotEnterWhileWasmRuns() throws Exception {
    try (Store store = new Store()) {
      store.enter(NativeExecutor.forHost());
      try {
        Throwable[] seen = new Throwable[1];
        Thread other = new Thread(() -> {
          try {
            store.enter(NativeExecutor.forHost());
          } catch (IllegalStateException e) {
            seen[0] = e;
          }
        });
        other.start();
        other.join();
        assertTrue(seen[0] instanceof IllegalStateException);
        assertThrows(IllegalStateException.class, store::close);
      } finally {
        store.exit();
      }
    }
  }

  @Test
  void theHostTargetRunsOnTheSharedNativeExecutorAndAClosedStoreGivesNone() {
    Store store = new Store();
    Target host = HostTarget.current().orElseThrow();
    assertSame(NativeExecutor.forHost(), store.executorFor(host));
    assertSame(store.executorFor(host), store.executorFor(host), "created once per store");
    store.close();
    assertThrows(IllegalStateException.class, () -> store.executorFor(host));
  }

  @Test
  void rejectsANonPositiveBudget() {
    assertThrows(IllegalArgumentException.class, () -> new Store(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Store(1024, -1));
  }
}
