package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.MemoryGuard;
import org.junit.jupiter.api.Test;

/**
 * Red-team finding: zero-page memories count nothing against a store's byte limit but reserve 4 GiB
 * each, and three stores of them took the process's whole address space. The budget refuses the
 * reservation that would pass the limit, and gives back what a closed owner held.
 */
class ReservationBudgetTest {
  private static final long GIB = 1L << 30;

  @Test
  void aReservationPastTheLimitIsRefusedAndReleasedBytesCanBeTakenAgain() {
    ReservationBudget budget = new ReservationBudget(10 * GIB);
    assertTrue(budget.take(4 * GIB));
    assertTrue(budget.take(4 * GIB));
    assertFalse(budget.take(4 * GIB), "12 GiB would pass the 10 GiB limit");
    assertEquals(8 * GIB, budget.reserved(), "a refused take holds nothing");
    budget.release(4 * GIB);
    assertTrue(budget.take(4 * GIB));
    assertFalse(budget.take(Long.MAX_VALUE), "an overflowing sum is refused, not wrapped");
  }

  @Test
  void theProcessBudgetLeavesHalfTheAddressSpaceToEverythingElse() {
    assertEquals(64L << 40, ReservationBudget.PROCESS.limit());
    long memories = ReservationBudget.PROCESS.limit() / (MemoryGuard.RESERVATION_32 + MemoryGuard.LOADER_GUARD_BYTES);
    assertTrue(memories > 10_000, "room for " + memories + " 32-bit memories, above one store's default count");
  }
}
