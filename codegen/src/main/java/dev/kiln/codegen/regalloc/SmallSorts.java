package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * Ascending sorts of primitive array slices that are usually a handful of entries long (a vreg's
 * block runs, a piece's segments or uses, an edge's crossing vregs): by insertion below {@link
 * #INSERTION_LIMIT} entries, by {@link Arrays#sort} above. The result is the same sorted slice
 * either way (primitives have one ascending order).
 *
 * <p>Why: under the launcher's C1-only JIT, {@code Arrays.sort} of a few entries costs far more
 * than sorting them: C1 leaves the JDK's {@code DualPivotQuicksort} dispatch (its sort-operation
 * lambdas) as calls. In a profile of yosys's compile those sorts were 2% of the samples, over half of
 * that from liveness's per-vreg runs.
 */
final class SmallSorts {
  /** Below this many entries, insertion sort (the JDK's own cut-over for small slices is 44). */
  static final int INSERTION_LIMIT = 32;

  private SmallSorts() {}

  /** Sorts {@code a[from, to)} ascending. */
  static void sort(long[] a, int from, int to) {
    if (to - from >= INSERTION_LIMIT) {
      Arrays.sort(a, from, to);
      return;
    }
    for (int i = from + 1; i < to; i++) {
      long x = a[i];
      int j = i - 1;
      while (j >= from && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }

  /** Sorts {@code a[from, to)} ascending. */
  static void sort(int[] a, int from, int to) {
    if (to - from >= INSERTION_LIMIT) {
      Arrays.sort(a, from, to);
      return;
    }
    for (int i = from + 1; i < to; i++) {
      int x = a[i];
      int j = i - 1;
      while (j >= from && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }
}
