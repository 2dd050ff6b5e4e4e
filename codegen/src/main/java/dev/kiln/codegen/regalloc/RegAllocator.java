package dev.kiln.codegen.regalloc;

import java.util.List;

/**
 * Entry point: {@code RegAllocator.allocate(function, env)} validates the function, computes
 * liveness and live intervals, runs {@link LinearScan} per register class and turns the result into
 * per-operand allocations and moves ({@link Resolution}), without the moves that change nothing
 * ({@link RedundantMoves}). Stateless; one call per function, safe to run in parallel on different
 * functions.
 */
public final class RegAllocator {
  private RegAllocator() {}

  /**
   * What the scans start from: the function's operands and block graph read flat, the validator's
   * sites, liveness, the pieces and the allocation state. One place that makes them in order, for
   * {@link #allocate} and for tests that run a scan of their own.
   */
  record Analysis(InstOperands operands, BlockEdges edges, VRegSites sites, Liveness live, IntervalBuilder ib,
      LandingPadValues landingPadValues, AllocState state) {
    static Analysis of(RegAllocFunction f, MachineEnv env) {
      return of(f, env, false);
    }

    /** With {@code hullsEverywhere}, as {@link Liveness#compute(RegAllocFunction, BlockEdges, VRegSites, boolean)}. */
    static Analysis of(RegAllocFunction f, MachineEnv env, boolean hullsEverywhere) {
      // Read into by the validator's walk, which checks each instruction's operands as it reads them.
      InstOperands operands = InstOperands.listed(f);
      BlockEdges edges = f.blockEdges();
      VRegSites sites = FunctionValidator.validate(f, env, operands, edges);
      Liveness live = Liveness.compute(f, edges, sites, hullsEverywhere);
      LoopNest loops = LoopNest.compute(f, edges);
      IntervalBuilder ib = IntervalBuilder.build(f, env, live, operands, edges, loops, sites);
      return new Analysis(operands, edges, sites, live, ib, LandingPadValues.compute(f, live, edges),
          new AllocState(f, env, ib, edges, loops));
    }
  }

  public static RegAllocOutput allocate(RegAllocFunction f, MachineEnv env) {
    return allocate(f, env, false);
  }

  /**
   * {@link #allocate(RegAllocFunction, MachineEnv)}, and with {@code hullsEverywhere} with every
   * liveness budget spent from the start ({@link Liveness#compute(RegAllocFunction, BlockEdges,
   * VRegSites, boolean)}): every vreg of several runs kept as their hull, and regions with side exits
   * marked whole. For tests of the allocation over approximated liveness.
   */
  static RegAllocOutput allocate(RegAllocFunction f, MachineEnv env, boolean hullsEverywhere) {
    Analysis a = Analysis.of(f, env, hullsEverywhere);
    InstOperands operands = a.operands();
    BlockEdges edges = a.edges();
    VRegSites sites = a.sites();
    Liveness live = a.live();
    IntervalBuilder ib = a.ib();
    LandingPadValues landingPadValues = a.landingPadValues();
    AllocState state = a.state();
    int intervals = 0;
    long scanVisits = 0;
    long intersectionSteps = 0;
    long blockedSteps = 0;
    long registerQuestions = 0;
    int scans = 0;
    // Made only for a class the function has pieces of: a scan of none changes nothing, yet its
    // registers' tables and work lists were made for every function (a function without floats
    // made a FLOAT scan). One pass over the pieces hands each to its class's scan, where a pass
    // per class read every piece once per class.
    LinearScan[] byClass = new LinearScan[RegClass.ALL.size()];
    for (LiveInterval piece : ib.intervals) {
      if (piece != null) {
        LinearScan scan = byClass[piece.regClass.ordinal()];
        if (scan == null) {
          scan = new LinearScan(piece.regClass, env, ib, landingPadValues, state);
          byClass[piece.regClass.ordinal()] = scan;
          scans++;
        }
        scan.add(piece);
        intervals++;
      }
    }
    // In class order: the scans' splits number their pieces from one counter, in the order they run.
    for (LinearScan scan : byClass) {
      if (scan == null) {
        continue;
      }
      try {
        scan.run();
      } catch (IllegalStateException e) {
        throw new RegAllocException(-1, e.getMessage());
      }
      scanVisits += scan.visits();
      intersectionSteps += scan.intersectionSteps();
      blockedSteps += scan.blockedSteps;
      registerQuestions += scan.registerQuestions;
    }
    // STACK operands need their vreg's slot before slots are shared out. The validator's walk found
    // them: a pass of its own over every operand's constraint found none in the backends' code.
    for (int v : sites.stackVRegs()) {
      state.slotOf(v, sites.classes()[v]);
    }
    int spilledVRegs = state.shareSlots();
    Resolution res = new Resolution(f, env, live, ib, state, edges);
    List<List<Allocation>> allocations = res.operandAllocations();
    List<Edit> edits = RedundantMoves.remove(f, env, operands, allocations, res.edits());
    // The registers written or read, as one bit mask per class (no PRegSet per operand): the
    // operands' as resolution handed them out, the moves' destinations.
    long[] used = res.usedRegisters.clone();
    for (Edit e : edits) {
      if (e.to() instanceof PReg p) {
        used[p.regClass().ordinal()] |= 1L << p.hwEnc();
      }
    }
    // A clobbered callee-saved register is one the function changes too (every instruction's
    // clobbers, gathered by the interval walk). A function with a landing pad changes every one: the
    // frames the unwinder drops may have changed them, and it restores none.
    used[RegClass.INT.ordinal()] |= ib.clobbered.intBits();
    used[RegClass.FLOAT.ordinal()] |= ib.clobbered.floatBits();
    PRegSet calleeSaved = env.calleeSaved();
    if (landingPadValues.any()) {
      used[RegClass.INT.ordinal()] |= calleeSaved.intBits();
      used[RegClass.FLOAT.ordinal()] |= calleeSaved.floatBits();
    }
    PRegSet calleeSavedUsed = new PRegSet(used[RegClass.INT.ordinal()] & calleeSaved.intBits(),
        used[RegClass.FLOAT.ordinal()] & calleeSaved.floatBits());
    return new RegAllocOutput(allocations, edits, state.slotCounts(), calleeSavedUsed, state.loopHeaders(),
        new RegAllocOutput.Stats(intervals, state.splits, state.spilledPieces, spilledVRegs, edits.size(),
            moveCounts(state, res, edits), live.visits, res.slotHoldingWords(),
            intersectionSteps, scanVisits, state.locateSteps, blockedSteps, registerQuestions,
            res.crossingSearches(), scans));
  }

  /**
   * Counts the moves the emitted code will hold: every edit between two different locations, and every
   * lowering copy whose two operands did not get the same register (the emitters drop the others;
   * resolution counted those as it handed out the allocations).
   */
  private static MoveCounts moveCounts(AllocState state, Resolution res, List<Edit> edits) {
    int[] counts = new int[6];
    for (Edit e : edits) {
      if (e.from().equals(e.to())) {
        continue;
      }
      int kind = e.to() instanceof SpillSlot ? 0 : e.from() instanceof SpillSlot ? 1 : 2;
      count(counts, kind, state.inLoop(e.point().inst()));
    }
    counts[2] += res.copiesKept;
    counts[5] += res.copiesKeptInLoops;
    return new MoveCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
  }

  private static void count(int[] counts, int kind, boolean inLoop) {
    counts[kind]++;
    if (inLoop) {
      counts[kind + 3]++;
    }
  }
}
