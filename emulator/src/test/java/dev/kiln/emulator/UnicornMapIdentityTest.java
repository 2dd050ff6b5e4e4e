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

  @Test
  void aMappingThatSucceedsAllocatesNothing() {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    long page = VirtualMemory.pageSize();
    try (VirtualMemory memory = VirtualMemory.reserve(2 * CALLS * page); Unicorn unicorn = Unicorn.openArm64()) {
      memory.protect(0, memory.size(), Protection.READ_WRITE);
      for (int i = 0; i < CALLS; i++) { // links the downcall, warms it up
        unicorn.mapIdentity(memory.address() + i * page, page, Unicorn.UC_PROT_READ);
      }
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = CALLS; i < 2 * CALLS; i++) {
        unicorn.mapIdentity(memory.address() + i * page, page, Unicorn.UC_PROT_READ);
      }
      assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, "bytes for " + CALLS + " mappings");
      EmulatorException overlap = assertThrows(EmulatorException.class,
          () -> unicorn.mapIdentity(memory.address(), page, Unicorn.UC_PROT_READ));
      assertTrue(overlap.getMessage().contains("uc_mem_map_ptr(" + page + " bytes, perms 1) failed"),
          overlap.getMessage());
    }
  }
}
