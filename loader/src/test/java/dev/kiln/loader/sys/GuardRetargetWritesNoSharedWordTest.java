package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every pooled instantiation retargets its memory slot's guard-fault entry, on whichever thread
 * (issue 41). The retarget must not take {@code WasmFaults}' entry lock in shared mode when nothing
 * moves: that is two compare-and-sets on one word all cycling threads write. Counted: of a thousand
 * retargets, only those that raced with a table's growth or an entry's removal elsewhere in the
 * process (none, unless another test registers memories meanwhile) may take it.
 */
class GuardRetargetWritesNoSharedWordTest {
  @Test
  void aRetargetTakesNotTheEntryLock() {
    // A range no memory has (the top of the lower half, never mapped here): only the table sees it.
    long start = 0x7FFF_F000_0000L;
    try (WasmFaults.Registration registration = WasmFaults.registerMemory(1, start, start + 4096)) {
      long before = WasmFaults.retargetsUnderTheLock();
      for (int i = 0; i < 1000; i++) {
        registration.retarget(i);
      }
      long locked = WasmFaults.retargetsUnderTheLock() - before;
      assertTrue(locked < 10, locked + " of 1000 retargets took the entry lock");
    }
  }
}
