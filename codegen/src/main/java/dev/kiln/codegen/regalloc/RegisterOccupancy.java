package dev.kiln.codegen.regalloc;

/**
 * Per allocatable register, the ranges of the pieces the linear scan gave it, by start: where the
 * register is taken (LLVM calls the same idea a live interval union). Pieces holding one register
 * never overlap, so each range has a start of its own. The scan records a piece here only when a
 * question could meet it ({@link LinearScan}): when it first becomes inactive, when it is cut while
 * it holds the register, or when the scan steps back over it. A register's active piece is never
 * asked about, so the ranges from the scan position on are those of the register's inactive pieces
 * and maybe of its active one.
 *
 * <p>Why: the scan asks, for a piece to place, where it first meets a register's other pieces and
 * which pieces it meets. Asked of each inactive piece in turn, that cost the number of inactive
 * pieces per question; a function with n allocation slow paths laid out at its end leaves n values
 * each with a second range there, all inactive for the rest of the scan (red team 9 F2: thousands
 * of {@code struct.new} or {@code br_on_cast} in one function, quadratic). Here a question walks the
 * piece's ranges and the register's alternately, each side jumping by search to where the other
 * continues, so it costs about the ranges of the smaller side within the window asked about.
 *
 * <p>Both questions are one walk ({@link #walk}) that tells a {@link MeetingVisitor} each meeting in
 * position order: the first meeting is where a visitor that stops at once leaves it. The ranges
 * are kept in int-keyed search trees ({@link RangesByStart}), so a walk allocates nothing and
 * compares ints (no boxed positions, map entries, views or {@code compareTo} calls: the launcher's
 * C1-only JIT does no escape analysis, and the scan asks once per register for every piece).
 */
final class RegisterOccupancy {
  /** What a walk does with each piece on the register that the walked piece meets. */
  @FunctionalInterface
  interface MeetingVisitor {
    /**
     * {@code piece}, on register {@code r}, meets the walked piece at {@code at} (a piece met in
     * several places is told each); {@code pos} is the walk's start. Returns whether to go on.
     */
    boolean met(int r, int pos, int at, LiveInterval piece);
  }

  /** Stops at the first meeting: {@link #walk} then returns where it is. */
  private static final MeetingVisitor FIRST = (r, pos, at, piece) -> false;

  private final RangesByStart ranges;
  /** Steps the questions took (each a search on either side): the work, for tests. */
  long steps;
  /** Ranges recorded: for tests. */
  long recorded;

  RegisterOccupancy(int regCount) {
    ranges = new RangesByStart(regCount);
  }

  /** Records every range of {@code piece}, which the scan gave register {@code r}. */
  void add(int r, LiveInterval piece) {
    piece.inOccupancy = true;
    recorded += piece.rangeCount();
    for (int k = 0; k < piece.rangeCount(); k++) {
      int from = piece.rangeFrom(k);
      int before = ranges.add(r, from, piece.rangeTo(k), piece);
      if (before != RangesByStart.NONE) {
        throw new IllegalStateException("v" + piece.vreg + " and v" + ranges.piece(before).vreg
            + " both hold register " + r + " at " + from);
      }
    }
  }

  /** Forgets every range of {@code piece}, which no longer holds register {@code r}. */
  void remove(int r, LiveInterval piece) {
    if (!piece.inOccupancy) {
      return;
    }
    piece.inOccupancy = false;
    for (int k = 0; k < piece.rangeCount(); k++) {
      forget(r, piece.rangeFrom(k), piece);
    }
  }

  /**
   * {@code head}, on register {@code r}, was just cut and {@code tail} took its later positions,
   * which leave the register: their ranges go, and the head's last range gets its new end. A head
   * not recorded yet is recorded now: it keeps the register before the scan position, where a step
   * back may ask about it, and it is no longer in the scan's sets that would record it then.
   */
  void cut(int r, LiveInterval head, LiveInterval tail) {
    if (!head.inOccupancy) {
      add(r, head);
      return;
    }
    for (int k = 0; k < tail.rangeCount(); k++) {
      forget(r, tail.rangeFrom(k), head);
    }
    int last = head.rangeCount() - 1;
    int from = head.rangeFrom(last);
    int old = ranges.startingAt(r, from);
    if (old != RangesByStart.NONE) {
      ranges.replace(r, old, head.rangeTo(last), head);
    } else {
      ranges.add(r, from, head.rangeTo(last), head);
    }
  }

  private void forget(int r, int from, LiveInterval piece) {
    int t = ranges.startingAt(r, from);
    if (t != RangesByStart.NONE && ranges.piece(t) == piece) {
      ranges.remove(r, t);
    }
  }

  /**
   * The first position in {@code [pos, limit)} that {@code cur} covers and a piece on register
   * {@code r} covers too, or {@link Integer#MAX_VALUE}. {@code first} is {@link #firstRange}{@code
   * (cur, pos)}, which the scan finds once for all registers.
   */
  int firstMeeting(int r, LiveInterval cur, int pos, int first, int limit) {
    return walk(r, cur, pos, first, limit, FIRST);
  }

  /** Index of {@code cur}'s first range ending after {@code pos}: where a walk from pos begins. */
  static int firstRange(LiveInterval cur, int pos) {
    return cur.firstEndingAfter(pos);
  }

  /**
   * Tells {@code visitor} the pieces on register {@code r} that meet {@code cur} somewhere in
   * {@code [pos, limit)}, in the order of the positions where they meet (a piece met in several of
   * cur's ranges, once for each). {@code first} is {@link #firstRange}{@code (cur, pos)}. Returns the
   * position where the visitor stopped the walk, or {@link Integer#MAX_VALUE} when it went to the end.
   */
  int walk(int r, LiveInterval cur, int pos, int first, int limit, MeetingVisitor visitor) {
    // No range of r reaches past pos: nothing to meet (most free registers' pieces lie behind the scan).
    if (ranges.endBound(r) <= pos) {
      return Integer.MAX_VALUE;
    }
    int i = first;
    int at = pos;
    while (i < cur.rangeCount()) {
      steps++;
      int a = Math.max(cur.rangeFrom(i), at);
      if (a >= limit) {
        break;
      }
      int b = Math.min(cur.rangeTo(i), limit);
      ranges.locate(r, a);
      int covering = ranges.floorFound();
      // The ranges of r starting inside [a, b) meet cur where they start; the first starting at or
      // after b is where r continues past this range of cur (one starting before b that reaches
      // further is told already).
      int next = ranges.higherFound();
      if (covering != RangesByStart.NONE && ranges.to(covering) > a
          && !visitor.met(r, pos, a, ranges.piece(covering))) {
        return a;
      }
      while (next != RangesByStart.NONE && ranges.from(next) < b) {
        steps++;
        if (!visitor.met(r, pos, ranges.from(next), ranges.piece(next))) {
          return ranges.from(next);
        }
        next = ranges.higher(r, ranges.from(next));
      }
      if (next == RangesByStart.NONE) {
        break;
      }
      at = ranges.from(next);
      i = cur.firstEndingAfter(at);
    }
    return Integer.MAX_VALUE;
  }
}
