package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A guard-fault table's slots are never lost to an {@code OutOfMemoryError} (issue 35): its free
 * slots are an int stack grown with the table, before a slot is taken, so a removal allocates
 * nothing (a slot pushed, boxed, on a deque after its entry was cleared could be lost), and a
 * growth that fails leaves the table, as the fault handler reads it, as it was. Each test has a
 * table of its own, published in a header of its own, not the process's.
 */
class WasmFaultsTableTest {
  private static final long TABLE = 0;
  private static final long COUNT = 8;
  /** A range per slot, in the top of the lower half, never mapped here: only the table sees it. */
  private static final long BASE = 0x7FFF_0000_0000L;
  private static final long SPAN = 4096;

  private static WasmFaults.Table table(MemorySegment header, TableArrays arrays) {
    return new WasmFaults.Table(header, TABLE, COUNT, 8, 0, arrays);
  }

  private static int register(WasmFaults.Table table, int range) {
    int slot = table.slotForAdd();
    table.add(slot, BASE + range * SPAN, BASE + (range + 1) * SPAN, range);
    return slot;
  }

  @Test
  void anOutOfMemoryErrorWhereTheTableGrowsTakesNoSlot() {
    MemorySegment header = Arena.ofAuto().allocate(16, 8);
    ArraysThatRunOut arrays = new ArraysThatRunOut(2); // the first growth passes, the second fails
    WasmFaults.Table table = table(header, arrays);
    int full = 64; // the first growth's slots
    for (int range = 0; range < full; range++) {
      assertEquals(range, register(table, range));
    }
    long published = header.get(JAVA_LONG, TABLE);
    assertThrows(OutOfMemoryError.class, table::slotForAdd);
    assertTrue(arrays.ranOut(), "the table never grew");
    assertEquals(full, table.registered(), "a failed growth took a slot");
    assertEquals(full, header.get(JAVA_LONG, COUNT), "a failed growth published a count");
    assertEquals(published, header.get(JAVA_LONG, TABLE), "a failed growth published a table");
    assertEquals(full - 1, table.find(BASE + (full - 1) * SPAN), "a failed growth lost an entry");
    assertEquals(full, register(table, full), "the slot the failed growth would have given");
    assertEquals(full + 1, table.registered());
    assertEquals(full, table.find(BASE + full * SPAN));
  }

  /**
   * Measured in bytes, since the old deque's allocations (a boxed slot past 127, the deque's own
   * growth) went through no maker a test controls: the removals of every slot of a warmed table
   * allocate none.
   */
  @Test
  void aRemovalAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MemorySegment header = Arena.ofAuto().allocate(16, 8);
    WasmFaults.Table table = table(header, TableArrays.HEAP);
    int slots = 512;
    for (int round = 0; round < 3; round++) { // the last round is measured, the others warm up
      for (int range = 0; range < slots; range++) {
        register(table, range);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int slot = 0; slot < slots; slot++) {
        table.remove(slot);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertEquals(0, table.registered());
      assertFalse(table.find(BASE) >= 0, "a removed entry is found");
      if (round == 2) {
        assertEquals(0, allocated, "bytes allocated by " + slots + " removals");
      }
    }
    for (int range = 0; range < slots; range++) {
      assertTrue(register(table, range) < slots, "a freed slot is reused before a new one");
    }
    assertEquals(slots, header.get(JAVA_LONG, COUNT), "the table grew past its freed slots");
  }
}
