package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.List;

/**
 * The linear scan's inactive pieces (Wimmer and Moessenboeck's "inactive" set: a piece holding a
 * register whose lifetime has a hole at the scan position), ordered by the position where each is
 * live again, so that a step of the scan looks only at the pieces that resume by its position. As
 * a list, every step looked at every inactive piece: n allocation slow paths laid out at a
 * function's end leave n values inactive for the rest of the scan (red team 9 F2, quadratic).
 *
 * <p>Each piece keeps the order in which it became inactive ({@link #seq}): where the scan acts on
 * several at once it does so in the order the former list gave, latest first, so split pieces get
 * the same ids and the allocation stays the same.
 *
 * <p>The order is a heap of {@code resume << 32 | seq} keys, and a piece taken out by {@link #remove}
 * leaves its key behind, dropped when it comes to the top: a tree of boxed entries and a map from
 * piece to entry (their adds, removals and comparator calls) were half of this class's samples in
 * a profile of yosys's compile.
 */
final class InactivePieces {
  /** Keys {@code resume << 32 | seq}: an entry's resume position, then when it became inactive. */
  private final LongMinHeap byResume = new LongMinHeap();
  /** Per seq, the piece while it is inactive under that seq, else null (its key, if any, is stale). */
  private LiveInterval[] bySeq = new LiveInterval[16];
  private int nextSeq;
  /**
   * The first live key's resume position, or {@link Integer#MAX_VALUE} when there is none: the scan
   * asks at every step whether anything resumes, and mostly nothing does.
   */
  private int earliestResume = Integer.MAX_VALUE;
  /**
   * The pieces one {@link #takeResumedBy} takes out, and their {@code seq << 32 | index} keys, to be
   * ordered latest first: reused.
   */
  private LiveInterval[] resumed = new LiveInterval[16];
  private long[] resumedBySeq = new long[16];
  /** Times the heap's first key was looked at: for tests. */
  long firstLookups;
  /** Entries {@link #takeResumedBy} looked at: the work, for tests. */
  long visits;

  /** Drops the stale keys at the heap's top; says whether a live one is left there. */
  private boolean dropStale() {
    while (!byResume.isEmpty()) {
      if (bySeq[(int) byResume.peek()] != null) {
        return true;
      }
      byResume.poll();
    }
    return false;
  }

  /** The first live key; {@link #dropStale} must have found one. */
  private long first() {
    firstLookups++;
    return byResume.peek();
  }

  /** {@link #earliestResume} again, after entries were taken out. */
  private void findEarliest() {
    earliestResume = dropStale() ? (int) (first() >>> 32) : Integer.MAX_VALUE;
  }

  /** Adds {@code piece}, which holds a register and is not live at {@code pos}. */
  void add(LiveInterval piece, int pos) {
    if (nextSeq == bySeq.length) {
      bySeq = java.util.Arrays.copyOf(bySeq, 2 * nextSeq);
    }
    int seq = nextSeq++;
    bySeq[seq] = piece;
    piece.inactiveSeq = seq;
    insert(seq, piece.nextCoveredAtOrAfter(pos));
  }

  private void insert(int seq, int resume) {
    byResume.add((long) resume << 32 | seq);
    earliestResume = Math.min(earliestResume, resume);
  }

  boolean contains(LiveInterval piece) {
    return piece.inactiveSeq >= 0;
  }

  /** When {@code piece}, which is inactive, became so: later ones have larger numbers. */
  long seq(LiveInterval piece) {
    return piece.inactiveSeq;
  }

  /** Takes the inactive {@code piece} out. */
  void remove(LiveInterval piece) {
    takeOut(piece);
    findEarliest();
  }

  private void takeOut(LiveInterval piece) {
    bySeq[piece.inactiveSeq] = null;
    piece.inactiveSeq = -1;
  }

  /**
   * Removes the pieces live again at {@code pos} and returns them (latest inactive first); drops those
   * ended by {@code pos}. A piece whose next range the scan jumped over (it lies wholly between two
   * scan positions) stays, keyed by its range after that.
   */
  List<LiveInterval> takeResumedBy(int pos) {
    if (earliestResume > pos) {
      return List.of(); // the usual step: nothing resumes, and nothing is allocated
    }
    int count = 0;
    while (dropStale()) {
      long key = first();
      if ((int) (key >>> 32) > pos) {
        break;
      }
      byResume.poll();
      int seq = (int) key;
      LiveInterval p = bySeq[seq];
      visits++;
      if (p.end() <= pos) {
        takeOut(p);
      } else if (p.covers(pos)) {
        takeOut(p);
        if (count == resumed.length) {
          resumed = java.util.Arrays.copyOf(resumed, 2 * count);
          resumedBySeq = java.util.Arrays.copyOf(resumedBySeq, 2 * count);
        }
        resumedBySeq[count] = (long) seq << 32 | count;
        resumed[count++] = p;
      } else {
        // Keeps its seq under a new key, past pos: this loop does not meet it again.
        insert(seq, p.nextCoveredAtOrAfter(pos));
      }
    }
    findEarliest();
    SmallSorts.sort(resumedBySeq, 0, count);
    List<LiveInterval> out = new ArrayList<>(count);
    for (int k = count - 1; k >= 0; k--) {
      out.add(resumed[(int) resumedBySeq[k]]);
      resumed[(int) resumedBySeq[k]] = null;
    }
    return out;
  }
}
