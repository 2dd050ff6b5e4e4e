package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link Unicorn#mapIdentity} allocates nothing when it succeeds, counted (ThreadMXBean's bytes the
 * thread allocated, the same under any load), so nothing can throw once Unicorn mapped a window that
 * {@link GuestWindows} recorded (red team 31 F2: the failure's message was made after every call,
 * and an {@code OutOfMemoryError} there reported a window Unicorn had mapped as not mapped).
 */
class UnicornMapIdentityTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int CALLS = 128;
  private static final int ROUNDS = 4;

  @Test
  void aMappingThatSucceedsAllocatesNothing() {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    long page = VirtualMemory.pageSize();
    try (VirtualMemory memory = VirtualMemory.reserve((ROUNDS + 1L) * CALLS * page);
        Unicorn unicorn = Unicorn.openArm64()) {
      memory.protect(0, memory.size(), Protection.READ_WRITE);
      for (int i = 0; i < CALLS; i++) { // links the downcall, warms it up
        unicorn.mapIdentity(memory.address() + i * page, page, Unicorn.UC_PROT_READ);
      }
      // The fewest bytes of a few rounds: the JDK may allocate once on the way (a method handle
      // customised after 127 calls, a compiled transition), a message per mapping would be in every
      // round.
      long fewest = Long.MAX_VALUE;
      for (int round = 1; round <= ROUNDS; round++) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = round * CALLS; i < (round + 1) * CALLS; i++) {
          unicorn.mapIdentity(memory.address() + i * page, page, Unicorn.UC_PROT_READ);
        }
        fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, fewest, "bytes for " + CALLS + " mappings, the fewest of " + ROUNDS + " rounds");
      EmulatorException overlap = assertThrows(EmulatorException.class,
          () -> unicorn.mapIdentity(memory.address(), page, Unicorn.UC_PROT_READ));
      assertTrue(overlap.getMessage().contains("uc_mem_map_ptr(" + page + " bytes, perms 1) failed"),
          overlap.getMessage());
    }
  }
}
