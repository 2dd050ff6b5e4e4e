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
  private long nextSeq;
  /** Entries {@link #takeResumedBy} looked at: the work, for tests. */
  long visits;

  /** Adds {@code piece}, which holds a register and is not live at {@code pos}. */
  void add(LiveInterval piece, int pos) {
    insert(new Entry(piece, piece.nextCoveredAtOrAfter(pos), nextSeq++));
  }

  private void insert(Entry e) {
    byResume.add(e);
    entries.put(e.piece(), e);
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
  }

  /**
   * Removes the pieces live again at {@code pos} and returns them (latest inactive first); drops those
   * ended by {@code pos}. A piece whose next range the scan jumped over (it lies wholly between two
   * scan positions) stays, keyed by its range after that.
   */
  List<LiveInterval> takeResumedBy(int pos) {
    if (byResume.isEmpty() || byResume.first().resume() > pos) {
      return List.of(); // the usual step: nothing resumes, and nothing is allocated
    }
    List<Entry> live = new ArrayList<>();
    while (!byResume.isEmpty() && byResume.first().resume() <= pos) {
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
    live.sort(LATEST_FIRST);
    List<LiveInterval> out = new ArrayList<>(live.size());
    for (Entry e : live) {
      out.add(e.piece());
    }
    return out;
  }
}
