package dev.kiln.codegen.regalloc;

/**
 * One piece of a vreg's lifetime: a sorted list of half-open position ranges, the positions inside
 * them where the value must be in a register, and the location the scan gave the piece. Splitting
 * cuts a piece in two at a position; the pieces of one vreg never overlap.
 *
 * <p>All the pieces of one vreg share its range and use arrays: a piece is a window into them (an
 * offset and a count), and its first range's start and last range's end are its own fields, since a
 * cut inside a range changes that range's end for the head and its start for the tail. A split
 * copies nothing. When the tail copied the rest of the arrays and the head kept them whole, a value
 * cut at each of n calls held about n^2/2 ints per array (red team 32 F3: the calls inside one
 * {@code try_table} each end a block, so a value live through it has a range per call).
 *
 * <p>Positions: instruction {@code i} has EARLY point {@code 2i} and LATE point {@code 2i+1}
 * ({@link Positions}).
 */
final class LiveInterval {
  final int vreg;
  final RegClass regClass;
  /** Creation order; breaks ties in the scan so allocation is deterministic. */
  final int id;
  /**
   * The vreg's range starts and ends, shared by its pieces: this piece's are {@code count} of them
   * from index {@code base}, but for its first start and last end ({@link #start}, {@link #end}).
   */
  private final int[] from;
  private final int[] to;
  private final int base;
  private int count;
  private final int start;
  private int end;
  /**
   * The vreg's sorted register-use positions, shared by its pieces: this piece's are {@code
   * regUseCount} of them from index {@code useBase}.
   */
  private final int[] regUses;
  private final int useBase;
  private int regUseCount;
  /**
   * The range that last answered {@link #covers}: only a hint, which a split can leave at or past
   * {@code count} (range 0 is tried then).
   */
  private int lastRange;
  Allocation location;
  /**
   * Whether the scan's {@link RegisterOccupancy} holds this piece's ranges: most pieces never go
   * there ({@link LinearScan#occupancy}), and a split's tail starts outside.
   */
  boolean inOccupancy;
  /**
   * While the scan holds this piece inactive, when it became so ({@link InactivePieces#seq}); else -1:
   * the piece finds its entry without a map.
   */
  int inactiveSeq = -1;
  /** The piece this one was split from, for the register hint; null for a vreg's first piece. */
  LiveInterval splitParent;
  /**
   * The vreg's piece after this one ({@link AllocState#pieces} order), or null: a walk up the
   * positions steps to it from the piece that answered last, without a search.
   */
  LiveInterval next;

  /**
   * A vreg's first piece: {@code count} ranges from index {@code base} of {@code from} and {@code
   * to}, and {@code regUseCount} sorted register uses from index {@code useBase} of {@code regUses}
   * (arrays the function's other vregs may share, each with a window of its own).
   */
  LiveInterval(int vreg, RegClass regClass, int id, int[] from, int[] to, int base, int count,
      int[] regUses, int useBase, int regUseCount) {
    this(vreg, regClass, id, from, to, base, count, from[base], to[base + count - 1], regUses, useBase,
        regUseCount);
  }

