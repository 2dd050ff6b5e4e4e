package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.Arrays;

/**
 * Turns liveness into one {@link LiveInterval} per vreg and into the positions where each allocatable
 * register is unavailable (FIXED operands per register, clobbers per class: {@link ClobberPoints}).
 * Each block is walked backwards once: a value live out of the block is live to its end; a use
 * makes a value live up to the use; the definition (or the block top, for live-ins and parameters)
 * starts the range.
 *
 * <p>Register-use positions are those of REG operands and REUSE outputs. FIXED, STACK and
 * REUSE-input operands need no register in the vreg's own piece: the allocator copies the value into
 * the fixed register, the slot or the output register in the gap before the instruction.
 */
final class IntervalBuilder {
  /** The {@link InstOperands#LATE} bit of the uses each of the walk's two passes over them takes. */
  private static final int[] LATE_THEN_EARLY = {InstOperands.LATE, 0};

  /** Initial piece per vreg (null when the vreg never occurs). */
  final LiveInterval[] intervals;
  /**
   * Blocked ranges per allocatable register ({@link #blocked}), by class ordinal x {@link
   * PReg#MAX_PER_CLASS} + encoding, null for one nothing blocks: an array the walk fills as it
   * goes, not a map made from it per function. Each is made at its length, a range per FIXED
   * operand naming the register ({@link InstOperands#fixedPerRegister}), and filled up to {@link
   * #blockedLength}.
   */
  private final int[][] blockedByRegister = new int[RegClass.values().length * PReg.MAX_PER_CLASS][];
  private final int[] blockedLength = new int[RegClass.values().length * PReg.MAX_PER_CLASS];
  /** Per class ordinal, where instructions clobber its allocatable registers; null where none do. */
  private final ClobberPoints[] clobberPoints = new ClobberPoints[RegClass.ALL.size()];
  /**
   * Per vreg, its FIXED operands on allocatable registers in position order, each a long
   * ({@link #hintPosition}, the operand's index, {@link #hintRegister}: the register's index in
   * {@code env.allocatable()}); null when it has none. Primitive arrays, not a list of arrays per
   * vreg: the scan searches them for every piece's hint.
   */
  final long[][] fixedHints;
  /**
   * REUSE inputs whose vreg dies at the instruction and whose copy into the output register runs in
   * the gap before it, together with the split moves: one bit per operand, by its index in {@link
   * InstOperands} (a set of boxed keys cost a hash and an allocation per two-address instruction,
   * and three passes ask about every REUSE operand).
   */
  private final long[] consumedInputs;
  /**
   * Per vreg written by a REUSE output whose input is one of {@link #consumedInputs}: that input's
   * vreg, else -1 (the output's register hint). Noted where the input is found consumed: a pass of its
   * own over every operand's constraint was 0.4% of yosys's compile samples.
   */
  final int[] reuseSource;
  /** Last position + 1 of each vreg's lifetime: a def whose lifetime ends at def + 1 is dead. */
  final int[] lifetimeEnd;
  /** Position of each vreg's definition (its DEF operand's point, or its block's top). */
  final int[] defPos;
  /** Whether each vreg is a block parameter (its value arrives before the block's first instruction). */
  final boolean[] isParam;
  /**
   * Whether each vreg is read: by an instruction's operand or as a branch argument. Resolution moves
   * no value nobody reads; the walk meets every read, where a pass of resolution's own went over
   * every operand again.
   */
  final boolean[] read;
  /**
   * Per vreg, the sorted positions of its uses in blocks some loop's hull covers ({@link
   * LoopNest#inHull}), whatever their constraint (operands, and branch arguments at their jump's LATE
   * point); null for a function without loops. The scan asks whether a loop uses a value at all, only
   * ever inside a hull: the uses elsewhere, all of a function without loops, were gathered and sorted
   * for nothing.
   */
  final VRegPositions hullUses;
  /** The function's operands, read once ({@link InstOperands}), for the passes after this one too. */
  final InstOperands operands;
  /** Every register some instruction clobbers (the union of {@link RegAllocFunction#instClobbers}). */
  PRegSet clobbered = PRegSet.EMPTY;
  int nextId;
  /** Use lists {@link VRegPositions#sortDistinct} had to sort, not only turn round (its work, for tests). */
  long unorderedUses;
  /** Instructions searched for the registers they block and hint (its work, for tests). */
  long blockingSearches;
  /** Walks over an instruction's operands for its uses at one point, LATE or EARLY (work, for tests). */
  long useWalks;
  /**
   * Operands read by the walk that visits every instruction once, apart from {@link #useWalks} (its
   * work, for tests).
   */
  long operandReads;
  /** Blocked ranges and clobber entries stored (the work of recording them, for tests). */
  long blockedEntries;

