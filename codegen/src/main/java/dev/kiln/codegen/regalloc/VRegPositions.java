package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * A list of positions per vreg, all in one array: each vreg's is a window of it, as long as the
 * times the function names the vreg ({@link VRegSites#occurrences}), which no walk adds more
 * positions than. An array per vreg, grown as the walk found its uses and copied to its length at
 * the end, was 3% of yosys's sampled allocation; the pieces keep reading the windows in place.
 *
 * <p>Filled by {@link #add} in any order, then each list put in order once ({@link #sortDistinct}).
 */
final class VRegPositions {
  /** Where each vreg's window starts, and at {@code numVRegs} the end of the last: shared by all the lists. */
  private final int[] start;
  final int[] positions;
  private final int[] count;
  /** Lists {@link #sortDistinct} had to sort, not only turn round (its work, for tests). */
  long unordered;

  /** Empty lists, vreg {@code v}'s with room for {@code start[v + 1] - start[v]} positions. */
  VRegPositions(int[] start) {
    this.start = start;
    positions = new int[start[start.length - 1]];
    count = new int[start.length - 1];
  }

  /**
   * Window starts for vregs named {@code occurrences[v]} times each: where each vreg's window starts,
   * and the end of the last.
   */
  static int[] windows(int[] occurrences) {
    int[] start = new int[occurrences.length + 1];
    for (int v = 0; v < occurrences.length; v++) {
      start[v + 1] = start[v] + occurrences[v];
    }
    return start;
  }

  void add(int v, int pos) {
    int at = start[v] + count[v];
    if (at == start[v + 1]) {
      // A walk that adds more positions than the function names the vreg would write into the next
      // vreg's window: a bug in the walk, refused rather than allocated from.
      throw new IllegalStateException("v" + v + " has more positions than the function names it");
    }
    positions[at] = pos;
    count[v]++;
  }

  /** Index in {@link #positions} of {@code v}'s first position. */
  int base(int v) {
    return start[v];
  }

  int count(int v) {
    return count[v];
  }

  /** Whether {@code v} has a position in {@code [from, to)}; its list must be in order. */
  boolean anyIn(int v, int from, int to) {
    int end = start[v] + count[v];
    int k = Arrays.binarySearch(positions, start[v], end, from);
    if (k < 0) {
      k = -k - 1;
    }
    return k < end && positions[k] < to;
  }

  /** {@code v}'s positions, or null when it has none (for tests). */
  int[] toArray(int v) {
    return count[v] == 0 ? null : Arrays.copyOfRange(positions, start[v], start[v] + count[v]);
  }

  /**
   * Puts {@code v}'s list in order and drops duplicates. The walk goes through each block backwards
   * and the blocks forwards, so the positions come as runs that never increase, one per block, the
   * blocks' in ascending order: each run turned round in place leaves them sorted, with no sort,
   * where an insertion sort of each run as it came moved every entry past all the others of its
   * block (a value read throughout a long block, such as the instance pointer, costs the square of
   * its reads). Positions in any other order are sorted ({@link #unordered}).
   */
  void sortDistinct(int v) {
    count[v] = sortDistinct(positions, start[v], count[v]);
  }

  /**
   * {@link #sortDistinct(int)} of the {@code n} entries of {@code a} from index {@code from}; returns
   * how many are left there.
   */
  private int sortDistinct(int[] a, int from, int n) {
    int end = from + n;
    boolean sorted = true;
    for (int runStart = from; runStart < end; ) {
      int runEnd = runStart + 1;
      while (runEnd < end && a[runEnd] <= a[runEnd - 1]) {
        runEnd++;
      }
      for (int i = runStart, j = runEnd - 1; i < j; i++, j--) {
        int x = a[i];
        a[i] = a[j];
        a[j] = x;
      }
      sorted &= runStart == from || a[runStart - 1] <= a[runStart];
      runStart = runEnd;
    }
    if (!sorted) {
      unordered++;
      SmallSorts.sort(a, from, end);
    }
    int out = from;
    for (int k = from; k < end; k++) {
      if (out == from || a[out - 1] != a[k]) {
        a[out++] = a[k];
      }
    }
    return out - from;
  }
}
