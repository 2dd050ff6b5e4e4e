package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link InactivePieces} hands back the pieces live again at a position, latest inactive first, and
 * none that was taken out: the piece knows its entry ({@link LiveInterval#inactiveSeq}), and a
 * removed piece's key, left in the heap, is dropped when it comes to the top.
 */
class InactivePiecesTest {
  /** A piece of vreg {@code v} over the given {@code [from, to)} ranges. */
  private static LiveInterval piece(int v, int... bounds) {
    int n = bounds.length / 2;
    int[] from = new int[n];
    int[] to = new int[n];
    for (int k = 0; k < n; k++) {
      from[k] = bounds[2 * k];
      to[k] = bounds[2 * k + 1];
    }
    return new LiveInterval(v, RegClass.INT, v, from, to, 0, n, new int[0], 0, 0);
  }

  @Test
  void resumedPiecesComeLatestFirstAndRemovedOnesNever() {
    LiveInterval a = piece(0, 0, 2, 10, 12);
    LiveInterval b = piece(1, 0, 2, 10, 20);
    LiveInterval c = piece(2, 0, 2, 10, 14);
    LiveInterval d = piece(3, 0, 2, 6, 7, 30, 32);
    InactivePieces inactive = new InactivePieces();
    for (LiveInterval p : List.of(a, b, c, d)) {
      inactive.add(p, 4);
    }
    assertTrue(inactive.contains(b));
    assertEquals(1, inactive.seq(b));
    inactive.remove(b);
    assertFalse(inactive.contains(b));
    assertEquals(-1, b.inactiveSeq);
    // d's range [6, 7) lies wholly between the steps: it stays, keyed by its range at 30.
    assertEquals(List.of(c, a), inactive.takeResumedBy(10));
    assertEquals(-1, a.inactiveSeq);
    assertTrue(inactive.contains(d));
    assertEquals(List.of(), inactive.takeResumedBy(20));
    assertEquals(List.of(d), inactive.takeResumedBy(30));
    assertEquals(List.of(), inactive.takeResumedBy(40));
  }
}
