package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.InstanceSlot;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.ResourceLimitException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The pool's slot per thread (issue 41): a thread's next instance takes the slot it freed last, so
 * threads making an instance per request each reuse their own slot instead of trading slots (and
 * their pages' cache lines) through the shared free stack; a slot kept by a thread that makes no
 * more instances is still given to others.
 */
class PoolSlotPerThreadTest {
  private static final long[] NO_MEMORIES = new long[0];

  private static InstancePool pool(int slots) {
    return InstancePool.create(new PoolConfig(slots, 0, 0, 4 << 10));
  }

  @Test
  void eachThreadGetsBackTheSlotItFreedWhileAnotherCycles() throws Exception {
    InstancePool pool = pool(2);
    ExecutorService first = Executors.newSingleThreadExecutor();
    ExecutorService second = Executors.newSingleThreadExecutor();
    try {
      InstanceSlot firsts = first.submit(() -> cycle(pool)).get();
      // The shared stack alone gives the slot freed last to whoever asks next: this thread would
      // take the first thread's slot.
      InstanceSlot seconds = second.submit(() -> cycle(pool)).get();
      assertNotSame(firsts, seconds);
      for (int i = 0; i < 3; i++) {
        assertSame(firsts, first.submit(() -> cycle(pool)).get());
        assertSame(seconds, second.submit(() -> cycle(pool)).get());
      }
      assertEquals(2, pool.freeSlots());
    } finally {
      first.shutdownNow();
      second.shutdownNow();
    }
  }

  @Test
  void aSlotKeptByAThreadThatStoppedIsGivenToAnother() throws Exception {
    InstancePool pool = pool(1);
    Thread keeper = new Thread(() -> cycle(pool));
    keeper.start();
    keeper.join();
    assertEquals(1, pool.freeSlots(), "a kept slot is free");
    InstanceSlot taken = pool.acquire("an instance");
    assertEquals(0, pool.freeSlots());
    assertThrows(ResourceLimitException.class, () -> pool.acquire("a second instance"));
    taken.release(NO_MEMORIES);
    assertSame(taken, pool.acquire("a third instance"));
  }

  /** Takes a slot and gives it back, as an instance made and freed on this thread. */
  private static InstanceSlot cycle(InstancePool pool) {
    InstanceSlot slot = pool.acquire("an instance");
    slot.release(NO_MEMORIES);
    return slot;
  }
}
