package dev.kiln.tests.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Runs one body on several threads at once and fails with whatever any of them threw. */
public final class Concurrently {
  private Concurrently() {}

  /** What each thread runs, given its index. */
  @FunctionalInterface
  public interface Body {
    void run(int thread) throws Exception;
  }

  /** Starts {@code threads} threads running {@code body}, waits for all, then fails if any threw. */
  public static void run(int threads, Body body) throws InterruptedException {
    List<Thread> started = new ArrayList<>();
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      started.add(new Thread(() -> {
        try {
          body.run(id);
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    started.forEach(Thread::start);
    for (Thread thread : started) {
      thread.join();
    }
    assertTrue(failures.isEmpty(), () -> failures.toString());
  }
}
