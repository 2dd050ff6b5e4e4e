package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns allocated pieces into what the lowering consumes: one allocation per operand and the moves
 * between instructions. Moves are gathered per program point into phases, each a parallel move, and
 * the phases run in this order:
 *
 * <pre>
 *   after(i-1):  DEF_FIXUP   fixed/stack outputs of i-1 copied to the output vreg's piece
 *   before(i):   EDGE_IN     block-parameter and live-in moves of the edge into this block
 *                            (only when the block has a single predecessor)
 *                SPLIT_EVEN  a vreg moves to its next piece at an EARLY point (reload, reg-to-reg);
 *                            a REUSE input that dies at the instruction is copied to the output here
 *                SPLIT_ODD   a vreg's next piece, in its own slot, starts at the LATE point (store)
 *                USE_FIXUP   inputs copied into FIXED registers, their slot (STACK) or the output
 *                            register of a REUSE
 *                EDGE_OUT    moves of the edge out of this block, in front of its jump (when the
 *                            successor has several predecessors, so this block has one successor)
 * </pre>
 *
 * <p>Why this order is safe: a phase writes only locations that nobody else occupies at the point it
 * serves (fixed registers are blocked for every piece there; a spill slot belongs to one vreg), and
 * what a later phase reads is the location of a piece valid at that point, established by the earlier
 * phases.
 */
final class Resolution {
  private enum Phase {
    DEF_FIXUP,
    EDGE_IN,
    SPLIT_EVEN,
    SPLIT_ODD,
    USE_FIXUP,
    EDGE_OUT
  }

  /** The sides of a program point by ordinal, for the moves' sort keys: {@code values()} copies per call. */
  private static final ProgPoint.Side[] SIDES = ProgPoint.Side.values();

  private final RegAllocFunction f;
  private final MachineEnv env;
  private final AllocState state;
  /** Per edge, the live vregs whose location may change across it. */
  private final EdgeCrossings crossings;
  /** {@link IntervalBuilder#read}: whether each vreg is read at all. */
  private final boolean[] used;
  private final IntervalBuilder ib;
  private final boolean[] blockStart;
  private final BlockEdges edges;
  /** Every gathered move, in the order gathered. */
  private final List<ParallelMoves.Move> moves = new ArrayList<>();
  /**
   * Per gathered move, its group key (program point and phase) in the high 32 bits and its index in
   * {@link #moves} in the low ones: sorted, the moves come out grouped in point and phase order and
   * in gathering order inside a group, without a boxed key per move.
   */
  private long[] keyed = new long[64];
  private final Map<RegClass, List<SpillSlot>> spares = new EnumMap<>(RegClass.class);
  /** Where a vreg's slot already holds it, so a store into it is left out. */
  private final SlotHolding holding;

  Resolution(RegAllocFunction f, MachineEnv env, Liveness live, IntervalBuilder ib, AllocState state,
      BlockEdges edges) {
    this.f = f;
    this.ib = ib;
    this.env = env;
    this.state = state;
    this.edges = edges;
    this.used = ib.read;
    this.crossings = new EdgeCrossings(f, live, state, edges);
    this.holding = new SlotHolding(f, state, crossings, edges);
    this.blockStart = new boolean[f.numInsts() + 1];
    for (int b = 0; b < f.numBlocks(); b++) {
      blockStart[f.blockInsts(b).first()] = true;
    }
  }

  /**
   * Gathers a move at the {@code side} of instruction {@code inst}: the point as two ints in the
   * move's key, where a {@link ProgPoint} was made per fix-up, split and edge (its only reader is
   * {@link #edits}, once per group of moves).
   */
  private void add(int inst, ProgPoint.Side side, Phase phase, Allocation from, Allocation to) {
    if (from == null || to == null) {
      throw new IllegalStateException("no location at " + new ProgPoint(inst, side) + " (" + phase + "): "
          + from + " -> " + to);
    }
    if (from.equals(to)) {
      // A value already where it is needed: ParallelMoves would drop it, so it need not be gathered
      // (most edge moves of live-through values are such, and there is one per value per edge).
      return;
    }
    long key = ((long) inst * 2 + side.ordinal()) * 8 + phase.ordinal();
    int index = moves.size();
    if (index == keyed.length) {
      keyed = java.util.Arrays.copyOf(keyed, index * 2);
    }
    keyed[index] = key << 32 | index;
    moves.add(new ParallelMoves.Move(from, to));
  }

