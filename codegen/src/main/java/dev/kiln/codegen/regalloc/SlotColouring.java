package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit colouring of lifetimes onto the spill slots of one register class: each lifetime, given
 * in order of start, takes the lowest-numbered slot none of whose lifetimes it meets, or a new one.
 *
 * <p>Why not simply try every slot in turn: a function whose values are all live at once (fifty
 * thousand locals live across one call, a red-team module) has as many slots as values, and every
 * new lifetime would be compared with every earlier slot, which is quadratic. A slot already in use
 * at the new lifetime's start cannot take it, so the slots in use at the current start are kept in
 * a bit set, updated from a queue of the slots' range starts and ends as the start position moves
 * forward; only the others are compared, lowest first, each by a search in its ranges ordered by
 * start. The choice is the same as trying every slot.
 *
 * <p>In the largest functions of biome (up to 379 KB of wasm) this class was an eighth of the
 * compile's samples (JFR), from lifetimes of hundreds of ranges and thousands of slots: a free slot
 * whose ranges all end by the lifetime's start now takes it without a search, a search stops at the
 * lifetime's first range past the slot's last end, and the slots in use are a plain array of bits
 * ({@link java.util.BitSet} looked for its highest word in use again at each clear).
 */
final class SlotColouring {
  private static final long LEAVE = 0;
  private static final long ENTER = 1;

  /** Per slot, its lifetimes' ranges (half-open, disjoint) by start: start to end. */
  private final List<TreeMap<Integer, Integer>> slots = new ArrayList<>();
  /** Per slot, the end of its last range: nothing in the slot reaches past it. */
  private int[] lastEnd = new int[16];
  /** The slots one of whose ranges covers {@link #position}: slot s is bit s % 64 of word s / 64. */
  private long[] inUse = new long[1];
  /** Range boundaries still ahead of {@link #position}: (position + 1, leave before enter, slot). */
  private final LongMinHeap boundaries = new LongMinHeap();
  private int position = Integer.MIN_VALUE;
  /** Slots compared with a lifetime (for tests that count the work). */
  private long comparisons;
  /** Range boundaries put in {@link #boundaries}: for tests. */
  long boundariesQueued;
  /** Searches in a slot's ranges for one reaching into a range of a lifetime (the same). */
  private long rangeSearches;

  /**
   * The slot for {@code lifetime} (sorted, disjoint, non-empty half-open ranges), which now occupies
   * it. Lifetimes must come in order of start.
   */
  int place(List<int[]> lifetime) {
    int start = lifetime.getFirst()[0];
    if (start < position) {
      throw new IllegalArgumentException("lifetime starting at " + start + " placed after one at " + position);
    }
    advanceTo(start);
    int chosen = -1;
    for (int s = nextFree(0); s < slots.size(); s = nextFree(s + 1)) {
      comparisons++;
      if (lastEnd[s] <= start || !meets(slots.get(s), lastEnd[s], lifetime)) {
        chosen = s;
        break;
      }
    }
    if (chosen < 0) {
      slots.add(new TreeMap<>());
      chosen = slots.size() - 1;
      if (chosen == lastEnd.length) {
        lastEnd = Arrays.copyOf(lastEnd, 2 * chosen);
      }
      lastEnd[chosen] = Integer.MIN_VALUE;
      if (chosen >>> 6 == inUse.length) {
        inUse = Arrays.copyOf(inUse, 2 * inUse.length);
      }
    }
    TreeMap<Integer, Integer> ranges = slots.get(chosen);
    // The first range covers the start, where every boundary up to it has been applied: the slot is
    // in use from here, without an entry queued only to be taken out at once (a quarter of the queue's
    // traffic where lifetimes are of two ranges).
    inUse[chosen >>> 6] |= 1L << chosen;
    for (int k = 0; k < lifetime.size(); k++) {
      int[] r = lifetime.get(k);
      ranges.put(r[0], r[1]);
      if (k > 0) {
        queue(boundary(r[0], ENTER, chosen));
      }
      queue(boundary(r[1], LEAVE, chosen));
    }
    lastEnd[chosen] = Math.max(lastEnd[chosen], lifetime.getLast()[1]);
    return chosen;
  }

  int slotCount() {
    return slots.size();
  }

  long comparisons() {
    return comparisons;
  }

  long rangeSearches() {
    return rangeSearches;
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

  /** Applies every range start and end at or before {@code pos}. */
  private void advanceTo(int pos) {
    position = pos;
    while (!boundaries.isEmpty() && (int) (boundaries.peek() >>> 33) - 1 <= pos) {
      long b = boundaries.poll();
      int slot = (int) b;
      if (((b >>> 32) & 1) == ENTER) {
        inUse[slot >>> 6] |= 1L << slot;
      } else {
        inUse[slot >>> 6] &= ~(1L << slot);
      }
    }
  }

  /** Queues a range boundary ({@link #boundary}) in {@link #boundaries}. */
  private void queue(long boundary) {
    boundariesQueued++;
    boundaries.add(boundary);
  }

  private static long boundary(int pos, long kind, int slot) {
    return (long) (pos + 1) << 33 | kind << 32 | slot;
  }

  /** Whether a range of {@code lifetime} meets one of {@code ranges}, which all end by {@code end}. */
  private boolean meets(TreeMap<Integer, Integer> ranges, int end, List<int[]> lifetime) {
    for (int[] r : lifetime) {
      if (r[0] >= end) {
        return false; // this range and the later ones start where the slot holds nothing
      }
      rangeSearches++;
      // The last range starting before r ends is the only one that can reach into r.
      Map.Entry<Integer, Integer> before = ranges.lowerEntry(r[1]);
      if (before != null && before.getValue() > r[0]) {
        return true;
      }
    }
    return false;
  }
}