  private IntervalBuilder(int numVRegs, InstOperands operands, VRegPositions hullUses) {
    this.operands = operands;
    this.hullUses = hullUses;
    consumedInputs = new long[(operands.operands.length + 63) >>> 6];
    intervals = new LiveInterval[numVRegs];
    lifetimeEnd = new int[numVRegs];
    defPos = new int[numVRegs];
    isParam = new boolean[numVRegs];
    read = new boolean[numVRegs];
    fixedHints = new long[numVRegs][];
    reuseSource = new int[numVRegs];
    Arrays.fill(defPos, Integer.MAX_VALUE);
    Arrays.fill(reuseSource, -1);
  }

  /**
   * The pieces of {@code f}, whose vregs the validator found at {@code sites} and whose loops are
   * {@code loops}.
   */
  static IntervalBuilder build(RegAllocFunction f, MachineEnv env, Liveness live, InstOperands operands,
      BlockEdges edges, LoopNest loops, VRegSites sites) {
    int nv = f.numVRegs();
    RegClass[] classes = sites.classes();
    // Both use lists of a vreg have room for each time the function names it: a window each of one
    // array per list, at the same place in both.
    int[] useWindows = VRegPositions.windows(sites.occurrences());
    IntervalBuilder ib = new IntervalBuilder(nv, operands, loops.anyHull ? new VRegPositions(useWindows) : null);
    VRegPositions regUses = new VRegPositions(useWindows);
    int[] vregs = operands.vregs;
    int[] start = operands.start;
    // The operands' kinds, points and constraints as bits: this walk loads no operand record but a
    // FIXED one's, for its register.
    int[] shapes = operands.shapes;
    // Each vreg's ranges as the walk finds them, one long each (from << 32 | to): tens of thousands of
    // vregs per function, most with one or two ranges, made no list and no array per range.
    long[][] segments = new long[nv][];
    int[] segmentCount = new int[nv];
    PRegSet allocatable = env.allocatableSet();
    int[] fixedHintCount = new int[nv];
    int[] end = new int[nv];
    long[] liveNow = new long[(nv + 63) >>> 6];
    // The vregs the operands of a block's instructions mention, each once: seen[v] == block + 1.
    int[] seen = new int[nv];
    int[] mentioned = new int[16];
    int[] blockingInsts = new int[16];
    PRegSet lastClobbers = null;
    // Each block's first position, and at numBlocks the function's end: where the blocks a vreg lives
    // through begin and end, without asking the function for their ranges again.
    int[] blockTop = new int[f.numBlocks() + 1];
    LiveOutSweep liveOut = new LiveOutSweep(live, nv, f.numBlocks());
    for (int b = 0; b < f.numBlocks(); b++) {
      CompileDeadline.poll();
      liveOut.enter(b);
      InstRange r = f.blockInsts(b);
      boolean inHull = loops.inHull[b];
      int blockStart = Positions.early(r.first());
      int blockEnd = Positions.early(r.end());
      blockTop[b] = blockStart;
      blockTop[b + 1] = blockEnd;
      // Only the vregs the block mentions are walked; one live through it untouched is covered by the
      // runs of blocks it lives through (addThroughSegments), as one range for a whole run of blocks.
      // The backward walk meets each mentioned vreg's last mention first: one live out of the block
      // lives from there to the block's end, nothing in between touching it. So one walk over the
      // operands finds them and builds the ranges, where a forward walk over every operand found
      // them first.
      int count = 0;
      // The block's instructions with a FIXED operand or clobbers, last first: the registers they
      // block go in position order, so they are searched once the walk is done, first first.
      int blocking = 0;
      for (int i = r.last(); i >= r.first(); i--) {
        int base = start[i];
        int opCount = start[i + 1] - base;
        // Bit k set when operand k (below 64) is the input a REUSE output writes over (later operands
        // go through isReuseInput). Only outputs reuse, so their walk finds them before the inputs'.
        long reuseInputs = 0;
        // The points some input is read at, a usePoint bit each: most instructions read none at LATE
        // and constants none at all, and the walks below over the uses at a point are made only for
        // a point with some.
        int usePoints = 0;
        // The union of the instruction's operands' shapes: most have no FIXED operand, and unless
        // they clobber registers too, block nothing and hint nothing.
        int shapesSeen = 0;
        // Reads all at EARLY and no input reused: a read's vreg is none of the outputs' (SSA), and is
        // only read at the one point, so its read is taken where this walk meets it, in the order
        // the walk over the reads at EARLY took them, without that walk.
        boolean readsHere = !Liveness.get(operands.lateReadOrReuse, i);
        ib.operandReads += opCount;
        for (int k = 0; k < opCount; k++) {
          int shape = shapes[base + k];
          int v = vregs[base + k];
          shapesSeen |= shape;
          if (seen[v] != b + 1) {
            seen[v] = b + 1;
            mentioned = append(mentioned, count++, v);
            if (liveOut.isLiveOut(v)) {
              Liveness.set(liveNow, v);
              end[v] = blockEnd;
            }
          }
          if ((shape & InstOperands.DEF) == 0) {
            if (readsHere) {
              read(ib, regUses, liveNow, end, inHull, v, Positions.early(i), needsReg(shape));
            } else {
              usePoints |= usePoint(shape & InstOperands.LATE);
            }
            continue;
          }
          if ((shape & InstOperands.REUSE) != 0 && InstOperands.reuseIndex(shape) < 64) {
            reuseInputs |= 1L << InstOperands.reuseIndex(shape);
          }
          int pos = InstOperands.position(i, true, shape);
          ib.defPos[v] = pos;
          if (needsReg(shape)) {
            regUses.add(v, pos);
          }
          if (Liveness.get(liveNow, v)) {
            addSegment(segments, segmentCount, v, pos, end[v]);
            Liveness.clear(liveNow, v);
          } else {
            // A dead output still occupies its location until the instruction is done writing.
            addSegment(segments, segmentCount, v, pos, Positions.late(i) + 1);
          }
        }
        PRegSet clobbers = f.instClobbers(i);
        if ((shapesSeen & InstOperands.FIXED) != 0 || !clobbers.isEmpty()) {
          blockingInsts = append(blockingInsts, blocking++, i);
        }
        if (!clobbers.isEmpty() && clobbers != lastClobbers) {
          // Calls share their clobber set: only a new one changes the union.
          ib.clobbered = ib.clobbered.union(clobbers);
          lastClobbers = clobbers;
        }
        // LATE uses first: a value read at both points stays live to the LATE one.
        for (int which : LATE_THEN_EARLY) {
          if ((usePoints & usePoint(which)) == 0) {
            continue;
          }
          ib.useWalks++;
          for (int k = 0; k < opCount; k++) {
            int shape = shapes[base + k];
            if ((shape & (InstOperands.DEF | InstOperands.LATE)) != which) { // a use at this point
              continue;
            }
            int v = vregs[base + k];
            int pos = InstOperands.position(i, false, shape);
            boolean reuseInput = k < 64 ? (reuseInputs & (1L << k)) != 0
                : isReuseInput(shapes, base, opCount, k);
            if (read(ib, regUses, liveNow, end, inHull, v, pos, needsReg(shape) && !reuseInput)) {
              if (i != r.first() && reuseInput && usesAt(shapes, vregs, base, opCount, v) == 1) {
                // The input dies here and is only copied into the output: the copy runs with the
                // gap's other moves, so the input's location is free at EARLY and the output can
                // take the same register, which makes the copy vanish (x86 two-address forms).
                end[v] = pos;
                Liveness.set(ib.consumedInputs, base + k);
                noteReuseSource(ib.reuseSource, shapes, vregs, base, opCount, k);
              }
            }
          }
        }
      }
      for (int j = blocking - 1; j >= 0; j--) {
        int i = blockingInsts[j];
        ib.blockingSearches++;
        addBlockedRangesAndHints(ib, allocatable, env, fixedHintCount, f.instClobbers(i), i);
      }
      int firstParam = edges.paramStart[b];
      int paramEnd = edges.paramStart[b + 1];
      for (int pi = firstParam; pi < paramEnd; pi++) {
        int v = edges.params[pi].index();
        ib.defPos[v] = blockStart;
        ib.isParam[v] = true;
        if (Liveness.get(liveNow, v)) {
          addSegment(segments, segmentCount, v, blockStart, end[v]);
          Liveness.clear(liveNow, v);
        } else if (seen[v] != b + 1 && liveOut.isLiveOut(v)) {
          // No instruction of the block mentions it, and it is live out: it lives through the block.
          addSegment(segments, segmentCount, v, blockStart, blockEnd);
        } else {
          addSegment(segments, segmentCount, v, blockStart, blockStart + 1);
        }
      }
      // What the walk left set is what lives into the block (of the vregs it mentions); clearing it
      // leaves liveNow empty for the next block without a pass over every vreg's word.
      for (int m = 0; m < count; m++) {
        int v = mentioned[m];
        if (Liveness.get(liveNow, v)) {
          addSegment(segments, segmentCount, v, blockStart, end[v]);
          Liveness.clear(liveNow, v);
        }
      }
      // b's edges' arguments, all of them (its edges are numbered consecutively): read, and used at
      // the block's end where that is in a loop's hull.
      int argEnd = edges.argStart[edges.succStart[b + 1]];
      for (int ai = edges.argStart[edges.succStart[b]]; ai < argEnd; ai++) {
        int v = edges.args[ai].index();
        ib.read[v] = true;
        if (inHull) {
          ib.hullUses.add(v, blockEnd - 1);
        }
      }
    }
    // The blocks each vreg lives through untouched add its last ranges; then one pass over the vregs
    // makes each one's piece from all it gathered: its ranges, uses and hints (three passes, and an
    // array per vreg for the blocks it lives through, before). The pieces' ranges go in one pair of
    // arrays, a window each, room for all of a vreg's before they merge: a pair of arrays per vreg
    // was 1.5% of yosys's sampled allocation.
    int segmentTotal = 0;
    for (int v = 0; v < nv; v++) {
      addThroughSegments(segments, segmentCount, v, live.liveInRuns(v), live.liveOutRuns(v), blockTop);
      segmentTotal += segmentCount[v];
    }
    int[] from = new int[segmentTotal];
    int[] to = new int[segmentTotal];
    int rangeBase = 0;
    for (int v = 0; v < nv; v++) {
      int n = segmentCount[v];
      if (n != 0) {
        int ranges = mergePacked(segments[v], n, from, to, rangeBase);
        regUses.sortDistinct(v);
        ib.intervals[v] = new LiveInterval(v, classes[v], ib.nextId++, from, to, rangeBase, ranges,
            regUses.positions, regUses.base(v), regUses.count(v));
        rangeBase += ranges;
        if (ib.hullUses != null) {
          ib.hullUses.sortDistinct(v);
        }
        ib.lifetimeEnd[v] = to[rangeBase - 1];
      }
      long[] hints = ib.fixedHints[v];
      if (hints != null) {
        // By position; at one position (one instruction) by operand index, the order they were found in.
        SmallSorts.sort(hints, 0, fixedHintCount[v]);
        ib.fixedHints[v] = Arrays.copyOf(hints, fixedHintCount[v]);
      }
    }
    ib.unorderedUses = regUses.unordered + (ib.hullUses == null ? 0 : ib.hullUses.unordered);
    return ib;
  }

