package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link Unicorn#readRegister} and {@link Unicorn#writeRegister} allocate nothing when they
 * succeed, counted (ThreadMXBean's bytes the thread allocated, the same under any load): every
 * emulated host call makes several, and each made its failure's message, a string, before (issue 35).
 */
class UnicornRegistersTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int CALLS = 128;
  private static final int ROUNDS = 4;

  @Test
  void accessesThatSucceedAllocateNothing() {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    try (Unicorn unicorn = Unicorn.openArm64()) {
      long sum = 0;
      for (int i = 0; i < CALLS; i++) { // links the downcalls, warms them up
        unicorn.writeRegister(Arm64Registers.x(i % 29), i);
        sum += unicorn.readRegister(Arm64Registers.x(i % 29));
      }
      // The fewest bytes of a few rounds: the JDK may allocate once on the way (a method handle
      // customised after 127 calls, a compiled transition), a message per access would be in every
      // round.
      long fewest = Long.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
          unicorn.writeRegister(Arm64Registers.x(i % 29), i);
          sum += unicorn.readRegister(Arm64Registers.x(i % 29));
        }
        fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, fewest, "bytes for " + CALLS + " writes and reads, the fewest of " + ROUNDS + " rounds");
      assertEquals((ROUNDS + 1L) * CALLS * (CALLS - 1) / 2, sum, "each read gave what was written");
    }
  }
}
