package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.BitSet;
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
 */
final class SlotColouring {
  private static final long LEAVE = 0;
  private static final long ENTER = 1;

  /** Per slot, its lifetimes' ranges (half-open, disjoint) by start: start to end. */
  private final List<TreeMap<Integer, Integer>> slots = new ArrayList<>();
  /** The slots one of whose ranges covers {@link #position}. */
  private final BitSet inUse = new BitSet();
  /** Range boundaries still ahead of {@link #position}: (position + 1, leave before enter, slot). */
  private final LongMinHeap boundaries = new LongMinHeap();
  private int position = Integer.MIN_VALUE;
  /** Slots compared with a lifetime (for tests that count the work). */
  private long comparisons;
  /** Range boundaries put in {@link #boundaries}: for tests. */
  long boundariesQueued;

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
    for (int s = inUse.nextClearBit(0); s < slots.size(); s = inUse.nextClearBit(s + 1)) {
      comparisons++;
      if (!meets(slots.get(s), lifetime)) {
        chosen = s;
        break;
      }
    }
    if (chosen < 0) {
      slots.add(new TreeMap<>());
      chosen = slots.size() - 1;
    }
    TreeMap<Integer, Integer> ranges = slots.get(chosen);
    // The first range covers the start, where every boundary up to it has been applied: the slot is
    // in use from here, without an entry queued only to be taken out at once (a quarter of the queue's
    // traffic where lifetimes are of two ranges).
    inUse.set(chosen);
    for (int k = 0; k < lifetime.size(); k++) {
      int[] r = lifetime.get(k);
      ranges.put(r[0], r[1]);
      if (k > 0) {
        queue(boundary(r[0], ENTER, chosen));
      }
      queue(boundary(r[1], LEAVE, chosen));
    }
    return chosen;
  }

  int slotCount() {
    return slots.size();
  }

  long comparisons() {
    return comparisons;
  }

  /** Applies every range start and end at or before {@code pos}. */
  private void advanceTo(int pos) {
    position = pos;
    while (!boundaries.isEmpty() && (int) (boundaries.peek() >>> 33) - 1 <= pos) {
      long b = boundaries.poll();
      int slot = (int) b;
      if (((b >>> 32) & 1) == ENTER) {
        inUse.set(slot);
      } else {
        inUse.clear(slot);
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

  /** Whether a range of {@code lifetime} meets one of {@code ranges}. */
  private static boolean meets(TreeMap<Integer, Integer> ranges, List<int[]> lifetime) {
    for (int[] r : lifetime) {
      // The last range starting before r ends is the only one that can reach into r.
      Map.Entry<Integer, Integer> before = ranges.lowerEntry(r[1]);
      if (before != null && before.getValue() > r[0]) {
        return true;
      }
    }
    return false;
  }
}