  /**
   * Sorts {@code keyed[0, count)} ascending: by instruction in a counting pass, then each
   * instruction's few moves by side, phase and index. The keys are distinct (each holds its move's
   * index) and the counting placement is stable, so the order is the one sort of all the keys gave,
   * without its n log n over the function's moves (about 50 samples in yosys's compile). Where moves
   * are far fewer than instructions, the pass over every instruction would cost more: one sort.
   */
  private void sortByPoint(int count) {
    int insts = f.numInsts();
    if (count < SmallSorts.INSERTION_LIMIT || (long) count * 4 < insts) {
      SmallSorts.sort(keyed, 0, count);
      longestSorted = count;
      return;
    }
    // A key is ((inst * 2 + side) * 8 + phase) << 32 | index (add): the instruction is above bit 36.
    int[] next = new int[insts + 1];
    for (int k = 0; k < count; k++) {
      next[(int) (keyed[k] >>> 36) + 1]++;
    }
    for (int i = 1; i <= insts; i++) {
      next[i] += next[i - 1];
    }
    long[] sorted = new long[count];
    for (int k = 0; k < count; k++) {
      sorted[next[(int) (keyed[k] >>> 36)]++] = keyed[k];
    }
    for (int first = 0, end; first < count; first = end) {
      long inst = sorted[first] >>> 36;
      end = first + 1;
      while (end < count && sorted[end] >>> 36 == inst) {
        end++;
      }
      SmallSorts.sort(sorted, first, end);
      longestSorted = Math.max(longestSorted, end - first);
    }
    keyed = sorted;
  }

  private Allocation at(int vreg, int pos) {
    return located(state.locationAt(vreg, pos), vreg, pos);
  }

  /** {@code a}, the location of {@code vreg} at {@code pos}, which must have one. */
  private static Allocation located(Allocation a, int vreg, int pos) {
    if (a == null) {
      throw new IllegalStateException("v" + vreg + " has no location at position " + pos);
    }
    return a;
  }

  /**
   * Per register class, a bit per register some operand was given: gathered by {@link
   * #operandAllocations} as it hands them out, where a pass over every instruction's list read them again.
   */
  final long[] usedRegisters = new long[RegClass.values().length];
  /** Lowering copies whose two operands got different locations, all and those in loops ({@link MoveCounts}). */
  int copiesKept;
  int copiesKeptInLoops;
  /** Groups of moves (a program point's, of one class) handed to {@link ParallelMoves}: for tests. */
  long sequentialized;
  /** Orders each group's moves: one for all the groups, its tables of locations kept from group to group. */
  private final ParallelMoves parallelMoves = new ParallelMoves();
  /** The most moves one comparison sort of {@link #sortByPoint} was given: for tests. */
  int longestSorted;
  /** Vregs whose pieces the walk for split moves read: for tests. */
  long vregsWalked;