  /**
   * Instruction {@code inst}'s blocked ranges, clobbers and FIXED hints. The ranges go in position
   * order: those from its EARLY point (FIXED operands read, or written early), then those from its
   * LATE point (FIXED operands written late), each group in operand order. Added for the
   * instructions in order, each register's ranges are then sorted by start, and at one start in
   * that order, without a sort (which, with the arrays it needed, was 5% of yosys's sampled
   * allocation when the backward walk added them).
   */
  private static void addBlockedRangesAndHints(IntervalBuilder ib, PRegSet allocatable, MachineEnv env,
      int[] fixedHintCount, PRegSet clobbers, int inst) {
    Operand[] all = ib.operands.operands;
    int[] vregs = ib.operands.vregs;
    int[] shapes = ib.operands.shapes;
    int base = ib.operands.start[inst];
    int count = ib.operands.count(inst);
    boolean anyLate = false;
    // The allocatable registers the instruction's outputs are fixed to, for its clobbers.
    PRegSet fixedDefs = PRegSet.EMPTY;
    for (int k = 0; k < count; k++) {
      if ((shapes[base + k] & InstOperands.FIXED) == 0) {
        continue; // most operands: their records stay unread
      }
      Operand o = all[base + k];
      if (o.constraint() instanceof OperandConstraint.FixedReg(PReg p) && allocatable.contains(p)) {
        if (o.kind() == OperandKind.DEF) {
          fixedDefs = fixedDefs.with(p);
        }
        int v = vregs[base + k];
        int pos = Positions.of(inst, o.kind(), o.pos(), o.constraint());
        addFixedHint(ib.fixedHints, fixedHintCount, v, fixedHint(pos, k, env.allocatableIndex(p)));
        if (o.kind() == OperandKind.USE || o.pos() == OperandPos.EARLY) {
          int to = o.kind() == OperandKind.USE && o.pos() == OperandPos.EARLY ? Positions.late(inst)
              : Positions.late(inst) + 1;
          addBlocked(ib, p, Positions.early(inst), to, v);
        } else {
          anyLate = true;
        }
      }
    }
    if (!clobbers.isEmpty()) {
      addClobbers(ib, allocatable, clobbers, fixedDefs, inst);
    }
    for (int k = 0; anyLate && k < count; k++) {
      if ((shapes[base + k] & InstOperands.FIXED) == 0) {
        continue;
      }
      Operand o = all[base + k];
      if (o.constraint() instanceof OperandConstraint.FixedReg(PReg p) && allocatable.contains(p)
          && o.kind() == OperandKind.DEF && o.pos() == OperandPos.LATE) {
        addBlocked(ib, p, Positions.late(inst), Positions.late(inst) + 1, vregs[base + k]);
      }
    }
  }

