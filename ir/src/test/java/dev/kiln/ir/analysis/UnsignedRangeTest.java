package dev.kiln.ir.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.Type;
import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

class UnsignedRangeTest {
  private static final Function F = Parser.parseFunction("""
      function %ranges(i64 vmctx, i32, i64) {
      block0(v0: i64, v1: i32, v2: i64):
          v3 = iconst.i32 -1
          v4 = uload8.i32 heap v2
          v5 = iconst.i32 4
          v6 = ushr.i32 v4, v5
          v7 = iconst.i32 1000
          v8 = iadd.i32 v6, v7
          v9 = uextend.i64 v8
          v10 = band.i32 v1, v5
          v11 = iadd.i32 v3, v4
          v12 = iconst.i32 24
          v13 = ishl.i32 v4, v12
          v14 = iconst.i32 25
          v15 = ishl.i32 v4, v14
          v16 = urem.i32 v1, v7
          v17 = imul.i32 v4, v7
          v18 = imul.i64 v2, v2
          v19 = icmp eq v1, v1
          v20 = ishl.i32 v4, v1
          v21 = iconst.i32 36
          v22 = ushr.i32 v3, v21
          return
      }
      """);

  private static UnsignedRange range(int value) {
    return UnsignedRange.of(F.dfg(), value);
  }

  @Test
  void constantsLoadsShiftsMasksAndSumsThatCannotWrap() {
    assertEquals(new UnsignedRange(0xFFFF_FFFFL, 0xFFFF_FFFFL), range(3));
    assertEquals(new UnsignedRange(0, 255), range(4));
    assertEquals(new UnsignedRange(0, 15), range(6));
    assertEquals(new UnsignedRange(1000, 1015), range(8));
    assertEquals(new UnsignedRange(1000, 1015), range(9));
    assertEquals(new UnsignedRange(0, 4), range(10));
    assertEquals(new UnsignedRange(0, 0xFF00_0000L), range(13));
    assertEquals(new UnsignedRange(0, 999), range(16));
    assertEquals(new UnsignedRange(0, 255_000), range(17));
    assertEquals(new UnsignedRange(0, 1), range(19));
    // A shift count is taken modulo the width (spec 4.3.2): 36 shifts an i32 by 4.
    assertEquals(new UnsignedRange(0x0FFF_FFFFL, 0x0FFF_FFFFL), range(22));
  }

  @Test
  void whatMayWrapOrIsUnknownIsTheWholeType() {
    assertEquals(UnsignedRange.full(Type.I32), range(1));
    assertEquals(UnsignedRange.full(Type.I64), range(2));
    assertEquals(UnsignedRange.full(Type.I32), range(11)); // 0xffffffff + 255 wraps
    assertEquals(UnsignedRange.full(Type.I32), range(15)); // 255 << 25 loses a bit
    assertEquals(UnsignedRange.full(Type.I64), range(18));
    assertEquals(UnsignedRange.full(Type.I32), range(20)); // a shift by a variable count
  }

  @Test
  void endsWithinIsTheBoundsCheckTestWithoutOverflow() {
    assertTrue(new UnsignedRange(0, 65532).endsWithin(4, 65536));
    assertFalse(new UnsignedRange(0, 65533).endsWithin(4, 65536));
    assertFalse(new UnsignedRange(0, -1L).endsWithin(1, -1L));
    assertTrue(new UnsignedRange(0, -2L).endsWithin(1, -1L));
  }
}
