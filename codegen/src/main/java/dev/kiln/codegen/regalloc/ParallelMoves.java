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

  private ParallelMoves() {}

  /**
   * @param moves the parallel set; destinations distinct, classes matching
   * @param scratch the class's scratch register, or null
   * @param spareSlot supplies a slot used as cycle temporary or parking place (called lazily)
   * @param borrowable a register of the class that may be borrowed when there is no scratch
   */
  static List<Move> sequentialize(List<Move> moves, PReg scratch, Supplier<SpillSlot> spareSlot,
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
    List<Move> pending = new ArrayList<>();
    // Index loops, not iterators or streams: C1 (kiln compile's JIT for all but the largest modules)
    // allocates each iterator and each stream stage.
    for (int i = 0; i < moves.size(); i++) {
      Move m = moves.get(i);
      if (m.from().equals(m.to())) {
        continue;
      }
      // One pass over the pending moves (destinations distinct): one with m's destination is m again
      // (dropped) or a second value for that destination (an error).
      boolean repeated = false;
      for (int k = 0; k < pending.size() && !repeated; k++) {
        Move p = pending.get(k);
        if (p.to().equals(m.to())) {
          if (!p.from().equals(m.from())) {
            throw new IllegalStateException("two values moved into " + m.to() + ": " + moves);
          }
          repeated = true;
        }
      }
      if (!repeated) {
        pending.add(m);
      }
    }
    List<Move> seq = new ArrayList<>();
    SpillSlot spareTemp = null;
    while (!pending.isEmpty()) {
      int ready = -1;
      for (int k = 0; k < pending.size() && ready < 0; k++) {
        Allocation dst = pending.get(k).to();
        boolean read = false;
        for (int o = 0; o < pending.size() && !read; o++) {
          read = o != k && pending.get(o).from().equals(dst);
        }
        if (!read) {
          ready = k;
        }
      }
      if (ready >= 0) {
        seq.add(pending.remove(ready));
        continue;
      }
      // Only cycles remain: save one destination, then point its readers at the copy. The scratch
      // register can hold it only if no remaining slot-to-slot move needs the scratch for routing.
      Allocation saved = pending.getFirst().to();
      boolean slotToSlot = false;
      for (int k = 0; k < pending.size() && !slotToSlot; k++) {
        Move m = pending.get(k);
        slotToSlot = m.from() instanceof SpillSlot && m.to() instanceof SpillSlot;
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
      for (int k = 0; k < pending.size(); k++) {
        if (pending.get(k).from().equals(saved)) {
          pending.set(k, new Move(cycleTemp, pending.get(k).to()));
        }
      }
    }
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
}
