package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * First-fit colouring of lifetimes onto the spill slots of one register class: each lifetime, given
 * in order of start, takes the lowest-numbered slot none of whose lifetimes it meets, or a new one.
 *
 * <p>Why not simply try every slot in turn: a function whose values are all live at once (fifty
 * thousand locals live across one call, a red-team module) has as many slots as values, and every
 * new lifetime would be compared with every earlier slot, which is quadratic. A slot already in use
 * at the new lifetime's start cannot take it, so the slots known to be in use at the current start
 * are kept in a bit set; only the others are compared, lowest first. The choice is the same as
 * trying every slot.
 *
 * <p>Every question is asked at or after the current start (a lifetime's ranges all are), so a
 * slot's ranges that end by it are never looked at again. Per slot its ranges are an array of ints
 * from the last to the first, those that ended dropped off its end, where its first range ending
 * after the start (its cursor range) then is; the cursor range's start and end and the slot's last
 * end are also kept in flat arrays. A slot whose cursor range starts inside a lifetime's first range
 * meets it, and one whose ranges all end by the lifetime's start does not, both known without
 * loading its ranges; otherwise they are searched from the cursor range on for the lifetime's other
 * ranges in order, up to the first past the slot's last end. A lifetime placed in a slot goes in
 * among the ranges it spans, and only those move.
 *
 * <p>Only a slot in use has its bit set and its cursor range's end queued, where it may become
 * free: a later range of a slot starting is not queued, but found from the cursor range when the
 * slot is compared with a lifetime, and its bit set then. ruby's function 1706 (4,048 lifetimes of
 * 128,564 ranges on 449 slots) queued each range's start and end, 253,080 boundaries each taken out
 * of a heap of thousands, and kept a slot's ranges in a boxed {@code TreeMap} searched with {@code
 * lowerEntry} (91,842 searches) and filled with {@code put}: four fifths of the function's slot
 * sharing (JFR), 33 ms of its 200. Now 5,767 ends are queued and 38,362 ranges searched for (1.5 ms
 * for the same lifetimes, each an array of from/to pairs, where a list of an array per range took
 * 2.3).
 *
 * <p>In the largest functions of biome (up to 379 KB of wasm) this class was an eighth of the
 * compile's samples (JFR), from lifetimes of hundreds of ranges and thousands of slots, before a
 * free slot whose ranges all end by the lifetime's start took it without a search, a search stopped
 * at the lifetime's first range past the slot's last end, and the slots in use were a plain array
 * of bits ({@link java.util.BitSet} looked for its highest word in use again at each clear).
 */
final class SlotColouring {
  /**
   * Per slot, its ranges (half-open, disjoint) from the last to the first, down to the cursor range
   * or one before it (dropped when {@link #locate} moves the cursor on): range k is from {@code
   * [2k]} to {@code [2k + 1]}, and range {@link #rangeCount} - 1 is the lowest kept.
   */
  private int[][] ranges = new int[16][];
  private int[] rangeCount = new int[16];
  /** Per slot, the start and end of its cursor range: read without loading the slot's ranges. */
  private int[] cursorStart = new int[16];
  private int[] cursorEnd = new int[16];
  /** Per slot, the end of its last range: nothing in the slot reaches past it. */
  private int[] lastEnd = new int[16];
  private int slotCount;
  /**
   * Slots one of whose ranges covers {@link #position}: slot s is bit s % 64 of word s / 64. A slot
   * whose bit is clear may be in use too (a range of it after its lifetime's first has started):
   * that is found when it is compared with a lifetime, and its bit set then.
   */
  private long[] inUse = new long[1];
  /** Per slot with its bit set, where its cursor range ends, as (end << 32 | slot). */
  private final LongMinHeap ends = new LongMinHeap();
  private int position = Integer.MIN_VALUE;
  /** Slots compared with a lifetime (for tests that count the work). */
  private long comparisons;
  /** Entries put in {@link #ends}: for tests. */
  long endsQueued;
  /** Ranges of a lifetime searched for in a slot's ranges (the same). */
  private long rangeSearches;
  /** Ranges of a slot moved to make room for a lifetime's (the same). */
  long rangesMoved;

  /**
   * The slot for {@code lifetime} (sorted, disjoint, non-empty half-open ranges as from/to pairs),
   * which now occupies it. Lifetimes must come in order of start.
   */
  int place(int[] lifetime) {
    int start = lifetime[0];
    if (start < position) {
      throw new IllegalArgumentException("lifetime starting at " + start + " placed after one at " + position);
    }
    advanceTo(start);
    int firstEnd = lifetime[1];
    int chosen = -1;
    for (int s = nextFree(0); s < slotCount; s = nextFree(s + 1)) {
      comparisons++;
      if (lastEnd[s] <= start) {
        rangeCount[s] = 0;
        chosen = s;
        break;
      }
      locate(s, start);
      if (cursorStart[s] <= start) {
        markInUse(s);
      } else if (cursorStart[s] >= firstEnd && !meetsAfterFirst(s, lifetime)) {
        // The slot's next range starts at or after the first range's end: only the others can meet it.
        chosen = s;
        break;
      }
    }
    if (chosen < 0) {
      chosen = newSlot();
    }
    insert(chosen, lifetime);
    cursorStart[chosen] = start;
    cursorEnd[chosen] = firstEnd;
    markInUse(chosen);
    lastEnd[chosen] = Math.max(lastEnd[chosen], lifetime[lifetime.length - 1]);
    return chosen;
  }