  List<List<Allocation>> operandAllocations() {
    Operand[] all = ib.operands.operands;
    int[] vregs = ib.operands.vregs;
    int[] start = ib.operands.start;
    RegClass[] classes = ib.operands.classes;
    // The operands' kinds, points and constraints as bits (InstOperands#shapes): only a FIXED
    // operand's record is loaded, for its register, where every operand's record and its
    // constraint's behind it were loaded again (records the lowering left wherever it made them).
    int[] shapes = ib.operands.shapes;
    // Every operand's, in the operands' order, wrapped once at the end (OperandAllocations, which
    // RegAllocOutput keeps unchecked): each instruction's list is a window of it.
    Allocation[] allocs = new Allocation[start[f.numInsts()]];
    for (int i = 0; i < f.numInsts(); i++) {
      int base = start[i];
      int count = start[i + 1] - base;
      int shapesSeen = 0;
      for (int k = 0; k < count; k++) {
        int shape = shapes[base + k];
        shapesSeen |= shape;
        int v = vregs[base + k];
        boolean isUse = (shape & InstOperands.DEF) == 0;
        Allocation a;
        if ((shape & InstOperands.FIXED) != 0) {
          PReg p = ((OperandConstraint.FixedReg) all[base + k].constraint()).preg();
          a = p;
          if (isUse) {
            add(i, ProgPoint.Side.BEFORE, Phase.USE_FIXUP, at(v, Positions.early(i)), p);
          } else if (used[v]) {
            add(i, ProgPoint.Side.AFTER, Phase.DEF_FIXUP, p, at(v, Positions.late(i)));
          }
        } else if ((shape & InstOperands.STACK) != 0) {
          SpillSlot slot = state.slotOf(v, classes[base + k]);
          a = slot;
          holding.note(v, i);
          if (isUse) {
            add(i, ProgPoint.Side.BEFORE, Phase.USE_FIXUP, at(v, Positions.early(i)), slot);
          } else if (used[v]) {
            add(i, ProgPoint.Side.AFTER, Phase.DEF_FIXUP, slot, at(v, Positions.late(i)));
          }
        } else if (!ib.consumedInGap(i, k)) {
          a = at(v, InstOperands.position(i, !isUse, shape));
        } else {
          continue; // a reuse input that dies in the gap gets the output's register below
        }
        allocs[base + k] = a;
        // A reuse input given its output's register below adds no register to these.
        if (a instanceof PReg p) {
          usedRegisters[p.regClass().ordinal()] |= 1L << p.hwEnc();
        }
      }
      // Only outputs reuse, and most instructions have none: the second walk is for those that do.
      for (int k = 0; (shapesSeen & InstOperands.REUSE) != 0 && k < count; k++) {
        int shape = shapes[base + k];
        if ((shape & InstOperands.REUSE) != 0) {
          int u = InstOperands.reuseIndex(shape);
          int input = vregs[base + u];
          Allocation output = allocs[base + k];
          if (ib.consumedInGap(i, u)) {
            add(i, ProgPoint.Side.BEFORE, Phase.SPLIT_EVEN, at(input, Positions.early(i) - 1), output);
          } else {
            add(i, ProgPoint.Side.BEFORE, Phase.USE_FIXUP, at(input, Positions.early(i)), output);
          }
          allocs[base + u] = output;
        }
      }
      if (f.isMove(i) && !allocs[base].equals(allocs[base + 1])) {
        copiesKept++;
        if (state.inLoop(i)) {
          copiesKeptInLoops++;
        }
      }
    }
    return new OperandAllocations(allocs, start);
  }

  /** Edges whose crossings were searched for ({@link EdgeCrossings#searches}). */
  long crossingSearches() {
    return crossings.searches;
  }

  /** Words the slot-holding analysis's sets took ({@link SlotHolding#setWords}). */
  long slotHoldingWords() {
    return holding.setWords();
  }

