package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShuffleMaskTest {
  private static ShuffleMask bytes(int... index) {
    return ShuffleMask.of(index);
  }

  @Test
  void interleavingMatchesPunpckAndZip() {
    // punpckldq / zip1 .4s: x0 y0 x1 y1
    assertEquals(bytes(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23),
        ShuffleMask.interleave(4, false));
    // punpckhqdq / zip2 .2d: x1 y1
    assertEquals(bytes(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
        ShuffleMask.interleave(8, true));
    // punpckhbw / zip2 .16b
    assertEquals(bytes(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31),
        ShuffleMask.interleave(1, true));
  }

  @Test
  void deinterleavingAndTransposingMatchUzpAndTrn() {
    assertEquals(bytes(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27),
        ShuffleMask.deinterleave(4, false));
    assertEquals(bytes(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31),
        ShuffleMask.deinterleave(2, true));
    // trn1 .4s: x0 y0 x2 y2; trn2: x1 y1 x3 y3
    assertEquals(bytes(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27),
        ShuffleMask.transpose(4, false));
    assertEquals(bytes(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31),
        ShuffleMask.transpose(4, true));
  }

  @Test
  void lanesAreWholeAlignedSourceLanesOrNull() {
    ShuffleMask m = bytes(8, 9, 10, 11, 4, 5, 6, 7, 20, 21, 22, 23, 28, 29, 30, 31);
    assertArrayEquals(new int[] {2, 1, 5, 7}, m.lanes(4));
    assertNull(m.lanes(8));
    assertNull(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16).lanes(2));
  }

  @Test
  void concatenationOffsetsAndOperands() {
    ShuffleMask rotate = bytes(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    assertEquals(4, rotate.concatOffset());
    ShuffleMask rotateOne = bytes(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
    assertEquals(-1, rotateOne.concatOffset());
    assertEquals(4, rotateOne.rotation());
    assertEquals(-1, rotate.rotation());
    assertEquals(4, rotate.oneInput().rotation());
    assertFalse(rotate.firstOnly());
    assertFalse(rotate.secondOnly());
    assertTrue(rotate.swapped().oneInput().firstOnly());
    assertTrue(bytes(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31).secondOnly());
    assertEquals(bytes(20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 0, 1, 2, 3),
        rotate.swapped());
  }

  @Test
  void indexesOutsideTwoVectorsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> bytes(32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> ShuffleMask.of(new int[15]));
  }
}