  int slotCount() {
    return slotCount;
  }

  long comparisons() {
    return comparisons;
  }

  long rangeSearches() {
    return rangeSearches;
  }

  private int newSlot() {
    int s = slotCount++;
    if (s == ranges.length) {
      ranges = Arrays.copyOf(ranges, 2 * s);
      rangeCount = Arrays.copyOf(rangeCount, 2 * s);
      cursorStart = Arrays.copyOf(cursorStart, 2 * s);
      cursorEnd = Arrays.copyOf(cursorEnd, 2 * s);
      lastEnd = Arrays.copyOf(lastEnd, 2 * s);
    }
    ranges[s] = new int[8];
    lastEnd[s] = Integer.MIN_VALUE;
    if (s >>> 6 == inUse.length) {
      inUse = Arrays.copyOf(inUse, 2 * inUse.length);
    }
    return s;
  }

  /** Sets slot {@code s}'s bit, its cursor range covering the position, and queues that range's end. */
  private void markInUse(int s) {
    inUse[s >>> 6] |= 1L << s;
    endsQueued++;
    ends.add((long) cursorEnd[s] << 32 | s);
  }

  /**
   * Makes slot {@code s}'s cursor range its first ending after {@code pos}, which the slot has (its
   * last end is past {@code pos}), dropping those before it.
   */
  private void locate(int s, int pos) {
    if (cursorEnd[s] <= pos) {
      int[] r = ranges[s];
      int k = lastEndingAfter(r, rangeCount[s] - 1, pos);
      rangeCount[s] = k + 1;
      cursorStart[s] = r[2 * k];
      cursorEnd[s] = r[2 * k + 1];
    }
  }

  /** The lowest slot from {@code from} on that is not in use; past the last slot when none is. */
  private int nextFree(int from) {
    int w = from >>> 6;
    if (w >= inUse.length) {
      return from;
    }
    long free = ~inUse[w] & (-1L << from); // the shift counts from % 64
    while (free == 0) {
      if (++w == inUse.length) {
        return w << 6;
      }
      free = ~inUse[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(free);
  }

  /**
   * Clears the bits of the slots in use whose cursor range ends at or before {@code pos}, unless
   * their next range covers {@code pos}.
   */
  private void advanceTo(int pos) {
    position = pos;
    while (!ends.isEmpty() && (int) (ends.peek() >> 32) <= pos) {
      int s = (int) ends.poll();
      if (lastEnd[s] > pos) {
        locate(s, pos);
        if (cursorStart[s] <= pos) {
          markInUse(s);
          continue;
        }
      }
      inUse[s >>> 6] &= ~(1L << s);
    }
  }

  /**
   * Whether a range of {@code lifetime} after its first meets one of slot {@code s}'s, whose cursor
   * range is its first ending after the lifetime's start. The slot's first range ending after a
   * lifetime range's start is the only one that can reach into it; the lifetime's ranges are in
   * order, so that range is searched for onwards from the last one found.
   */
  private boolean meetsAfterFirst(int s, int[] lifetime) {
    int[] r = ranges[s];
    int end = lastEnd[s];
    int k = rangeCount[s] - 1;
    for (int i = 2; i < lifetime.length; i += 2) {
      if (lifetime[i] >= end) {
        return false; // this range and the later ones start where the slot holds nothing
      }
      rangeSearches++;
      k = lastEndingAfter(r, k, lifetime[i]);
      if (r[2 * k] < lifetime[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The highest of ranges 0 to {@code from} of {@code r} (the first in order of position) that ends
   * after {@code pos}, which range 0 does: a gallop down from {@code from}, then a binary search.
   */
  private static int lastEndingAfter(int[] r, int from, int pos) {
    if (r[2 * from + 1] > pos) {
      return from;
    }
    // Range hi ends by pos; range lo is range 0 or ends after pos.
    int hi = from;
    int step = 1;
    int lo = from - 1;
    while (lo > 0 && r[2 * lo + 1] <= pos) {
      hi = lo;
      step <<= 1;
      lo = hi - step;
    }
    lo = Math.max(lo, 0);
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (r[2 * mid + 1] <= pos) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return lo;
  }

  /**
   * Adds {@code lifetime}'s ranges to slot {@code s}'s, which they miss. Its first range starts at
   * the position, before the slot's cursor range (free there), so it goes at the end; the slot's
   * ranges that start before the lifetime's others move towards the end, and no later ones.
   */
  private void insert(int s, int[] lifetime) {
    int n = rangeCount[s];
    int m = lifetime.length / 2;
    int[] r = ranges[s];
    if (2 * (n + m) > r.length) {
      r = Arrays.copyOf(r, Math.max(2 * (n + m), 2 * r.length));
      ranges[s] = r;
    }
    int from = n - 1;
    int to = n + m - 1;
    for (int k = 0; k < m; k++, to--) {
      while (from >= 0 && r[2 * from] < lifetime[2 * k]) {
        r[2 * to] = r[2 * from];
        r[2 * to + 1] = r[2 * from + 1];
        rangesMoved++;
        from--;
        to--;
      }
      r[2 * to] = lifetime[2 * k];
      r[2 * to + 1] = lifetime[2 * k + 1];
    }
    rangeCount[s] = n + m;
  }
}
