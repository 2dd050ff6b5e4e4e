package dev.kiln.codegen.regalloc;

/**
 * Whether two lifetimes (sorted, disjoint, half-open ranges as from/to pairs) meet, one of them
 * perhaps with a window cut out of it, reading only the ranges of the first that lie where the
 * second is.
 *
 * <p>{@link AllocState#shareSlots} asks this for each spilled block parameter and each argument it
 * receives: the parameter of a block with many predecessors (a loop header, an interpreter's
 * dispatch) is live almost everywhere, in hundreds of ranges, and the argument in a few. A merge of
 * the two lists from their starts, with the parameter's list first copied without the edge's
 * window, read every range of the parameter once per predecessor: in one of ruby's largest functions
 * (70 KB of wasm, 7,786 blocks) that was a tenth of its compile's samples (JFR). A binary search
 * for the first range of the long lifetime that ends after the short one begins, then a merge
 * that stops when the short one ends, answers the same.
 */
final class LifetimeOverlap {
  /** Ranges of the first lifetime read, the binary search's probes included (for tests). */
  long rangesRead;

  /**
   * Whether {@code a} without the positions of {@code cut} (null: none) and {@code b} share a
   * position.
   */
  boolean meets(int[] a, int[] cut, int[] b) {
    if (a.length == 0 || b.length == 0) {
      return false;
    }
    int i = 2 * firstEndingAfter(a, b[0]);
    int j = 0;
    while (i < a.length && j < b.length) {
      rangesRead++;
      int lo = Math.max(a[i], b[j]);
      int hi = Math.min(a[i + 1], b[j + 1]);
      // Their common part, unless the cut covers all of it.
      if (lo < hi && (cut == null || lo < cut[0] || hi > cut[1])) {
        return true;
      }
      if (a[i + 1] <= b[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
    return false;
  }

  /** The index of the first range of {@code ranges} that ends after {@code position}, or their count. */
  private int firstEndingAfter(int[] ranges, int position) {
    int low = 0;
    int high = ranges.length / 2;
    while (low < high) {
      int mid = (low + high) >>> 1;
      rangesRead++;
      if (ranges[2 * mid + 1] <= position) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