  private LiveInterval(int vreg, RegClass regClass, int id, int[] from, int[] to, int base, int count,
      int start, int end, int[] regUses, int useBase, int regUseCount) {
    this.vreg = vreg;
    this.regClass = regClass;
    this.id = id;
    this.from = from;
    this.to = to;
    this.base = base;
    this.count = count;
    this.start = start;
    this.end = end;
    this.regUses = regUses;
    this.useBase = useBase;
    this.regUseCount = regUseCount;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  int rangeCount() {
    return count;
  }

  int rangeFrom(int k) {
    return k == 0 ? start : from[base + k];
  }

  int rangeTo(int k) {
    return k == count - 1 ? end : to[base + k];
  }

  boolean covers(int pos) {
    return coveringRange(pos) >= 0;
  }

  /**
   * The end of the range that covers {@code pos}, or {@code pos} itself when none does: every
   * position from pos up to the answer is covered, so a caller asking about later positions needs
   * no new question until it passes the answer.
   */
  int coveredUntil(int pos) {
    int k = coveringRange(pos);
    return k >= 0 ? rangeTo(k) : pos;
  }

  /** Index of the range that covers {@code pos}, or -1. */
  private int coveringRange(int pos) {
    if (pos < start || pos >= end) {
      return -1;
    }
    // Callers ask about nearby positions one after another (the scan moves forward, resolution walks
    // the instructions), so the range that answered last, the hole around it and the next range are
    // tried before a search.
    int c = lastRange < count ? lastRange : 0;
    if (pos < rangeTo(c)) {
      if (rangeFrom(c) <= pos) {
        return c;
      }
      if (c == 0 || rangeTo(c - 1) <= pos) {
        return -1; // in the hole before range c
      }
    } else if (c + 1 == count || pos < rangeFrom(c + 1)) {
      return -1; // after range c, before the next
    } else if (pos < rangeTo(c + 1)) {
      lastRange = c + 1;
      return c + 1;
    }
    int k = firstEndingAfter(pos);
    if (rangeFrom(k) <= pos) {
      lastRange = k;
      return k;
    }
    return -1;
  }

  /** Index of the first range ending after {@code pos}, or {@link #rangeCount}. */
  int firstEndingAfter(int pos) {
    if (pos >= end) {
      return count;
    }
    // The last range ends after pos: the answer is among the others or it, whose shared end the
    // search must not read (a cut may have moved it).
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (to[base + mid] <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position at or after {@code pos} this piece covers, or {@link Integer#MAX_VALUE}. */
  int nextCoveredAtOrAfter(int pos) {
    int k = firstEndingAfter(pos);
    return k == count ? Integer.MAX_VALUE : Math.max(pos, rangeFrom(k));
  }

  /** The first register-use position at or after {@code pos}, or {@link Integer#MAX_VALUE}. */
  int firstRegUseAtOrAfter(int pos) {
    int u = firstRegUseIndex(pos);
    return u < regUseCount ? regUses[useBase + u] : Integer.MAX_VALUE;
  }

  /** Index (among this piece's) of the first register use at or after {@code pos}, or the use count. */
  private int firstRegUseIndex(int pos) {
    // Binary search: a long-lived value in a large function has thousands of uses, and the scan asks
    // this for every active and inactive piece each time a piece needs a register evicted.
    int lo = 0;
    int hi = regUseCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (regUses[useBase + mid] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Cuts this piece at {@code pos} ({@code start() < pos < end()}): this piece keeps the positions
   * before {@code pos}, the returned piece (location unset) gets the rest. When {@code pos} falls in a
   * hole, the new piece starts at its next range. Both keep sharing the arrays: two searches, no copy.
   */
  LiveInterval splitAt(int pos, int newId) {
    if (pos <= start || pos >= end) {
      throw new IllegalStateException("split of v" + vreg + " at " + pos + " outside (" + start + ", "
          + end + ")");
    }
    // Range k ends after pos; it is cut when it starts before pos (always so for range 0).
    int k = firstEndingAfter(pos);
    boolean cut = rangeFrom(k) < pos;
    int u = firstRegUseIndex(pos);
    LiveInterval tail = new LiveInterval(vreg, regClass, newId, from, to, base + k, count - k,
        cut ? pos : rangeFrom(k), end, regUses, useBase + u, regUseCount - u);
    tail.splitParent = this;
    end = cut ? pos : rangeTo(k - 1);
    count = cut ? k + 1 : k;
    regUseCount = u;
    return tail;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("v").append(vreg).append('#').append(id).append(' ');
    for (int k = 0; k < count; k++) {
      sb.append('[').append(rangeFrom(k)).append(',').append(rangeTo(k)).append(')');
    }
    return sb.append(" -> ").append(location).toString();
  }
}
