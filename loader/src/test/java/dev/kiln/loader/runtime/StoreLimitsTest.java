package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreLimitsTest {
  @Test
  void eachWitherChangesItsOwnLimit() {
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(1).withMaxTableElements(2).withMaxInstances(3)
        .withMaxMemories(4).withMaxTables(5).withMaxHostCallDepth(6).withMaxAddressSpace(7);
    assertEquals(new StoreLimits(1, 2, 3, 4, 5, 6, 7), limits);
    assertEquals(new StoreLimits(Long.MAX_VALUE, 10_000_000, 10_000, 10_000, 10_000, 60, 1L << 40),
        StoreLimits.DEFAULTS);
  }

  @Test
  void aNegativeLimitIsRefusedWithEveryValueNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreLimits.DEFAULTS.withMaxTables(-1));
    assertEquals("store limits must be >= 0: memory bytes 9223372036854775807, table elements 10000000,"
        + " instances 10000, memories 10000, tables -1, host call depth 60, address space 1099511627776,"
        + " VMContext bytes 67108864, host functions 10000, object handles 65536", e.getMessage());
  }

  @Test
  void aStoreCountsWhatItsObjectsTakeAndGiveBack() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(10).withMaxTableElements(3))) {
      StoreResources resources = store.resources();
      assertEquals(StoreLimits.DEFAULTS.withMaxMemoryBytes(10).withMaxTableElements(3), resources.limits());
      assertTrue(resources.memoryBytes().tryTake(10));
      assertFalse(resources.memoryBytes().tryTake(1));
      assertFalse(resources.memoryBytes().tryTake(-1), "a negative request is no give-back");
      resources.memoryBytes().release(4);
      assertEquals(6, resources.memoryBytes().used());
      resources.tableElements().take(3, "a table of 3 elements");
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> resources.tableElements().take(1, "a table of 1 elements"));
      assertEquals("a table of 1 elements needs 1 elements; " + store + " has 3 of its 3-element table limit in use",
          refused.getMessage());
      assertEquals(3, resources.tableElements().used(), "a refusal takes nothing");
    }
  }
}