  List<Edit> edits() {
    List<Split> splits = splitsNotingDefinitions();
    for (Split split : splits) {
      // A store or a reload between two pieces: the slot holds the value from there on.
      if (split.prev().location instanceof SpillSlot != split.next().location instanceof SpillSlot) {
        holding.note(split.vreg(), Positions.inst(split.next().start()));
      }
    }
    holding.solve();
    addSplitMoves(splits);
    addEdgeMoves();
    // Looked up once, not per program point with moves.
    Map<RegClass, PReg> scratchByClass = new EnumMap<>(RegClass.class);
    Map<RegClass, PReg> borrowableByClass = new EnumMap<>(RegClass.class);
    // Per class (by ordinal), whether moves of it can be routed (a scratch or a register to borrow).
    boolean[] routable = new boolean[RegClass.ALL.size()];
    for (RegClass c : RegClass.values()) {
      env.scratch(c).ifPresent(r -> scratchByClass.put(c, r));
      List<PReg> allocatable = env.allocatable(c);
      if (!allocatable.isEmpty()) {
        borrowableByClass.put(c, allocatable.getFirst());
      }
      routable[c.ordinal()] = scratchByClass.containsKey(c) || borrowableByClass.containsKey(c);
    }
    List<Edit> edits = new ArrayList<>();
    // One list for every group's moves of a class, emptied for the next: ParallelMoves keeps none of
    // it, and a list per point and class was 0.9% of yosys's sampled allocation.
    List<ParallelMoves.Move> ofClass = new ArrayList<>();
    int count = moves.size();
    sortByPoint(count);
    for (int first = 0, end; first < count; first = end) {
      long key = keyed[first] >>> 32;
      end = first + 1;
      while (end < count && keyed[end] >>> 32 == key) {
        end++;
      }
      long pointKey = key / 8;
      ProgPoint point = new ProgPoint((int) (pointKey / 2), SIDES[(int) (pointKey % 2)]);
      if (end == first + 1) {
        // One move (most groups: a reload, a store, one edge's value) is its own sequence when it is
        // not slot to slot (add gathered no move onto itself): no pass per class, no sequence list.
        // A class that cannot route moves fails below, as ParallelMoves would be asked for it.
        ParallelMoves.Move m = moves.get((int) keyed[first]);
        boolean slotToSlot = m.from() instanceof SpillSlot && m.to() instanceof SpillSlot;
        if (!slotToSlot && routable[m.to().regClass().ordinal()]) {
          edits.add(new Edit(point, m.from(), m.to()));
          continue;
        }
      }
      for (int ci = 0; ci < RegClass.ALL.size(); ci++) { // no iterator: the launcher's C1 allocates each
        RegClass c = RegClass.ALL.get(ci);
        ofClass.clear();
        for (int k = first; k < end; k++) {
          ParallelMoves.Move m = moves.get((int) keyed[k]);
          if (m.to().regClass() == c) {
            ofClass.add(m);
          }
        }
        if (ofClass.isEmpty()) {
          continue;
        }
        PReg borrowable = borrowableByClass.get(c);
        PReg scratch = scratchByClass.get(c);
        if (borrowable == null && scratch == null) {
          throw new RegAllocException(point.inst(), "moves of " + c + " values but no " + c
              + " register to route them through");
        }
        sequentialized++;
        List<ParallelMoves.Move> seq = parallelMoves.sequentialize(ofClass, scratch, spareSlots.from(c), borrowable);
        for (int k = 0; k < seq.size(); k++) {
          ParallelMoves.Move m = seq.get(k);
          edits.add(new Edit(point, m.from(), m.to()));
        }
      }
    }
    return edits;
  }

  /**
   * The spare slots of {@link #spare} one parallel move may route through, in order from the first:
   * one supplier restarted per move, where a capturing lambda per move and class was an allocation
   * the launcher's lean C2 does not inline (JFR, yosys: a slow-path {@code Unsafe.allocateInstance}).
   */
  private final class SpareSlots implements java.util.function.Supplier<SpillSlot> {
    private RegClass regClass;
    private int next;

    SpareSlots from(RegClass c) {
      regClass = c;
      next = 0;
      return this;
    }

    @Override
    public SpillSlot get() {
      return spare(regClass, next++);
    }
  }

  private final SpareSlots spareSlots = new SpareSlots();

  private SpillSlot spare(RegClass c, int index) {
    List<SpillSlot> list = spares.computeIfAbsent(c, k -> new ArrayList<>());
    while (list.size() <= index) {
      list.add(state.newSlot(c));
    }
    return list.get(index);
  }

  /** A vreg going from one piece to the next inside a block, at {@code next}'s start: a split move's place. */
  private record Split(int vreg, LiveInterval prev, LiveInterval next) {}

