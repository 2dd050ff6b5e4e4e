package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MoveCounts#isEmpty} is true for all-zero counts only, whichever count is set. */
class MoveCountsTest {
  @Test
  void onlyAllZeroCountsAreEmpty() {
    assertTrue(MoveCounts.NONE.isEmpty());
    assertTrue(new MoveCounts(0, 0, 0, 0, 0, 0).isEmpty());
    for (int field = 0; field < 6; field++) {
      int[] c = new int[6];
      c[field] = 1;
      MoveCounts one = new MoveCounts(c[0], c[1], c[2], c[3], c[4], c[5]);
      assertFalse(one.isEmpty(), "count " + field + " set");
    }
  }
}
