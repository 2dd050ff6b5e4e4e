package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
 */
final class InactivePieces {
  /** One inactive piece and the first position at or after which it is live. */
  private record Entry(LiveInterval piece, int resume, long seq) {}

  private static final Comparator<Entry> BY_RESUME =
      Comparator.comparingInt(Entry::resume).thenComparingLong(Entry::seq);

  private static final Comparator<Entry> LATEST_FIRST = Comparator.comparingLong(Entry::seq).reversed();

  private final TreeSet<Entry> byResume = new TreeSet<>(BY_RESUME);
  private final Map<LiveInterval, Entry> entries = new IdentityHashMap<>();
  /**
   * The first entry's resume position, or {@link Integer#MAX_VALUE} when there is none: the scan asks
   * at every step whether anything resumes, and mostly nothing does, where finding the first entry
   * walks the tree's left spine.
   */
  private int earliestResume = Integer.MAX_VALUE;
  /** Times the tree's first entry was looked up: for tests. */
  long firstLookups;
  private long nextSeq;
  /** Entries {@link #takeResumedBy} looked at: the work, for tests. */
  long visits;

  private Entry first() {
    firstLookups++;
    return byResume.first();
  }

  /** Adds {@code piece}, which holds a register and is not live at {@code pos}. */
  void add(LiveInterval piece, int pos) {
    insert(new Entry(piece, piece.nextCoveredAtOrAfter(pos), nextSeq++));
  }

  private void insert(Entry e) {
    byResume.add(e);
    entries.put(e.piece(), e);
    earliestResume = Math.min(earliestResume, e.resume());
  }

  boolean contains(LiveInterval piece) {
    return entries.containsKey(piece);
  }

  /** When {@code piece}, which is inactive, became so: later ones have larger numbers. */
  long seq(LiveInterval piece) {
    return entries.get(piece).seq();
  }

  void remove(LiveInterval piece) {
    byResume.remove(entries.remove(piece));
    earliestResume = byResume.isEmpty() ? Integer.MAX_VALUE : first().resume();
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
    List<Entry> live = new ArrayList<>();
    while (!byResume.isEmpty() && first().resume() <= pos) {
      Entry e = byResume.pollFirst();
      entries.remove(e.piece());
      visits++;
      LiveInterval p = e.piece();
      if (p.end() <= pos) {
        continue;
      }
      if (p.covers(pos)) {
        live.add(e);
      } else {
        insert(new Entry(p, p.nextCoveredAtOrAfter(pos), e.seq()));
      }
    }
    earliestResume = byResume.isEmpty() ? Integer.MAX_VALUE : first().resume();
    live.sort(LATEST_FIRST);
    List<LiveInterval> out = new ArrayList<>(live.size());
    for (Entry e : live) {
      out.add(e.piece());
    }
    return out;
  }
}