  /**
   * Every vreg's pieces in order, once: the places of its split moves, and, as a fact for {@link
   * SlotHolding}, a definition straight into its slot. Pieces meeting at a block top are joined by
   * the edges' moves (which SlotHolding finds itself), a definition starts from nothing, and any
   * other gap between two pieces is an allocator fault. {@link AllocState#pieces} keeps them in order
   * of start already: read in place, where a sorted copy per vreg was 1.1% of yosys's sampled allocation.
   */
  private List<Split> splitsNotingDefinitions() {
    List<Split> splits = new ArrayList<>();
    // Only a vreg split or with a piece in a slot has a split or such a definition.
    for (int v = state.nextSplitOrSpilled(0); v >= 0; v = state.nextSplitOrSpilled(v + 1)) {
      vregsWalked++;
      List<LiveInterval> ps = state.pieces(v);
      if (ps == null || ps.isEmpty()) {
        continue;
      }
      LiveInterval first = ps.getFirst();
      if (first.location instanceof SpillSlot && first.start() == state.defPosition(v)) {
        holding.note(v, Positions.inst(first.start()));
      }
      for (int k = 1; k < ps.size(); k++) {
        LiveInterval prev = ps.get(k - 1);
        LiveInterval next = ps.get(k);
        int pos = next.start();
        boolean atBlockTop = (pos & 1) == 0 && blockStart[Positions.inst(pos)];
        if (atBlockTop || pos == state.defPosition(v)) {
          continue;
        }
        if (prev.end() != pos) {
          throw new IllegalStateException("v" + v + " piece starts at " + pos + " after a hole, not at a block top");
        }
        splits.add(new Split(v, prev, next));
      }
    }
    return splits;
  }

  /**
   * The moves between consecutive pieces of a vreg inside a block. A store of a value into its slot
   * is left out where the slot already holds it ({@link SlotHolding}).
   */
  private void addSplitMoves(List<Split> splits) {
    for (Split split : splits) {
      int pos = split.next().start();
      int inst = Positions.inst(pos);
      if (split.prev().location instanceof PReg && split.next().location instanceof SpillSlot
          && holding.holdsBefore(split.vreg(), inst)) {
        continue;
      }
      add(inst, ProgPoint.Side.BEFORE, (pos & 1) == 0 ? Phase.SPLIT_EVEN : Phase.SPLIT_ODD,
          split.prev().location, split.next().location);
    }
  }

  private void addEdgeMoves() {
    for (int s = 0; s < f.numBlocks(); s++) {
      CompileDeadline.poll();
      int firstPred = edges.predStart[s];
      int preds = edges.predStart[s + 1] - firstPred;
      InstRange sr = f.blockInsts(s);
      int sStart = Positions.early(sr.first());
      int firstParam = edges.paramStart[s];
      int params = edges.paramStart[s + 1] - firstParam;
      for (int e = 0; e < preds; e++) {
        int p = edges.pred[firstPred + e];
        InstRange pr = f.blockInsts(p);
        int pLast = Positions.early(pr.end()) - 1;
        int firstArg = edges.argStart[edges.inEdge[firstPred + e]];
        boolean inSucc = preds == 1;
        int movesAt = inSucc ? sr.first() : pr.last();
        Phase phase = inSucc ? Phase.EDGE_IN : Phase.EDGE_OUT;
        // Only vregs whose piece may change across the edge: the others are where they are needed.
        EdgeCrossings.Crossings crossing = crossings.of(s, e);
        int[] vregs = crossing.vregs();
        for (int j = 0; j < vregs.length; j++) {
          int v = vregs[j];
          Allocation from = located(crossing.atPredEnd()[j], v, pLast);
          Allocation to = located(crossing.atSuccTop()[j], v, sStart);
          if (from instanceof PReg && to instanceof SpillSlot && holding.holdsAtEnd(v, p)) {
            continue; // on every path here, the slot was written or read with this value
          }
          add(movesAt, ProgPoint.Side.BEFORE, phase, from, to);
        }
        for (int j = 0; j < params; j++) {
          int param = edges.params[firstParam + j].index();
          if (used[param]) {
            add(movesAt, ProgPoint.Side.BEFORE, phase, at(edges.args[firstArg + j].index(), pLast),
                at(param, sStart));
          }
        }
      }
    }
  }
}
