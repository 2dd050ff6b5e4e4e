package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interval walk reads each operand's point and constraint from {@link InstOperands#shapes}, not
 * from its record: only a FIXED operand's record is loaded, for its register. Shown by building the
 * pieces again from operand arrays whose other records are gone once the validator has read them
 * in: the same sites, pieces, uses, hints and blocked ranges (the walk loaded every record twice,
 * and threw at the first missing one). Resolution's walk over the operands likewise: the same
 * allocations and moves.
 */
class OperandShapesTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void theIntervalWalkLoadsOnlyFixedOperandsRecords() {
    for (long seed = 0; seed < 100; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      assertEquals(describe(f, false), describe(f, true), "seed " + seed);
    }
  }

  @Test
  void resolutionLoadsOnlyFixedOperandsRecords() {
    for (long seed = 0; seed < 100; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      assertEquals(resolved(f, false), resolved(f, true), "seed " + seed);
    }
  }

  /** {@code f}'s analysis, every class scanned and the slots shared out, ready for resolution. */
  static RegAllocator.Analysis scannedEveryClass(RegAllocFunction f, MachineEnv env) {
    RegAllocator.Analysis a = RegAllocator.Analysis.of(f, env);
    for (RegClass c : RegClass.ALL) {
      LinearScan scan = new LinearScan(c, env, a.ib(), a.landingPadValues(), a.state());
      for (LiveInterval piece : a.ib().intervals) {
        if (piece != null && piece.regClass == c) {
          scan.add(piece);
        }
      }
      scan.run();
    }
    for (int v : a.sites().stackVRegs()) {
      a.state().slotOf(v, a.sites().classes()[v]);
    }
    a.state().shareSlots();
    return a;
  }

  /**
   * {@code f}'s operand allocations, moves and registers used as text, every class scanned; when
   * {@code shapesOnly}, resolved from operand arrays that keep only FIXED operands' records.
   */
  private static String resolved(RegAllocFunction f, boolean shapesOnly) {
    RegAllocator.Analysis a = scannedEveryClass(f, ENV);
    if (shapesOnly) {
      Operand[] records = a.operands().operands;
      for (int k = 0; k < records.length; k++) {
        if (!(records[k].constraint() instanceof OperandConstraint.FixedReg)) {
          records[k] = null;
        }
      }
    }
    Resolution res = new Resolution(f, ENV, a.live(), a.ib(), a.state(), a.edges());
    return res.operandAllocations() + "\n" + res.edits() + "\n" + Arrays.toString(res.usedRegisters)
        + " " + res.copiesKept + " " + res.copiesKeptInLoops;
  }

  @Test
  void onlyInstructionsWithFixedOperandsOrClobbersAreSearchedForBlockedRegisters() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg value = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(value, OperandConstraint.fixed(PReg.intReg(7)))));
    for (int k = 0; k < 20; k++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.useReg(value), Operand.defReuse(next, 0)));
      value = next;
    }
    b.inst("call", List.of(), TestEnvs.callerSaved(ENV));
    b.ret(List.of(Operand.use(value, OperandConstraint.fixed(PReg.intReg(0)))));
    RegAllocFunction f = b.build();
    // The arguments, the call and the return: not the 20 two-address adds.
    assertEquals(3, RegAllocator.Analysis.of(f, ENV).ib().blockingSearches);
  }

  @Test
  void shapesHoldEachOperandsPointAndConstraint() {
    RegAllocFunction f = RandomFunctions.generate(3, ENV);
    InstOperands operands = InstOperands.of(f);
    for (int k = 0; k < operands.operands.length; k++) {
      Operand o = operands.operands[k];
      int shape = operands.shapes[k];
      assertEquals(o.kind() == OperandKind.DEF, (shape & InstOperands.DEF) != 0, o.toString());
      assertEquals(o.pos() == OperandPos.LATE, (shape & InstOperands.LATE) != 0, o.toString());
      assertEquals(o.constraint() instanceof OperandConstraint.Reg, (shape & InstOperands.REG) != 0);
      assertEquals(o.constraint() instanceof OperandConstraint.FixedReg, (shape & InstOperands.FIXED) != 0);
      assertEquals(o.constraint() instanceof OperandConstraint.Reuse, (shape & InstOperands.REUSE) != 0);
      assertEquals(o.constraint() instanceof OperandConstraint.Stack, (shape & InstOperands.STACK) != 0);
      if (o.constraint() instanceof OperandConstraint.Reuse(int u)) {
        assertEquals(u, InstOperands.reuseIndex(shape));
      }
    }
  }

  @Test
  void theIntervalWalkWalksTheUsesOnlyAtPointsWithSome() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg value = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.defReg(value)));
    for (int k = 0; k < 20; k++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.useReg(value), Operand.defReg(next)));
      value = next;
    }
    VReg address = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.defReg(address)));
    b.inst("store", List.of(Operand.useReg(address), Operand.lateUse(value, OperandConstraint.REG)));
    b.ret(List.of());
    RegAllocFunction f = b.build();
    // The store's two points: not a LATE walk per add, nor any for the constants and the return,
    // which read nothing; and the adds, which read only at EARLY and reuse nothing, have their reads
    // taken by the one walk over their operands (a walk of their EARLY reads each made 22).
    assertEquals(2, RegAllocator.Analysis.of(f, ENV).ib().useWalks);
  }

  @Test
  void theIntervalWalkReadsEachOperandOnceBesidesItsUseWalks() {
    for (long seed = 0; seed < 100; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      RegAllocator.Analysis a = RegAllocator.Analysis.of(f, ENV);
      // One backward walk finds the vregs each block mentions and the ranges: a forward walk over
      // every operand to find the mentioned vregs first read each twice.
      assertEquals(a.operands().vregs.length, a.ib().operandReads, "seed " + seed);
    }
  }

  /**
   * Everything the validator and the walk hand on, as text; the walk's from operand arrays without
   * the records of operands not FIXED where {@code onlyFixedRecords}.
   */
  private static String describe(RegAllocFunction f, boolean onlyFixedRecords) {
    InstOperands operands = InstOperands.listed(f);
    BlockEdges edges = f.blockEdges();
    VRegSites sites = FunctionValidator.validate(f, ENV, operands, edges);
    for (int k = 0; onlyFixedRecords && k < operands.operands.length; k++) {
      if (!(operands.operands[k].constraint() instanceof OperandConstraint.FixedReg)) {
        operands.operands[k] = null;
      }
    }
    Liveness live = Liveness.compute(f, edges, sites);
    IntervalBuilder ib = IntervalBuilder.build(f, ENV, live, operands, edges, LoopNest.compute(f, edges),
        sites);
    StringBuilder sb = new StringBuilder(Arrays.toString(sites.classes()))
        .append(Arrays.toString(sites.defBlock())).append(Arrays.toString(sites.defInst()))
        .append(Arrays.toString(Arrays.copyOf(sites.reads(), 2 * sites.readCount())))
        .append(Arrays.toString(sites.stackVRegs())).append('\n');
    for (int v = 0; v < f.numVRegs(); v++) {
      LiveInterval piece = ib.intervals[v];
      sb.append(piece).append(" uses");
      int pos = piece == null ? Integer.MAX_VALUE : piece.firstRegUseAtOrAfter(0);
      for (; pos != Integer.MAX_VALUE; pos = piece.firstRegUseAtOrAfter(pos + 1)) {
        sb.append(' ').append(pos);
      }
      sb.append(" any ").append(Arrays.toString(ib.hullUses == null ? null : ib.hullUses.toArray(v)))
          .append(" hints ").append(Arrays.toString(ib.fixedHints[v]))
          .append(" def ").append(ib.defPos[v]).append(" end ").append(ib.lifetimeEnd[v])
          .append(" param ").append(ib.isParam[v]).append(" reuses ").append(ib.reuseSource[v]).append('\n');
    }
    for (int i = 0; i < f.numInsts(); i++) {
      for (int k = 0; k < operands.count(i); k++) {
        sb.append(ib.consumedInGap(i, k) ? 'c' : '.');
      }
    }
    for (PReg r : ENV.allocatable()) {
      sb.append('\n').append(r).append(Arrays.toString(ib.blocked(r)));
    }
    for (RegClass c : RegClass.ALL) {
      ClobberPoints clobbers = ib.clobbers(c);
      for (int k = 0; k < clobbers.count(); k++) {
        sb.append('\n').append(c).append(" clobbered at ").append(clobbers.positions()[k])
            .append(": ").append(Long.toHexString(clobbers.mask(k)));
      }
    }
    return sb.append('\n').append(ib.clobbered).toString();
  }
}