  /**
   * Blocks every allocatable register {@code inst} clobbers at its LATE point, except a call's result
   * registers ({@code fixedDefs}, the allocatable ones its outputs are fixed to): those are clobbered
   * and then written, and the result's own block covers them. One {@link ClobberPoints} entry per
   * class, the registers as bits: the instructions come in order, so each class's entries do too.
   */
  private static void addClobbers(IntervalBuilder ib, PRegSet allocatable, PRegSet clobbers,
      PRegSet fixedDefs, int inst) {
    for (int ci = 0; ci < RegClass.ALL.size(); ci++) { // no iterator: the launcher's C1 allocates each
      RegClass c = RegClass.ALL.get(ci);
      long bits = clobbers.bits(c) & ~fixedDefs.bits(c) & allocatable.bits(c);
      if (bits != 0) {
        ib.blockedEntries++;
        if (ib.clobberPoints[ci] == null) {
          ib.clobberPoints[ci] = new ClobberPoints();
        }
        ib.clobberPoints[ci].add(Positions.late(inst), bits);
      }
    }
  }

  /**
   * Takes a read of {@code v} at {@code pos}, met walking backwards: a use position (in a loop's hull,
   * {@code inHull}; a register use where {@code regUse}), and, where nothing later in the block read
   * it and it is not live out, the end of its range. Returns whether it did the latter.
   */
  private static boolean read(IntervalBuilder ib, VRegPositions regUses, long[] liveNow, int[] end,
      boolean inHull, int v, int pos, boolean regUse) {
    ib.read[v] = true;
    if (inHull) {
      ib.hullUses.add(v, pos);
    }
    if (regUse) {
      regUses.add(v, pos);
    }
    if (Liveness.get(liveNow, v)) {
      return false;
    }
    Liveness.set(liveNow, v);
    end[v] = pos + 1;
    return true;
  }

