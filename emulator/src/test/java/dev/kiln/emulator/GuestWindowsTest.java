package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.management.ThreadMXBean;
import dev.kiln.emulator.GuestWindows.Window;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The record of one engine's guest windows, against a mapper that records what it mapped, or fails. */
class GuestWindowsTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final List<Window> mapped = new ArrayList<>();
  private RuntimeException failNext;
  /** The thread's allocated bytes when the mapper last returned. */
  private long allocatedAtMapping;

  private final GuestWindows windows = new GuestWindows((start, size, perms) -> {
    RuntimeException failure = failNext;
    failNext = null;
    if (failure != null) {
      throw failure;
    }
    mapped.add(new Window(start, start + size));
    allocatedAtMapping = THREADS.getCurrentThreadAllocatedBytes();
  });

  @Test
  void nothingIsAllocatedOnceAWindowIsMapped() {
    // Red team 31 F2: the window was recorded after it was mapped, so an OutOfMemoryError in the
    // record's allocations left it mapped but unknown. Counted bytes, the same under any load.
    for (int i = 0; i < 64; i++) {
      windows.map(0x10_0000L * (i + 1), 0x10_0000L * (i + 1) + 0x1000, Unicorn.UC_PROT_READ);
      long after = THREADS.getCurrentThreadAllocatedBytes();
      assertEquals(0, after - allocatedAtMapping, "bytes allocated after mapping window " + i);
    }
  }

  @Test
  void aWindowWhoseMappingThrewIsForgottenBeforeTheNextQuery() {
    windows.map(0x1000, 0x2000, Unicorn.UC_PROT_READ);
    RuntimeException refused = new EmulatorException("refused");
    failNext = refused;
    assertSame(refused, assertThrows(EmulatorException.class, () -> windows.map(0x2000, 0x4000, Unicorn.UC_PROT_READ)));
    assertEquals(Optional.of(new Window(0x2000, 0x4000)), windows.freeAround(0x2800, 0x2000, 0x4000));
    assertEquals(List.of(new Window(0x1000, 0x2000)), windows.all());
    windows.map(0x2000, 0x4000, Unicorn.UC_PROT_READ);
    assertEquals(List.of(new Window(0x1000, 0x2000), new Window(0x2000, 0x4000)), windows.all());
    assertEquals(mapped, windows.all(), "the record is what was mapped");
  }

  @Test
  void aWindowWhoseMappingThrewIsForgottenWhenTheNextIsMapped() {
    failNext = new EmulatorException("refused");
    assertThrows(EmulatorException.class, () -> windows.map(0x1000, 0x2000, Unicorn.UC_PROT_READ));
    windows.map(0x5000, 0x6000, Unicorn.UC_PROT_READ);
    assertEquals(List.of(new Window(0x5000, 0x6000)), windows.all());
  }

  @Test
  void aNewWindowLeavesOutItsNeighbours() {
    windows.map(0x1000, 0x3000, Unicorn.UC_PROT_READ);
    windows.map(0x8000, 0x9000, Unicorn.UC_PROT_READ);
    assertEquals(Optional.of(new Window(0x3000, 0x8000)), windows.freeAround(0x4000, 0, 0x10000));
    assertEquals(Optional.of(new Window(0x3000, 0x5000)), windows.freeAround(0x4000, 0x2000, 0x5000));
    assertEquals(Optional.empty(), windows.freeAround(0x2000, 0, 0x10000), "covered already");
  }

  @Test
  void theCoveredPartsOfARange() {
    windows.map(0x1000, 0x3000, Unicorn.UC_PROT_READ);
    windows.map(0x4000, 0x6000, Unicorn.UC_PROT_READ);
    assertEquals(List.of(new Window(0x2000, 0x3000), new Window(0x4000, 0x5000)), windows.within(0x2000, 0x5000));
    assertEquals(List.of(), windows.within(0x3000, 0x4000));
    assertEquals(List.of(new Window(0x1000, 0x3000)), windows.within(0, 0x4000));
  }
}
