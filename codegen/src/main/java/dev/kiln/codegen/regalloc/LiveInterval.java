package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * One piece of a vreg's lifetime: a sorted list of half-open position ranges, the positions inside
 * them where the value must be in a register, and the location the scan gave the piece. Splitting
 * cuts a piece in two at a position; the pieces of one vreg never overlap.
 *
 * <p>Positions: instruction {@code i} has EARLY point {@code 2i} and LATE point {@code 2i+1}
 * ({@link Positions}).
 */
final class LiveInterval {
  final int vreg;
  final RegClass regClass;
  /** Creation order; breaks ties in the scan so allocation is deterministic. */
  final int id;
  /** Range starts and ends, {@code count} of them. */
  private int[] from;
  private int[] to;
  private int count;
  /** Sorted positions at which the value must be in a register. */
  private int[] regUses;
  private int regUseCount;
  /**
   * The range that last answered {@link #covers}: only a hint, which a split can leave at or past
   * {@code count} (range 0 is tried then).
   */
  private int lastRange;
  Allocation location;
  /** The piece this one was split from, for the register hint; null for a vreg's first piece. */
  LiveInterval splitParent;

  LiveInterval(int vreg, RegClass regClass, int id, int[] from, int[] to, int count, int[] regUses,
      int regUseCount) {
    this.vreg = vreg;
    this.regClass = regClass;
    this.id = id;
    this.from = from;
    this.to = to;
    this.count = count;
    this.regUses = regUses;
    this.regUseCount = regUseCount;
  }

  int start() {
    return from[0];
  }

  int end() {
    return to[count - 1];
  }

  int rangeCount() {
    return count;
  }

  int rangeFrom(int k) {
    return from[k];
  }

  int rangeTo(int k) {
    return to[k];
  }

  boolean covers(int pos) {
    // Callers ask about nearby positions one after another (the scan moves forward, resolution walks
    // the instructions), so the range that answered last, the hole around it and the next range are
    // tried before a search.
    int c = lastRange < count ? lastRange : 0;
    if (pos < to[c]) {
      if (from[c] <= pos) {
        return true;
      }
      if (c == 0 || to[c - 1] <= pos) {
        return false; // in the hole before range c
      }
    } else if (c + 1 == count || pos < from[c + 1]) {
      return false; // after range c, before the next
    } else if (pos < to[c + 1]) {
      lastRange = c + 1;
      return true;
    }
    int k = Positions.firstEndingAfter(to, count, pos);
    if (k < count && from[k] <= pos) {
      lastRange = k;
      return true;
    }
    return false;
  }

  /** The first position at or after {@code pos} this piece covers, or {@link Integer#MAX_VALUE}. */
  int nextCoveredAtOrAfter(int pos) {
    int k = Positions.firstEndingAfter(to, count, pos);
    return k == count ? Integer.MAX_VALUE : Math.max(pos, from[k]);
  }

  /** The first register-use position at or after {@code pos}, or {@link Integer#MAX_VALUE}. */
  int firstRegUseAtOrAfter(int pos) {
    // Binary search: a long-lived value in a large function has thousands of uses, and the scan asks
    // this for every active and inactive piece each time a piece needs a register evicted.
    int lo = 0;
    int hi = regUseCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (regUses[mid] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < regUseCount ? regUses[lo] : Integer.MAX_VALUE;
  }

  /**
   * Cuts this piece at {@code pos} ({@code start() < pos < end()}): this piece keeps the positions
   * before {@code pos}, the returned piece (location unset) gets the rest. When {@code pos} falls in a
   * hole, the new piece starts at its next range.
   */
  LiveInterval splitAt(int pos, int newId) {
    if (pos <= start() || pos >= end()) {
      throw new IllegalStateException("split of v" + vreg + " at " + pos + " outside (" + start() + ", "
          + end() + ")");
    }
    int k = 0;
    while (to[k] <= pos) {
      k++;
    }
    // Range k ends after pos; it is cut when it starts before pos.
    int headCount = from[k] < pos ? k + 1 : k;
    int tailCount = count - k;
    int[] tf = Arrays.copyOfRange(from, k, count);
    int[] tt = Arrays.copyOfRange(to, k, count);
    if (tf[0] < pos) {
      tf[0] = pos;
    }
    int u = 0;
    while (u < regUseCount && regUses[u] < pos) {
      u++;
    }
    int[] tailUses = Arrays.copyOfRange(regUses, u, regUseCount);
    LiveInterval tail = new LiveInterval(vreg, regClass, newId, tf, tt, tailCount, tailUses,
        regUseCount - u);
    tail.splitParent = this;
    if (headCount > 0 && headCount - 1 == k) {
      to[k] = pos;
    }
    count = headCount;
    regUseCount = u;
    return tail;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("v").append(vreg).append('#').append(id).append(' ');
    for (int k = 0; k < count; k++) {
      sb.append('[').append(from[k]).append(',').append(to[k]).append(')');
    }
    return sb.append(" -> ").append(location).toString();
  }
}
