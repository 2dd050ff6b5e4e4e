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

  @Test
  void accessesThatSucceedAllocateNothing() {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    try (Unicorn unicorn = Unicorn.openArm64()) {
      long sum = 0;
      for (int i = 0; i < CALLS; i++) { // links the downcalls, warms them up
        unicorn.writeRegister(Arm64Registers.x(i % 29), i);
        sum += unicorn.readRegister(Arm64Registers.x(i % 29));
      }
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        unicorn.writeRegister(Arm64Registers.x(i % 29), i);
        sum += unicorn.readRegister(Arm64Registers.x(i % 29));
      }
      assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, "bytes for " + CALLS + " writes and reads");
      assertEquals(2L * CALLS * (CALLS - 1) / 2, sum, "each read gave what was written");
    }
  }
}
