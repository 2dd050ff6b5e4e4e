package dev.kiln.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A memory view another thread has passed to a native call that has not returned holds the view's
 * arena open (the JDK acquires a segment's session for the call), so the close that frees the
 * memory cannot close it. Such a close fails with one Kiln message saying why and what to do, not
 * the JDK's bare "Session is acquired by 1 clients"; what it closed stays closed, and a close made
 * again once the call returned frees everything.
 */
class CloseWhileAViewIsInUseTest {
  private static final byte[] WITH_MEMORY = Wat.toBinaryWithNames("""
      (module (memory (export "memory") 1))
      """, "with-memory.wat");
  /** {@code int nanosleep(const struct timespec *req, struct timespec *rem)}: a native call holding a view. */
  private static final MethodHandle NANOSLEEP = java.lang.foreign.Linker.nativeLinker().downcallHandle(
      java.lang.foreign.Linker.nativeLinker().defaultLookup().find("nanosleep").orElseThrow(),
      FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS,
          java.lang.foreign.ValueLayout.ADDRESS));
  /** How long the native call holds the view: long enough for the closes below, well inside a test's time. */
  private static final long HELD_SECONDS = 2;

  private final Engine engine = Engine.create();

  @Test
  void anInstancesCloseSaysWhyAndARetriedCloseFreesIt() throws Exception {
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, WITH_MEMORY)) {
      Instance instance = new Linker(store).instantiate(module);
      Memory memory = instance.memory("memory");
      MemorySegment view = memory.segment();
      Thread holder = holdInANativeCall(view);
      IllegalStateException refused = assertThrows(IllegalStateException.class, instance::close);
      assertClearMessage(refused);
      assertThrows(IllegalStateException.class, () -> memory.read(0, 1), "the instance stays closed");
      holder.join();
      instance.close();
      assertThrows(IllegalStateException.class, () -> view.get(JAVA_LONG, 0), "the memory is freed");
    }
  }

  @Test
  void aStoresCloseSaysWhyAndARetriedCloseFreesIt() throws Exception {
    Store store = new Store(engine);
    try (WasmModule module = WasmModule.compile(engine, WITH_MEMORY)) {
      Instance instance = new Linker(store).instantiate(module);
      MemorySegment view = instance.memory("memory").segment();
      Thread holder = holdInANativeCall(view);
      IllegalStateException refused = assertThrows(IllegalStateException.class, store::close);
      assertClearMessage(refused);
      IllegalStateException closed = assertThrows(IllegalStateException.class, () -> new Linker(store).instantiate(module));
      assertTrue(closed.getMessage().contains("closed"), "the store stays closed: " + closed.getMessage());
      holder.join();
      store.close();
      assertThrows(IllegalStateException.class, () -> view.get(JAVA_LONG, 0), "the memory is freed");
    }
  }

  private static void assertClearMessage(IllegalStateException refused) {
    String message = refused.getMessage();
    assertTrue(message.contains("another thread") && message.contains("close again"), message);
    assertEquals(false, message.contains("Session is acquired"), message);
  }

  /** A thread inside {@code nanosleep} with {@code view} as its argument; returns once it is inside. */
  private static Thread holdInANativeCall(MemorySegment view) throws InterruptedException {
    view.set(JAVA_LONG, 0, HELD_SECONDS); // tv_sec
    view.set(JAVA_LONG, 8, 0); // tv_nsec
    CountDownLatch calling = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      calling.countDown();
      try {
        int unused = (int) NANOSLEEP.invokeExact(view, MemorySegment.NULL);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }, "holding-a-view");
    holder.start();
    calling.await();
    Thread.sleep(300); // into the call: the closes below come well within its two seconds
    return holder;
  }
}
