package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a parallel move (every source read before any destination is written) into a sequence of
 * plain moves. A move whose destination nobody still reads goes first; what is left then consists of
 * cycles, and one cycle is broken by saving one destination in a temporary and redirecting its readers
 * there; the chain that is left runs to completion before the next cycle is broken, so one temporary
 * serves them all. Slot-to-slot moves are routed through the class's scratch register, or, without one, through
 * a borrowed register whose value is parked in a spare slot for the duration.
 */
final class ParallelMoves {
  /** One move of the parallel set. */
  record Move(Allocation from, Allocation to) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Move m && m.from.equals(from) && m.to.equals(to);
    }

    @Override
    public int hashCode() {
      return from.hashCode() * 31 + to.hashCode();
    }
  }

  /**
   * The pending moves' destinations: an open-addressing table from a location ({@link
   * RedundantMoves#location}) plus one, 0 for an empty entry, to the index of the pending move that
   * writes it. It finds which move taking one out frees without comparing that one with the others.
   * Sized for the largest group asked about (at least twice its moves), not for every location of
   * the function; all empty between calls.
   */
  private int[] tableKeys = new int[0];
  private int[] tableMoves = new int[0];
  /** log2 of the table's size. */
  private int tableBits;
  /** Per pending move, its entry in the table, and how many pending moves read its destination. */
  private int[] entryOf = new int[0];
  private int[] readers = new int[0];

  /** Moves looked at to find their order, over every call: the work, for tests. */
  long movesExamined;

  /**
   * @param moves the parallel set; destinations distinct, classes matching
   * @param scratch the class's scratch register, or null
   * @param spareSlot supplies a slot used as cycle temporary or parking place (called lazily)
   * @param borrowable a register of the class that may be borrowed when there is no scratch
   */
  List<Move> sequentialize(List<Move> moves, PReg scratch, Supplier<SpillSlot> spareSlot,
      PReg borrowable) {
    if (moves.size() == 1) {
      // Most parallel moves are one move (a reload, a store, one edge's value): it is its own
      // sequence, without the three lists the general case builds (1.4% of yosys's sampled allocation).
      Move m = moves.getFirst();
      if (m.from().equals(m.to())) {
        return List.of();
      }
      if (!(m.from() instanceof SpillSlot && m.to() instanceof SpillSlot)) {
        return List.of(m);
      }
    }
    // Per pending move, how many pending moves read its destination, and a table of the destinations
    // to find the move writing a location: a search from the first pending move for the first that
    // can go, comparing it with every pending move, per move taken, cost up to the cube of a group's
    // size (biome: 39 million comparisons for 839,000 groups, 1,451 of them of more than 32 moves),
    // besides the search for repeats, and the order, which the code's bytes depend on, is the same.
    // Pending moves keep their index; a move taken out leaves null.
    List<Move> pending = new ArrayList<>();
    makeRoom(moves.size());
    // Index loops, not iterators or streams: C1 (kiln compile's JIT for all but the largest modules)
    // allocates each iterator and each stream stage.
    for (int i = 0; i < moves.size(); i++) {
      Move m = moves.get(i);
      movesExamined++;
      if (m.from().equals(m.to())) {
        continue;
      }
      // Destinations are distinct: a move with a destination seen already is that move again
      // (dropped) or a second value for the destination (an error).
      int to = RedundantMoves.location(m.to());
      int e = entry(to);
      if (tableKeys[e] != 0) {
        if (!pending.get(tableMoves[e]).from().equals(m.from())) {
          forget(pending.size());
          throw new IllegalStateException("two values moved into " + m.to() + ": " + moves);
        }
        continue;
      }
      tableKeys[e] = to + 1;
      tableMoves[e] = pending.size();
      entryOf[pending.size()] = e;
      readers[pending.size()] = 0;
      pending.add(m);
    }
    int count = pending.size();
    for (int p = 0; p < count; p++) {
      movesExamined++;
      int w = writerOf(pending.get(p).from());
      if (w >= 0) {
        readers[w]++;
      }
    }
    List<Move> seq = new ArrayList<>();
    SpillSlot spareTemp = null;
    // Every pending move before index k has a destination another pending move still reads: the
    // first move that can go is at k or later, or is the one a move just taken out freed (the move
    // writing its source, the only one whose destination it read).
    int k = 0;
    int firstPending = 0;
    for (int left = count; left > 0; ) {
      while (k < count && !canGo(pending, k)) {
        movesExamined++;
        k++;
      }
      int ready = k;
      if (ready == count) {
        // Only cycles remain: save one destination, then point its readers at the copy. The scratch
        // register can hold it only if no remaining slot-to-slot move needs the scratch for routing.
        while (pending.get(firstPending) == null) {
          firstPending++;
        }
        Allocation saved = pending.get(firstPending).to();
        boolean slotToSlot = false;
        for (int i = firstPending; i < count && !slotToSlot; i++) {
          Move m = pending.get(i);
          slotToSlot = m != null && m.from() instanceof SpillSlot && m.to() instanceof SpillSlot;
        }
        Allocation cycleTemp;
        if (scratch != null && !slotToSlot) {
          cycleTemp = scratch;
        } else {
          if (spareTemp == null) {
            spareTemp = spareSlot.get();
          }
          cycleTemp = spareTemp;
        }
        seq.add(new Move(saved, cycleTemp));
        for (int i = firstPending; i < count; i++) {
          Move m = pending.get(i);
          movesExamined++;
          if (m != null && m.from().equals(saved)) {
            pending.set(i, new Move(cycleTemp, m.to()));
          }
        }
        readers[firstPending] = 0;
        ready = firstPending; // nothing reads the saved destination now (no move writes the temporary)
      }
      while (ready >= 0) {
        Move m = pending.get(ready);
        pending.set(ready, null);
        left--;
        seq.add(m);
        // The move writing m's source, if before k, is the first that can go once nothing else reads
        // its destination; one at or after k is for the search from k to find.
        int w = writerOf(m.from());
        movesExamined++;
        if (w >= 0) {
          readers[w]--;
        }
        ready = w >= 0 && w < k && canGo(pending, w) ? w : -1;
      }
    }
    forget(count);
    List<Move> out = new ArrayList<>();
    SpillSlot parking = null;
    for (int i = 0; i < seq.size(); i++) {
      Move m = seq.get(i);
      if (m.from() instanceof SpillSlot && m.to() instanceof SpillSlot) {
        if (scratch != null) {
          out.add(new Move(m.from(), scratch));
          out.add(new Move(scratch, m.to()));
        } else {
          if (parking == null) {
            parking = spareSlot.get();
          }
          out.add(new Move(borrowable, parking));
          out.add(new Move(m.from(), borrowable));
          out.add(new Move(borrowable, m.to()));
          out.add(new Move(parking, borrowable));
        }
      } else {
        out.add(m);
      }
    }
    return out;
  }

  /** Whether the {@code p}-th pending move is not taken yet and no pending move reads its destination. */
  private boolean canGo(List<Move> pending, int p) {
    return pending.get(p) != null && readers[p] == 0;
  }

  /** Makes the table at least twice as large as a group of {@code moves} moves, and the per-move arrays room. */
  private void makeRoom(int moves) {
    if (tableKeys.length < 2 * moves) {
      tableBits = Math.max(2, 32 - Integer.numberOfLeadingZeros(2 * moves - 1));
      tableKeys = new int[1 << tableBits];
      tableMoves = new int[1 << tableBits];
    }
    if (readers.length < moves) {
      entryOf = new int[moves];
      readers = new int[moves];
    }
  }

  /** The table's entry for {@code location}: the one holding it, or the empty one where it would go. */
  private int entry(int location) {
    int mask = tableKeys.length - 1;
    int e = (location * 0x9E3779B9) >>> (32 - tableBits);
    while (tableKeys[e] != 0 && tableKeys[e] != location + 1) {
      e = (e + 1) & mask;
    }
    return e;
  }

  /** The index of the pending move writing {@code a}, or -1. */
  private int writerOf(Allocation a) {
    int e = entry(RedundantMoves.location(a));
    return tableKeys[e] == 0 ? -1 : tableMoves[e];
  }

  /** Empties the table's entries of the first {@code count} pending moves, all it holds, for the next call. */
  private void forget(int count) {
    for (int p = 0; p < count; p++) {
      tableKeys[entryOf[p]] = 0;
    }
  }
}
