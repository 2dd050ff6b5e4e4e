package dev.kiln.loader.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rule that frees a module: never while an instance is counted, always once the module is
 * closed and the last one is gone, whichever step (close, release, refused retain) comes last and
 * on whichever thread, with instances counted on one thread's stripe and released on another's.
 */
class LiveInstanceCountTest {
  /** Runs {@code step} on a thread of its own (its own stripe, most likely) and returns its result. */
  private static boolean onAnotherThread(java.util.function.BooleanSupplier step) throws Exception {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> result.complete(step.getAsBoolean()));
    thread.start();
    return result.get(60, TimeUnit.SECONDS);
  }

  @Test
  void theLastReleaseAfterTheCloseFreesEvenOnAnotherThread() throws Exception {
    LiveInstanceCount count = new LiveInstanceCount();
    assertTrue(count.enter());
    assertTrue(onAnotherThread(count::enter));
    assertFalse(count.close(), "two instances live");
    assertFalse(onAnotherThread(count::exit), "one instance still live (made on this thread)");
    assertFalse(count.enter(), "closed");
    assertFalse(count.closedAndEmpty(), "the refused retain took its count back; one instance is live");
    assertTrue(onAnotherThread(count::exit), "the last instance, made here, released there");
    assertTrue(count.closedAndEmpty());
  }

  @Test
  void aCloseWithNoInstanceFreesAtOnceAndAReleaseBeforeTheCloseNever() throws Exception {
    LiveInstanceCount count = new LiveInstanceCount();
    assertTrue(onAnotherThread(count::enter));
    assertFalse(count.exit(), "open: nothing to free");
    assertFalse(count.closedAndEmpty());
    assertTrue(count.close());
    assertTrue(count.close(), "idempotent");
  }

  /**
   * Many threads retain and release while another closes: no thread ever holds an instance of a
   * freed module, and the module is freed exactly when the last step leaves it empty.
   */
  @Test
  void racingRetainsReleasesAndTheCloseNeverFreeUnderALiveInstance() throws Exception {
    int threads = 8;
    for (int round = 0; round < 200; round++) {
      LiveInstanceCount count = new LiveInstanceCount();
      AtomicBoolean freed = new AtomicBoolean();
      AtomicInteger frees = new AtomicInteger();
      AtomicInteger violations = new AtomicInteger();
      Runnable free = () -> {
        frees.incrementAndGet();
        freed.set(true);
      };
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          awaitQuietly(start);
          while (true) {
            if (!count.enter()) {
              if (count.closedAndEmpty()) {
                free.run();
              }
              return;
            }
            if (freed.get()) {
              violations.incrementAndGet(); // an instance counted in a module already freed
            }
            Thread.onSpinWait();
            if (count.exit()) {
              free.run();
            }
          }
        });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (int spin = 0; spin < round * 50; spin++) {
        Thread.onSpinWait();
      }
      if (count.close()) {
        free.run();
      }
      for (Thread worker : workers) {
        worker.join(60_000);
      }
      assertEquals(0, violations.get(), "round " + round);
      assertTrue(freed.get(), "round " + round + ": closed and empty, never freed");
      assertTrue(frees.get() >= 1);
      assertTrue(count.closedAndEmpty());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
