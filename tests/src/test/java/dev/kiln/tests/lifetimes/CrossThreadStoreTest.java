package dev.kiln.tests.lifetimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.StackBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store's single-thread rule with real threads: a second thread is refused with a message naming
 * the store and both threads while the first is inside, two threads never run in one store at once
 * (so they never share its stack limit), a store moves between threads one after the other, and a
 * closed store or instance refuses calls.
 */
class CrossThreadStoreTest {
  private static final FuncType VOID = new FuncType(List.of(), List.of());
  private static final String CALLS_HOST = """
      (module (import "env" "inside" (func $inside)) (memory (export "memory") 1)
        (func (export "run") (param i32) (result i32) (call $inside) (i32.mul (local.get 0) (i32.const 3))))
      """;

  private final StoreSession session = new StoreSession();
  private final NativeStore store = session.store;
  private final ImportNamespace linker = session.linker;

  @AfterEach
  void close() throws Exception {
    session.close();
  }

  private static int run(LoadedInstance instance, int x) {
    return ((WasmValue.I32) instance.invoke("run", x).getFirst()).value();
  }

  private static <T> T inThread(String name, Callable<T> body) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        result.set(body.call());
      } catch (Exception e) {
        failure.set(e);
      }
    }, name);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  @Test
  void aSecondThreadIsRefusedWithTheStoreAndBothThreadsNamedWhileTheFirstRunsWasm() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    linker.defineFunction("env", "inside", VOID, args -> {
      inside.countDown();
      release.await();
      return List.of();
    });
    LoadedInstance instance = session.instantiate(CALLS_HOST);
    LoadedModule other = session.open(CrashScenarios.module("(module)"));
    Future<Integer> first;
    ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "first"));
    try {
      first = runner.submit(() -> run(instance, 14));
      inside.await();
      List<String> refusals = inThread("second", () -> {
        List<String> messages = new ArrayList<>();
        for (Runnable attempt : List.<Runnable>of(() -> instance.invoke("run", 1), () -> linker.instantiate(other),
            instance::close, store::close)) {
          messages.add(assertThrows(IllegalStateException.class, attempt::run).getMessage());
        }
        return messages;
      });
      for (String message : refusals) {
        assertTrue(message.startsWith(store + " is in use by thread \"first\"; thread \"second\" cannot "), message);
      }
      assertTrue(refusals.get(0).contains("cannot call an export in it"), refusals.get(0));
      assertTrue(refusals.get(1).contains("cannot instantiate"), refusals.get(1));
      assertTrue(refusals.get(2).contains("cannot close instance of"), refusals.get(2));
      assertTrue(refusals.get(3).contains("cannot close it"), refusals.get(3));
      release.countDown();
      assertEquals(42, first.get());
    } finally {
      release.countDown();
      runner.shutdown();
    }
    assertEquals(9, (int) inThread("later", () -> run(instance, 3)), "the store moves to another thread once free");
  }

  /**
   * Threads hammering one store: every call either runs alone or is refused. Inside the host
   * function the store's stack limit must lie on the calling thread's own stack; two threads in
   * the store at once would share one limit, which then lies on the other thread's stack.
   */
  @Test
  void threadsHammeringOneStoreNeverRunInItTogetherNorShareItsStackLimit() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger foreignLimits = new AtomicInteger();
    linker.defineFunction("env", "inside", VOID, args -> {
      if (inside.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
      if (!StackBounds.ofCurrentThread().contains(store.stackLimit())) {
        foreignLimits.incrementAndGet();
      }
      Thread.yield();
      inside.decrementAndGet();
      return List.of();
    });
    LoadedInstance instance = session.instantiate(CALLS_HOST);
    int threads = 4;
    int callsEach = 2_000;
    AtomicInteger done = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Callable<Void> hammer = () -> {
      for (int i = 0; i < callsEach; i++) {
        try {
          assertEquals(3 * i, run(instance, i));
          done.incrementAndGet();
        } catch (IllegalStateException busy) {
          assertTrue(busy.getMessage().contains(" is in use by thread "), busy.getMessage());
          refused.incrementAndGet();
        }
      }
      return null;
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Future<Void> f : pool.invokeAll(java.util.Collections.nCopies(threads, hammer))) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(0, overlaps.get(), "two threads inside the store at once");
    assertEquals(0, foreignLimits.get(), "a stack limit that lies on another thread's stack");
    assertEquals(threads * callsEach, done.get() + refused.get());
    // How many calls win the store depends on scheduling (a loaded machine ran 1,983 of 8,000): only
    // that calls do get through is asserted, not how many.
    assertTrue(done.get() > 0, "no call ever got the store: " + refused.get() + " refused");
  }

  @Test
  void aClosedInstanceOrStoreRefusesCallsWithAClearMessage() {
    linker.defineFunction("env", "inside", VOID, args -> List.of());
    LoadedInstance instance = session.instantiate(CALLS_HOST);
    var run = instance.function("run");
    instance.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> instance.invoke("run", 1));
    assertEquals("instance of module loaded from bytes is closed", e.getMessage());
    assertEquals(e.getMessage(), assertThrows(IllegalStateException.class, () -> run.callJava(1)).getMessage());
    assertThrows(IllegalStateException.class, () -> instance.export("memory"));
    LoadedInstance another = session.instantiate(CALLS_HOST);
    store.close();
    e = assertThrows(IllegalStateException.class, () -> another.invoke("run", 1));
    assertEquals(store + " is closed", e.getMessage());
  }
}