  /** A bit for the point whose {@link InstOperands#LATE} bit is {@code late}: one for EARLY, one for LATE. */
  private static int usePoint(int late) {
    return late == 0 ? 1 : 2;
  }

  /** Whether an operand of {@code shape} needs a register of its own piece: REG, or a REUSE output. */
  private static boolean needsReg(int shape) {
    return (shape & (InstOperands.REG | InstOperands.REUSE)) != 0; // only outputs reuse (Operand)
  }

  /**
   * Whether operand {@code operand} of instruction {@code inst} is a REUSE input that dies there and
   * is copied into the output register in the gap before the instruction.
   */
  boolean consumedInGap(int inst, int operand) {
    return Liveness.get(consumedInputs, operands.start[inst] + operand);
  }

  private static int usesAt(int[] shapes, int[] vregs, int base, int count, int vreg) {
    int n = 0;
    for (int k = base; k < base + count; k++) {
      if ((shapes[k] & InstOperands.DEF) == 0 && vregs[k] == vreg) {
        n++;
      }
    }
    return n;
  }

  /**
   * Each output of the instruction whose operands start at {@code base} that reuses its input {@code
   * input} takes that input's vreg as its {@link #reuseSource}.
   */
  private static void noteReuseSource(int[] reuseSource, int[] shapes, int[] vregs, int base, int count,
      int input) {
    for (int k = base; k < base + count; k++) {
      if (reuses(shapes[k], input)) {
        reuseSource[vregs[k]] = vregs[base + input];
      }
    }
  }

