package dev.kiln.ir.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** The operands the rewriting passes' tests run a function on before and after the pass. */
final class TestOperands {
  /** Integer operands at the edges of i32 and i64 arithmetic: signs, widths, carries. */
  static final long[] EDGES = {0, 1, 2, 3, -1, -2, 31, 32, 64, 0x7FFF_FFFFL, 0x8000_0000L,
      0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 0x1234_5678_9ABC_DEF0L};

  private TestOperands() {}

  /** {@code edges}, then {@code count} more values drawn from {@code next}. */
  static List<Long> edgesThenRandom(long[] edges, int count, LongSupplier next) {
    List<Long> xs = new ArrayList<>(edges.length + count);
    for (long x : edges) {
      xs.add(x);
    }
    for (int i = 0; i < count; i++) {
      xs.add(next.getAsLong());
    }
    return xs;
  }
}
