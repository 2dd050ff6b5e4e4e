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
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.sys.StackBounds;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeStoreTest {
  @Test
  void loaderStructLayoutMatchesTheArtifactsStoreLayoutFieldByField() {
    for (VmField f : StoreLayout.fields()) {
      MemoryLayout.PathElement path = MemoryLayout.PathElement.groupElement(f.name());
      assertEquals(f.offset(), StoreContext.LAYOUT.byteOffset(path), f.name() + " offset");
      assertEquals(f.size(), StoreContext.LAYOUT.select(path).byteSize(), f.name() + " size");
    }
    long named = StoreContext.LAYOUT.memberLayouts().stream().filter(m -> m.name().isPresent()).count();
    assertEquals(StoreLayout.fields().size(), named, "loader has fields the artifact does not list");
    assertEquals(StoreLayout.SIZE, StoreContext.LAYOUT.byteSize());
  }

  @Test
  void contextIsZeroedAlignedAndCarriesTheStackBudget() {
    try (NativeStore store = new NativeStore(300_000, 4096)) {
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
    try (NativeStore a = new NativeStore(shared); NativeStore b = new NativeStore(shared); NativeStore own = new NativeStore()) {
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
    try (NativeStore store = new NativeStore(epoch)) {
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
    try (NativeStore store = new NativeStore()) {
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
  void enteringSetsTheFloorFromTheThreadsStackLowEndPlusHeadroomAndTheUncheckedLeafFrame() {
    try (NativeStore store = new NativeStore(NativeStore.DEFAULT_MAX_WASM_STACK, 64 * 1024)) {
      store.entries().enter(NativeExecutor.forHost());
      try {
        StackBounds bounds = StackBounds.ofCurrentThread();
        assertEquals(bounds.low() + 64 * 1024 + StoreLayout.UNCHECKED_LEAF_FRAME, store.stackFloor());
        assertEquals(store.stackFloor(), store.context().get(ValueLayout.JAVA_LONG, StoreLayout.STACK_FLOOR));
      } finally {
        store.entries().exit();
      }
    }
  }

  @Test
  void eachOutermostEntryHasTheFloorOfTheThreadMakingIt() throws Exception {
    // The store keeps the floor of the last thread that entered and skips recomputing it for the
    // same thread: a store handed from thread to thread must still get each one's own stack.
    try (NativeStore store = new NativeStore(NativeStore.DEFAULT_MAX_WASM_STACK, 64 * 1024)) {
      long mainFloor = floorOfAnEntry(store);
      assertEquals(StackBounds.ofCurrentThread().low() + 64 * 1024 + StoreLayout.UNCHECKED_LEAF_FRAME, mainFloor);
      long[] otherFloors = new long[2];
      Thread other = Thread.ofPlatform().start(() -> {
        otherFloors[0] = floorOfAnEntry(store);
        otherFloors[1] = StackBounds.ofCurrentThread().low() + 64 * 1024 + StoreLayout.UNCHECKED_LEAF_FRAME;
      });
      other.join();
      assertEquals(otherFloors[1], otherFloors[0]);
      assertTrue(otherFloors[0] != mainFloor, "two threads, two stacks");
      assertEquals(mainFloor, floorOfAnEntry(store), "back on the first thread, its own floor again");
    }
  }

  /**
   * A thread that entered a store of any thread, whose exit then overflowed (counted as owed, not
   * made) and which ended (red team 24 F2): the store was claimed by a dead thread for ever, refused
   * to every thread and unclosable. The next thread takes the claim over and makes the dead thread's
   * exit before its own entry counts, whether its first use is an entry or the close.
   */
  @Test
  void aStoreWhoseThreadEndedOwingAnExitIsTakenOverByTheNextThread() throws Exception {
    for (boolean closeFirst : new boolean[] {false, true}) {
      NativeStore store = new NativeStore();
      Thread dying = Thread.ofPlatform().name("dying").start(() -> {
        store.entries().enter(NativeExecutor.forHost());
        store.entries().exitsOwed++; // the exit's caller counted it; the exit's frame then overflowed
      });
      dying.join();
      if (!closeFirst) {
        store.entries().enter(NativeExecutor.forHost());
        assertEquals(1, store.entries().depth(), "the dead thread's entry was ended at the takeover");
        store.entries().exit();
        assertEquals(false, store.entries().claimedByCurrentThread());
        Throwable[] refused = new Throwable[1];
        Thread.ofPlatform().start(() -> {
          try {
            floorOfAnEntry(store);
          } catch (Throwable t) {
            refused[0] = t;
          }
        }).join();
        assertEquals(null, refused[0], "another thread uses the store after the takeover");
      }
      store.close();
      assertTrue(store.isClosed());
    }
  }

  private static long floorOfAnEntry(NativeStore store) {
    store.entries().enter(NativeExecutor.forHost());
    try {
      return store.context().get(ValueLayout.JAVA_LONG, StoreLayout.STACK_FLOOR);
    } finally {
      store.entries().exit();
    }
  }

  @Test
  void recordedTrapReadsCodePcAndFpWithTheSpecMessage() {
    try (NativeStore store = new NativeStore()) {
      MemorySegment ctx = store.context();
      ctx.set(ValueLayout.JAVA_INT, StoreLayout.TRAP_CODE, TrapCode.INTEGER_DIVISION_BY_ZERO.code());
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.TRAP_PC, 0x1234L);
      ctx.set(ValueLayout.JAVA_INT, StoreLayout.BACKTRACE_COUNT, 2);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE, 0x5678L);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE + 8, 0x9abcL);
      ctx.set(ValueLayout.JAVA_LONG, StoreLayout.BACKTRACE + 16, 0xdeadL);
      TrapException trap = store.recordedTrap();
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
  void anotherThreadCannotEnterInstantiateOrCloseWhileWasmRuns() throws Exception {
    try (NativeStore store = new NativeStore()) {
      store.entries().enter(NativeExecutor.forHost());
      try {
        List<Throwable> seen = new ArrayList<>();
        Thread other = new Thread(() -> {
          for (Runnable attempt : List.<Runnable>of(() -> store.entries().enter(NativeExecutor.forHost()),
              () -> store.exclusive("instantiate a module", () -> null), store::close)) {
            try {
              attempt.run();
            } catch (IllegalStateException e) {
              seen.add(e);
            }
          }
        }, "intruder");
        other.start();
        other.join();
        assertEquals(3, seen.size(), seen.toString());
        String message = seen.getFirst().getMessage();
        assertTrue(message.startsWith(store + " is in use by thread \"" + Thread.currentThread().getName()
            + "\"; thread \"intruder\" cannot run wasm in it"), message);
        assertTrue(seen.get(1).getMessage().contains("cannot instantiate a module"), seen.get(1).getMessage());
        assertTrue(seen.get(2).getMessage().contains("cannot close it"), seen.get(2).getMessage());
        IllegalStateException own = assertThrows(IllegalStateException.class, store::close);
        assertTrue(own.getMessage().contains("is running wasm"), own.getMessage());
        store.entries().enter(NativeExecutor.forHost());
        store.entries().exit();
      } finally {
        store.entries().exit();
      }
      Thread after = new Thread(() -> {
        store.entries().enter(NativeExecutor.forHost());
        store.entries().exit();
      });
      after.start();
      after.join();
    }
  }

  /**
   * Two threads arriving at an idle store at the same moment: exactly one gets in, every round.
   * Neither leaves before both have tried, so a second success could only be two threads inside
   * at once, sharing the stack limit and the trap record.
   */
  @Test
  void twoThreadsEnteringAtOnceNeverBothGetIn() throws Exception {
    try (NativeStore store = new NativeStore()) {
      int rounds = 5000;
      CyclicBarrier start = new CyclicBarrier(2);
      CyclicBarrier tried = new CyclicBarrier(2);
      AtomicInteger[] entered = new AtomicInteger[rounds];
      for (int r = 0; r < rounds; r++) {
        entered[r] = new AtomicInteger();
      }
      Callable<Void> contender = () -> {
        for (int r = 0; r < rounds; r++) {
          start.await();
          boolean in = false;
          try {
            store.entries().enter(NativeExecutor.forHost());
            in = true;
            entered[r].incrementAndGet();
          } catch (IllegalStateException busy) {
            // the other thread won this round
          }
          tried.await();
          if (in) {
            store.entries().exit();
          }
        }
        return null;
      };
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (Future<Void> f : pool.invokeAll(List.of(contender, contender))) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      for (int r = 0; r < rounds; r++) {
        assertEquals(1, entered[r].get(), "round " + r);
      }
    }
  }

  /**
   * A confined store's outermost entry is one comparison of its state word and one write, and so
   * is its exit (issue 42): whatever that word folds in must still hold on the way in and out.
   */
  @Test
  void aConfinedStoresEntryWordStillClaimsPlacesTheFloorNestsFreesLateAndCloses() throws Exception {
    NativeStore store = new NativeStore(new Epoch(), new RuntimeTypes(), NativeStore.DEFAULT_MAX_WASM_STACK,
        64 * 1024, StoreLimits.DEFAULTS.withMaxHostCallDepth(2), Thread.currentThread());
    NativeExecutor executor = NativeExecutor.forHost();
    Lifetime late = store.adopt("late", () -> { }, false);
    for (int call = 0; call < 3; call++) {
      // the first call places the floor the slow way, the next two find it in the word
      store.entries().enter(executor);
      try {
        assertEquals(1, store.entries().depth());
        store.requireClaim("read a GC word"); // the depth is the thread's claim: no count of the claim's
        assertEquals(StackBounds.ofCurrentThread().low() + 64 * 1024 + StoreLayout.UNCHECKED_LEAF_FRAME,
            store.context().get(ValueLayout.JAVA_LONG, StoreLayout.STACK_FLOOR));
        assertThrows(WrongThreadException.class, () -> onAnotherThread(() -> store.entries().enter(executor)));
        if (call == 1) {
          store.closeHandle(late); // from inside wasm: freed at the outermost exit, not now
          assertTrue(late.isAlive());
        }
      } finally {
        store.entries().exit();
      }
      assertEquals(call < 1, late.isAlive(), "after call " + call);
      assertThrows(IllegalStateException.class, () -> store.requireClaim("read a GC word"));
    }
    store.entries().enter(executor);
    store.entries().enter(executor);
    store.entries().enter(executor);
    TrapException tooDeep = assertThrows(TrapException.class, () -> store.entries().enter(executor));
    assertEquals(TrapCode.HOST_CALL_DEPTH_EXCEEDED, tooDeep.code());
    assertEquals(3, store.entries().depth());
    store.entries().exit();
    store.entries().exit();
    store.entries().exit();
    store.close();
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> store.entries().enter(executor));
    assertEquals(store + " is closed", closed.getMessage());
  }

  /** Runs {@code body} on a new thread and rethrows what it threw there. */
  private static void onAnotherThread(Runnable body) throws Throwable {
    Throwable[] thrown = new Throwable[1];
    Thread other = Thread.ofPlatform().start(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        thrown[0] = t;
      }
    });
    other.join();
    if (thrown[0] != null) {
      throw thrown[0];
    }
  }

  @Test
  void aClosedStoreRefusesEntriesAndClosingTwiceIsHarmless() {
    NativeStore store = new NativeStore();
    store.close();
    store.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.entries().enter(NativeExecutor.forHost()));
    assertEquals(store + " is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> store.exclusive("instantiate", () -> null));
    assertThrows(IllegalStateException.class, () -> store.adopt("late", () -> { }, false));
  }

  @Test
  void theHostTargetRunsOnTheSharedNativeExecutorAndAClosedStoreGivesNone() {
    NativeStore store = new NativeStore();
    Target host = HostTarget.current().orElseThrow();
    assertSame(NativeExecutor.forHost(), store.executorFor(host));
    assertSame(store.executorFor(host), store.executorFor(host), "created once per store");
    store.close();
    assertThrows(IllegalStateException.class, () -> store.executorFor(host));
  }

  @Test
  void rejectsANonPositiveBudget() {
    assertThrows(IllegalArgumentException.class, () -> new NativeStore(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new NativeStore(1024, -1));
  }
}
