package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.TreeMap;

/**
 * Per allocatable register, the ranges of the pieces the linear scan gave it, by start: where the
 * register is taken (LLVM calls the same idea a live interval union). Pieces holding one register
 * never overlap, so each range has a start of its own and the ranges at or after the scan position
 * are those of the register's active and inactive pieces.
 *
 * <p>Why: the scan asks, for a piece to place, where it first meets a register's other pieces and
 * which pieces it meets. Asked of each inactive piece in turn, that cost the number of inactive
 * pieces per question; a function with n allocation slow paths laid out at its end leaves n values
 * each with a second range there, all inactive for the rest of the scan (red team 9 F2: thousands
 * of {@code struct.new} or {@code br_on_cast} in one function, quadratic). Here a question walks the
 * piece's ranges and the register's alternately, each side jumping by search to where the other
 * continues, so it costs about the ranges of the smaller side within the window asked about.
 */
final class RegisterOccupancy {
  /** A range of a piece on the register: its end, and the piece. */
  private record Taken(int to, LiveInterval piece) {}

  private final List<TreeMap<Integer, Taken>> byReg = new ArrayList<>();
  /** Steps the questions took (each a search on either side): the work, for tests. */
  long steps;

  RegisterOccupancy(int regCount) {
    for (int r = 0; r < regCount; r++) {
      byReg.add(new TreeMap<>());
    }
  }

  /** Records every range of {@code piece}, which the scan gave register {@code r}. */
  void add(int r, LiveInterval piece) {
    TreeMap<Integer, Taken> m = byReg.get(r);
    for (int k = 0; k < piece.rangeCount(); k++) {
      Taken before = m.put(piece.rangeFrom(k), new Taken(piece.rangeTo(k), piece));
      if (before != null) {
        throw new IllegalStateException("v" + piece.vreg + " and v" + before.piece().vreg
            + " both hold register " + r + " at " + piece.rangeFrom(k));
      }
    }
  }

  /** Forgets every range of {@code piece}, which no longer holds register {@code r}. */
  void remove(int r, LiveInterval piece) {
    TreeMap<Integer, Taken> m = byReg.get(r);
    for (int k = 0; k < piece.rangeCount(); k++) {
      forget(m, piece.rangeFrom(k), piece);
    }
  }

  /**
   * {@code head}, on register {@code r}, was just cut and {@code tail} took its later positions,
   * which leave the register: their ranges go, and the head's last range gets its new end.
   */
  void cut(int r, LiveInterval head, LiveInterval tail) {
    TreeMap<Integer, Taken> m = byReg.get(r);
    for (int k = 0; k < tail.rangeCount(); k++) {
      forget(m, tail.rangeFrom(k), head);
    }
    int last = head.rangeCount() - 1;
    m.put(head.rangeFrom(last), new Taken(head.rangeTo(last), head));
  }

  private static void forget(TreeMap<Integer, Taken> m, int from, LiveInterval piece) {
    Taken t = m.get(from);
    if (t != null && t.piece() == piece) {
      m.remove(from);
    }
  }

  /**
   * The first position in {@code [pos, limit)} that {@code cur} covers and a piece on register
   * {@code r} covers too, or {@link Integer#MAX_VALUE}.
   */
  int firstMeeting(int r, LiveInterval cur, int pos, int limit) {
    TreeMap<Integer, Taken> m = byReg.get(r);
    int i = Positions.firstEndingAfter(cur, pos);
    int at = pos;
    while (i < cur.rangeCount()) {
      steps++;
      int a = Math.max(cur.rangeFrom(i), at);
      if (a >= limit) {
        return Integer.MAX_VALUE;
      }
      Map.Entry<Integer, Taken> covering = m.floorEntry(a);
      if (covering != null && covering.getValue().to() > a) {
        return a;
      }
      Integer next = m.higherKey(a);
      if (next == null || next >= limit) {
        return Integer.MAX_VALUE;
      }
      if (next < cur.rangeTo(i)) {
        return next;
      }
      // Nothing on r between a and next: continue in cur's range that reaches past next.
      at = next;
      i = Positions.firstEndingAfter(cur, next);
    }
    return Integer.MAX_VALUE;
  }

  /** The pieces on register {@code r} that meet {@code cur} somewhere in {@code [pos, limit)}. */
  SequencedSet<LiveInterval> meeting(int r, LiveInterval cur, int pos, int limit) {
    TreeMap<Integer, Taken> m = byReg.get(r);
    SequencedSet<LiveInterval> met = new LinkedHashSet<>();
    int i = Positions.firstEndingAfter(cur, pos);
    int at = pos;
    while (i < cur.rangeCount()) {
      steps++;
      int a = Math.max(cur.rangeFrom(i), at);
      if (a >= limit) {
        break;
      }
      int b = Math.min(cur.rangeTo(i), limit);
      Map.Entry<Integer, Taken> covering = m.floorEntry(a);
      if (covering != null && covering.getValue().to() > a) {
        met.add(covering.getValue().piece());
      }
      for (Taken t : m.subMap(a, false, b, false).values()) {
        steps++;
        met.add(t.piece());
      }
      // A range of r starting before b that reaches further is counted already: go on from the
      // next range of r starting at or after b.
      Integer next = m.ceilingKey(b);
      if (next == null) {
        break;
      }
      at = next;
      i = Positions.firstEndingAfter(cur, next);
    }
    return met;
  }
}
