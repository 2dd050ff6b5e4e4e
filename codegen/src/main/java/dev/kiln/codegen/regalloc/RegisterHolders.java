package dev.kiln.codegen.regalloc;

import java.util.Arrays;
import java.util.List;

/**
 * After the scans, which of a given set of vregs hold a register at a position: per register, the
 * ranges of those vregs' pieces the scans gave it, by start. Pieces on one register never overlap,
 * so a position is in at most one range per register, found by a search: a question costs the
 * registers in use times a logarithm, however many vregs are live there.
 *
 * <p>Why: two pieces in slots hold a vreg in the same slot (a vreg has one), so a vreg whose
 * location differs at an edge's two ends is in a register at one of them ({@link EdgeCrossings}).
 * At most one vreg per register is, where the vregs live across an edge can be thousands.
 */
final class RegisterHolders {
  /** Per register with ranges (in order of its id, {@link #id}), its first index in the arrays below. */
  private final int[] groupStart;
  /** Per range, in order of register, then of start: its start, its end (exclusive), its vreg. */
  private final int[] from;
  private final int[] to;
  private final int[] vreg;
  /** Ranges searched for: the work, for tests. */
  long searches;

  private RegisterHolders(int[] groupStart, int[] from, int[] to, int[] vreg) {
    this.groupStart = groupStart;
    this.from = from;
    this.to = to;
    this.vreg = vreg;
  }

  /** The register ranges of the pieces of {@code vregs[0, count)}. */
  static RegisterHolders of(AllocState state, int[] vregs, int count) {
    int ids = RegClass.values().length * PReg.MAX_PER_CLASS;
    // Counted per register, then placed: a counting sort by register, each group then by start.
    int[] perId = new int[ids + 1];
    int ranges = 0;
    for (int k = 0; k < count; k++) {
      List<LiveInterval> ps = state.pieces(vregs[k]);
      for (int i = 0; i < ps.size(); i++) {
        LiveInterval p = ps.get(i);
        if (p.location instanceof PReg r) {
          perId[id(r) + 1] += p.rangeCount();
          ranges += p.rangeCount();
        }
      }
    }
    for (int i = 0; i < ids; i++) {
      perId[i + 1] += perId[i];
    }
    int[] fill = Arrays.copyOf(perId, ids);
    int[] fromOf = new int[ranges];
    int[] toOf = new int[ranges];
    int[] vregOf = new int[ranges];
    long[] byStart = new long[ranges];
    for (int k = 0; k < count; k++) {
      List<LiveInterval> ps = state.pieces(vregs[k]);
      for (int i = 0; i < ps.size(); i++) {
        LiveInterval p = ps.get(i);
        if (p.location instanceof PReg r) {
          for (int j = 0; j < p.rangeCount(); j++) {
            int at = fill[id(r)]++;
            fromOf[at] = p.rangeFrom(j);
            toOf[at] = p.rangeTo(j);
            vregOf[at] = p.vreg;
            byStart[at] = (long) p.rangeFrom(j) << 32 | at;
          }
        }
      }
    }
    int groups = 0;
    for (int i = 0; i < ids; i++) {
      if (perId[i + 1] > perId[i]) {
        groups++;
      }
    }
    int[] groupStart = new int[groups + 1];
    int[] from = new int[ranges];
    int[] to = new int[ranges];
    int[] vreg = new int[ranges];
    int g = 0;
    for (int i = 0; i < ids; i++) {
      if (perId[i + 1] == perId[i]) {
        continue;
      }
      groupStart[g++] = perId[i];
      SmallSorts.sort(byStart, perId[i], perId[i + 1]);
      for (int at = perId[i]; at < perId[i + 1]; at++) {
        int source = (int) byStart[at];
        from[at] = fromOf[source];
        to[at] = toOf[source];
        vreg[at] = vregOf[source];
      }
    }
    groupStart[groups] = ranges;
    return new RegisterHolders(groupStart, from, to, vreg);
  }

  private static int id(PReg r) {
    return r.regClass().ordinal() * PReg.MAX_PER_CLASS + r.hwEnc();
  }

  /** How many registers hold a range: a question's searches. */
  int registers() {
    return groupStart.length - 1;
  }

  /**
   * Writes the vregs holding a register at {@code pos} and live into block {@code block} into {@code
   * out} from index {@code n} (it has room for {@link #registers()} more), and returns the index
   * after the last written.
   */
  int at(int pos, Liveness live, int block, int[] out, int n) {
    for (int g = 0; g + 1 < groupStart.length; g++) {
      searches++;
      // The last range starting at or before pos: the only one of this register that can cover it.
      int lo = groupStart[g];
      int hi = groupStart[g + 1];
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (from[mid] <= pos) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int k = lo - 1;
      if (k >= groupStart[g] && pos < to[k] && live.isLiveIn(vreg[k], block)) {
        out[n++] = vreg[k];
      }
    }
    return n;
  }
}
