package dev.kiln.codegen.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.UnaryOperator;

/**
 * Checks that a step an ISA's lowering takes per instruction allocates nothing, counted as the bytes
 * the current thread allocates ({@code com.sun.management.ThreadMXBean}): the same under any load.
 */
public final class AllocationFreeSteps {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int STEPS = 10_000;

  private AllocationFreeSteps() {}

  /**
   * Takes {@code step} 10,000 times from {@code start} (an even number, so an involution such as a
   * condition's inversion comes back to it) and fails where that allocated 10,000 bytes or more.
   */
  public static <T> void assertAllocatesNothing(T start, UnaryOperator<T> step, String what) {
    T at = step.apply(step.apply(start)); // the first calls link and compile the step
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < STEPS; i++) {
      at = step.apply(at);
    }
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertEquals(start, at, what + " did not come back to where it started");
    assertTrue(bytes < STEPS, bytes + " bytes for " + STEPS + " " + what);
  }
}