  private static boolean isReuseInput(int[] shapes, int base, int count, int idx) {
    for (int k = base; k < base + count; k++) {
      if (reuses(shapes[k], idx)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an operand of {@code shape} is an output that reuses operand {@code input}. */
  private static boolean reuses(int shape, int input) {
    return (shape & InstOperands.REUSE) != 0 && InstOperands.reuseIndex(shape) == input;
  }

  /**
   * A FIXED operand's hint as one long that sorts by position, then operand index: {@code pos << 32
   * | operand << 8 | register}.
   */
  private static long fixedHint(int pos, int operand, int register) {
    if (operand >= 1 << 24 || register >= 1 << 8) {
      throw new IllegalStateException("operand " + operand + " or register " + register + " out of range");
    }
    return (long) pos << 32 | (long) operand << 8 | register;
  }

  static int hintPosition(long hint) {
    return (int) (hint >>> 32);
  }

  static int hintRegister(long hint) {
    return (int) hint & 0xFF;
  }

  private static void addFixedHint(long[][] hints, int[] counts, int v, long hint) {
    long[] a = hints[v];
    if (a == null) {
      a = hints[v] = new long[2];
    } else if (counts[v] == a.length) {
      a = hints[v] = Arrays.copyOf(a, a.length * 2);
    }
    a[counts[v]++] = hint;
  }

  /** Stores {@code v} at index {@code n} of {@code list}, grown if full; returns the list. */
  private static int[] append(int[] list, int n, int v) {
    int[] a = n == list.length ? Arrays.copyOf(list, 2 * n) : list;
    a[n] = v;
    return a;
  }

  /**
   * Adds a range for each run of blocks {@code v} is live both into ({@code in}) and out of ({@code
   * out}), both inclusive runs {@code from, to, ...} ({@link Liveness}): not defined there, so live at
   * every position of them, and consecutive blocks' positions meet, so a run is one range. The
   * runs' intersection is walked in place: an array of it per vreg was made only to be read once.
   */
  private static void addThroughSegments(long[][] segments, int[] counts, int v, int[] in, int[] out,
      int[] blockTop) {
    for (int i = 0, j = 0; i < in.length && j < out.length; ) {
      int from = Math.max(in[i], out[j]);
      int to = Math.min(in[i + 1], out[j + 1]);
      if (from <= to) {
        addSegment(segments, counts, v, blockTop[from], blockTop[to + 1]);
      }
      if (in[i + 1] < out[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
  }

  private static void addSegment(long[][] segments, int[] counts, int v, int from, int to) {
    long[] a = segments[v];
    if (a != null && counts[v] > 0 && (int) a[counts[v] - 1] == from) {
      // Continues the last range (a value live through consecutive blocks): one range, not one per
      // block. The union, which is all mergePacked keeps, is the same; 3,000 values live across
      // 9,000 blocks made 27M ranges here.
      a[counts[v] - 1] = pack((int) (a[counts[v] - 1] >> 32), to);
      return;
    }
    if (a == null) {
      a = segments[v] = new long[2];
    } else if (counts[v] == a.length) {
      a = segments[v] = Arrays.copyOf(a, a.length * 2);
    }
    a[counts[v]++] = pack(from, to);
  }

  /** A range as one long that sorts by start: {@code from << 32 | to}. */
  static long pack(int from, int to) {
    return (long) from << 32 | (to & 0xFFFF_FFFFL);
  }

  /**
   * Sorts the first {@code n} packed ranges of {@code segs} in place and merges those that overlap
   * or touch into {@code from}/{@code to} from index {@code at} on; returns how many ranges are left.
   */
  static int mergePacked(long[] segs, int n, int[] from, int[] to, int at) {
    SmallSorts.sort(segs, 0, n);
    int last = at - 1;
    for (int k = 0; k < n; k++) {
      int segFrom = (int) (segs[k] >> 32);
      int segTo = (int) segs[k];
      if (last >= at && to[last] >= segFrom) {
        to[last] = Math.max(to[last], segTo);
      } else {
        last++;
        from[last] = segFrom;
        to[last] = segTo;
      }
    }
    return last + 1 - at;
  }

  /**
   * Register {@code r}'s blocked ranges, flat as from, to, owner for each range in order of start:
   * the owner is the vreg of the FIXED operand that blocks it (that vreg's own pieces may sit there,
   * which saves the copy). Empty for a register nothing blocks. Clobbers are {@link #clobbers}.
   */
  int[] blocked(PReg r) {
    int[] ranges = blockedByRegister[r.regClass().ordinal() * PReg.MAX_PER_CLASS + r.hwEnc()];
    return ranges == null ? NO_RANGES : ranges;
  }

  private static final int[] NO_RANGES = new int[0];

  /** Where instructions clobber allocatable registers of class {@code c}. */
  ClobberPoints clobbers(RegClass c) {
    ClobberPoints points = clobberPoints[c.ordinal()];
    return points == null ? ClobberPoints.NONE : points;
  }

  /** Blocks register {@code p}, which must be allocatable, over {@code [from, to)}. */
  private static void addBlocked(IntervalBuilder ib, PReg p, int from, int to, int owner) {
    ib.blockedEntries++;
    int k = p.regClass().ordinal() * PReg.MAX_PER_CLASS + p.hwEnc();
    int[] ranges = ib.blockedByRegister[k];
    if (ranges == null) {
      ranges = ib.blockedByRegister[k] = new int[3 * ib.operands.fixedPerRegister[k]];
    }
    int at = ib.blockedLength[k];
    ranges[at] = from;
    ranges[at + 1] = to;
    ranges[at + 2] = owner;
    ib.blockedLength[k] = at + 3;
  }

  /**
   * {@code from, to} pairs, in any order, sorted by start with overlapping or touching ones merged
   * (as a vreg's ranges are).
   */
  static int[] sortedDisjoint(int[] pairs) {
    int n = pairs.length / 2;
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      packed[k] = pack(pairs[2 * k], pairs[2 * k + 1]);
    }
    int[] from = new int[n];
    int[] to = new int[n];
    int merged = mergePacked(packed, n, from, to, 0);
    int[] out = new int[2 * merged];
    for (int k = 0; k < merged; k++) {
      out[2 * k] = from[k];
      out[2 * k + 1] = to[k];
    }
    return out;
  }

  /**
   * The union of two lists of ranges as from/to pairs, the first {@code aLength} ints of {@code a}
   * and {@code bLength} of {@code b}, each in order of start: ranges that overlap or touch, in one
   * list or across the two, merged into one. A merge of the two in order, where a sort of both was
   * made for each spilled vreg's lifetime.
   */
  static int[] union(int[] a, int aLength, int[] b, int bLength) {
    int[] out = new int[aLength + bLength];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < aLength || j < bLength) {
      int from;
      int to;
      if (j == bLength || i < aLength && a[i] <= b[j]) {
        from = a[i];
        to = a[i + 1];
        i += 2;
      } else {
        from = b[j];
        to = b[j + 1];
        j += 2;
      }
      if (n > 0 && out[n - 1] >= from) {
        out[n - 1] = Math.max(out[n - 1], to);
      } else {
        out[n++] = from;
        out[n++] = to;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
