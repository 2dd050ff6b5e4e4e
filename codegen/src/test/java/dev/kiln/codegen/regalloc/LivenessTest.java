package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-based liveness (path exploration with region jumps) gives exactly the sets of the
 * liveness equations, solved here the plain way: every block, every vreg, rounds until nothing
 * changes. Random functions (loops, joins, block parameters) and the hostile shapes, whose diamonds
 * and chains are what the region jumps skip.
 */
class LivenessTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void randomFunctionsMatchTheEquations() {
    for (long seed = 0; seed < 400; seed++) {
      assertMatches(RandomFunctions.generate(seed, ENV), "seed " + seed);
    }
  }

  @Test
  void hostileShapesMatchTheEquations() {
    for (int n : new int[] {1, 2, 3, 7, 40}) {
      assertMatches(HostileShapeWorkTest.valuesAcrossDiamonds(n), "diamonds " + n);
      assertMatches(HostileShapeWorkTest.valuesAcrossEarlyReturns(n), "early returns " + n);
      assertMatches(HostileShapeWorkTest.valuesIntoOneHandler(n), "one handler " + n);
      assertMatches(HostileShapeWorkTest.valuesAcrossLoops(n), "loops " + n);
      assertMatches(HostileShapeWorkTest.brIfChain(n), "br_if chain " + n);
      if (n > 1) { // a br_table of one label is a jump with an operand, which the validator rejects
        assertMatches(HostileShapeWorkTest.brTable(n), "br_table " + n);
      }
      assertMatches(HostileShapeWorkTest.nestedLoops(n), "nested loops " + n);
    }
  }

  /**
   * Past the budgets (all of them spent at once here: {@code hullsEverywhere}), a vreg's sets may be
   * a superset, flagged {@link Liveness#isApproximate}: hulls, and regions with side exits marked
   * whole. Checked against the equations: every vreg holds at least its exact sets, exactly them where
   * not flagged, and is never said live into the block that defines it or into the entry.
   */
  @Test
  void approximationsHoldTheExactSetsAndNeverTheDefinitionsBlock() {
    int flagged = 0;
    for (long seed = 0; seed < 400; seed++) {
      flagged += assertApproximates(RandomFunctions.generate(seed, ENV), "seed " + seed);
    }
    for (int n : new int[] {2, 3, 7, 40}) {
      flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossEarlyReturns(n), "early returns " + n);
      flagged += assertApproximates(HostileShapeWorkTest.valuesIntoOneHandler(n), "one handler " + n);
      flagged += assertApproximates(HostileShapeWorkTest.brTable(n), "br_table " + n);
      flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossLoops(n), "loops " + n);
      flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossDiamonds(n), "diamonds " + n);
      flagged += assertApproximates(HostileShapeWorkTest.brIfChain(n), "br_if chain " + n);
      flagged += assertApproximates(HostileShapeWorkTest.nestedLoops(n), "nested loops " + n);
      for (HostileShapeWorkTest.OneMore oneMore : HostileShapeWorkTest.OneMore.values()) {
        flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossDetours(n, oneMore),
            "detours, one more " + oneMore + " " + n);
      }
      flagged += assertApproximates(HostileShapeWorkTest.valuesIntoOneHandlerAcrossDetours(n),
          "one handler across detours " + n);
      for (HostileShapeWorkTest.WaysRound kind : HostileShapeWorkTest.WaysRound.values()) {
        flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossWaysRound(n, kind),
            "ways round, " + kind + " " + n);
      }
    }
    flagged += assertApproximates(HostileShapeWorkTest.valuesAcrossLongGroups(2), "long groups 2");
    // Its handler's predecessors are too many for the region search (SCAN_LIMIT): a fan-in.
    flagged += assertApproximates(HostileShapeWorkTest.valuesIntoOneHandler(300), "one handler 300");
    flagged += assertApproximates(HostileShapeWorkTest.valuesIntoOneHandlerAcrossDetours(300),
        "one handler across detours 300");
    assertTrue(flagged > 0, "no vreg was approximated");
  }

  /**
   * A value defined in a block that is a detour of three blocks (a pad that dispatches to three
   * catches, each jumping back to one of them), read in the second: a region ending there must not
   * hold the second but as its start, nor, as the blocks of a detour's way in may lie among them, any
   * block between the first and the second; the answer for the first, the lowest block of which the
   * definition is a detour, would let one start at the way in and walk on from it.
   */
  @Test
  void aValueDefinedInADetourOfSeveralBlocksIsLiveOnlyWhereItReaches() {
    HostileShapeWorkTest.Graph g = new HostileShapeWorkTest.Graph();
    int entry = g.inline();
    int call = g.inline();
    int returns = g.inline();
    int firstAfter = g.inline();
    int wayIn = g.inline();
    int secondAfter = g.inline();
    int thirdAfter = g.inline();
    int end = g.inline();
    int dispatch = g.tail();
    int firstCatch = g.tail();
    int secondCatch = g.tail();
    int thirdCatch = g.tail();
    g.edges(entry, call);
    g.edges(call, returns, wayIn);
    g.edges(returns);
    g.edges(firstAfter, end);
    g.edges(wayIn, dispatch);
    g.edges(secondAfter, thirdAfter);
    g.edges(thirdAfter, end);
    g.edges(dispatch, firstCatch, secondCatch, thirdCatch);
    g.edges(firstCatch, firstAfter);
    g.edges(secondCatch, secondAfter);
    g.edges(thirdCatch, thirdAfter);
    g.passes(dispatch, secondAfter);
    assertApproximates(g.valuesReadAt(3, end), "a definition in a detour of three blocks");
  }

  /**
   * Past the walk's budget, one value's walk marks a fan-in and a region from the same start, one
   * reaching a block further than the other, and each must be marked although the other was ({@code
   * Liveness.MarkedFrom} skips a start only where both its live end and its detours' end were reached).
   * First the fan-in, then the region to the block after its last predecessor, whose landing pad (laid
   * out at the end, jumping back to it) the fan-in's detours do not hold: skipped, the region would
   * leave the pad out of the value's sets although the value is live into the block the pad jumps to.
   * Nine calls' pads enter a handler laid out after the try; the handler jumps back to a loop that reads
   * the value, so ends no region, and the loop's header, whose latch follows it, is walked predecessor
   * by predecessor, the handler first. Second the region, to a block that reads the value, then a
   * fan-in whose last predecessor is that block: the read marked the block live in, the region marks
   * blocks live out only before it, and the fan-in marks it live out. There the loop comes before the
   * try, and values across 400 loops spend the walk's budget first (not the runs', so that no hull
   * hides the one block missing).
   */
  @Test
  void aFanInAndARegionFromTheSameStartEachMarkTheBlocksTheOtherLeftOut() {
    HostileShapeWorkTest.Graph g = new HostileShapeWorkTest.Graph();
    int entry = g.inline();
    int calls = ForwardRegions.FAN_IN + 1; // the handler's predecessors: a fan-in
    int[] call = new int[calls];
    int[] pad = new int[calls];
    int split = -1;
    for (int i = 0; i < calls; i++) {
      call[i] = g.inline();
      if (i == calls - 1) {
        split = g.inline(); // the last call's way on, laid out before its pad
      }
      pad[i] = g.inline();
    }
    int tryEnd = g.inline(); // the last pad's next block: the region's end
    int header = g.inline();
    int latch = g.inline();
    int read = g.inline();
    int handler = g.inline();
    int detour = g.tail(); // the last call's other pad, out of line, jumping back to the try's end
    g.edges(entry, call[0]);
    for (int i = 0; i < calls - 1; i++) {
      g.edges(call[i], pad[i], call[i + 1]);
    }
    g.edges(call[calls - 1], pad[calls - 1], split, detour);
    for (int i = 0; i < calls; i++) {
      g.edges(pad[i], handler);
    }
    g.edges(split, tryEnd);
    g.edges(detour, tryEnd);
    g.edges(tryEnd, header);
    g.edges(header, latch, read);
    g.edges(latch, header);
    g.edges(handler, header);
    assertApproximates(g.valuesReadAt(1, read), "a region one block past a fan-in from the same start");

    // Numbered in layout order: the entry, the loops of the values that spend the budget and the block
    // that reads them, the loop that reads the value, then the try: its calls and pads, its last
    // block (which reads the value too) and the handler, which jumps back to the loop.
    int fillers = 500;
    int loops = 400;
    int base = 3 * loops + 1;
    int loopHeader = base + 1;
    int tryStart = base + 4;
    int last = tryStart + 2 * calls;
    int lastHandler = last + 1;
    FunctionBuilder b = new FunctionBuilder();
    for (int k = 0; k <= lastHandler; k++) {
      b.newBlock();
    }
    VReg arg = b.newVReg(RegClass.INT);
    b.startBlock(0, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    List<VReg> values = new ArrayList<>();
    for (int k = 0; k <= fillers; k++) { // the fillers, then the value, walked after them
      VReg v = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(arg, REG), Operand.def(v, REG)));
      values.add(v);
    }
    VReg value = values.remove(fillers);
    b.jump(1, List.of());
    for (int i = 0; i < loops; i++) {
      int loop = 3 * i + 1;
      b.startBlock(loop, List.of());
      twoWay(b, arg, loop + 1, loop + 2);
      b.startBlock(loop + 1, List.of());
      b.jump(loop, List.of());
      b.startBlock(loop + 2, List.of());
      b.jump(loop + 3, List.of());
    }
    b.startBlock(base, List.of());
    for (VReg v : values) {
      b.inst("sum", List.of(Operand.use(arg, REG), Operand.use(v, REG)));
    }
    b.jump(tryStart, List.of());
    b.startBlock(loopHeader, List.of());
    twoWay(b, arg, loopHeader + 1, loopHeader + 2);
    b.startBlock(loopHeader + 1, List.of());
    b.jump(loopHeader, List.of());
    b.startBlock(loopHeader + 2, List.of());
    b.inst("sum", List.of(Operand.use(arg, REG), Operand.use(value, REG)));
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
    for (int i = 0; i < calls; i++) {
      int at = tryStart + 2 * i;
      b.startBlock(at, List.of());
      twoWay(b, arg, at + 1, at + 2);
      b.startBlock(at + 1, List.of());
      b.jump(lastHandler, List.of());
    }
    b.startBlock(last, List.of());
    b.inst("sum", List.of(Operand.use(arg, REG), Operand.use(value, REG)));
    b.jump(lastHandler, List.of());
    b.startBlock(lastHandler, List.of());
    b.jump(loopHeader, List.of());
    RegAllocFunction f = b.build();
    boolean[][][] expected = solve(f);
    BlockEdges edges = BlockEdges.of(f);
    Liveness live = Liveness.compute(f, edges, FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges));
    int v = value.index();
    assertTrue(live.isApproximate(v), "the value was walked within the budget");
    for (int block = 0; block < f.numBlocks(); block++) {
      assertTrue(live.isLiveIn(v, block) || !expected[0][block][v], "live into block " + block);
      assertTrue(live.isLiveOut(v, block) || !expected[1][block][v], "live out of block " + block);
    }
  }

  /** Ends the current block with a two-way branch on {@code arg}. */
  private static void twoWay(FunctionBuilder b, VReg arg, int first, int second) {
    b.branch("br_table", List.of(Operand.use(arg, REG)),
        List.of(new VCode.Target(first, List.of()), new VCode.Target(second, List.of())));
  }

  /**
   * A value read where no definition reaches it (no block defines it) is refused with the allocator's
   * error, exact or with every budget spent, where a walk with side exits may take a region from the
   * definition: there is none to start at.
   */
  @Test
  void aValueWithoutADefinitionIsRefused() {
    HostileShapeWorkTest.Graph g = new HostileShapeWorkTest.Graph();
    int end = g.inline();
    for (int diamond = 0; diamond < 8; diamond++) { // a chain of regions several jumps long
      int left = g.inline();
      int right = g.inline();
      int join = g.inline();
      g.edges(end, left, right);
      g.edges(left, join);
      g.edges(right, join);
      end = join;
    }
    g.edges(end);
    g.readsUndefinedAt(end);
    RegAllocFunction f = g.valuesReadAt(1, end);
    BlockEdges edges = BlockEdges.of(f);
    VRegSites sites = FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges);
    for (boolean hullsEverywhere : new boolean[] {false, true}) {
      RegAllocException refused = assertThrows(RegAllocException.class,
          () -> Liveness.compute(f, edges, sites, hullsEverywhere));
      assertTrue(refused.getMessage().contains("no definition reaches it"), refused.getMessage());
    }
  }

  /** The vregs {@code f}'s approximated liveness flags, after checking them against the equations. */
  private static int assertApproximates(RegAllocFunction f, String what) {
    boolean[][][] expected = solve(f);
    BlockEdges edges = BlockEdges.of(f);
    VRegSites sites = FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges);
    Liveness live = Liveness.compute(f, edges, sites, true);
    int flagged = 0;
    for (int v = 0; v < f.numVRegs(); v++) {
      boolean approximate = live.isApproximate(v);
      flagged += approximate ? 1 : 0;
      for (int b = 0; b < f.numBlocks(); b++) {
        String at = what + ": v" + v + " at block " + b;
        if (approximate) {
          assertTrue(live.isLiveIn(v, b) || !expected[0][b][v], at + ": live in, exactly");
          assertTrue(live.isLiveOut(v, b) || !expected[1][b][v], at + ": live out, exactly");
        } else {
          assertEquals(expected[0][b][v], live.isLiveIn(v, b), at + ": live in, not flagged");
          assertEquals(expected[1][b][v], live.isLiveOut(v, b), at + ": live out, not flagged");
        }
      }
      assertFalse(live.isLiveIn(v, 0), what + ": v" + v + " live into the entry");
      int def = sites.defBlock()[v];
      assertFalse(def >= 0 && live.isLiveIn(v, def), what + ": v" + v + " live into its definition's block " + def);
    }
    return flagged;
  }

  private static void assertMatches(RegAllocFunction f, String what) {
    boolean[][][] expected = solve(f);
    BlockEdges edges = BlockEdges.of(f);
    Liveness live = Liveness.compute(f, edges, FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges));
    for (int b = 0; b < f.numBlocks(); b++) {
      for (int v = 0; v < f.numVRegs(); v++) {
        assertEquals(expected[0][b][v], live.isLiveIn(v, b), what + ": v" + v + " live into block " + b);
        assertEquals(expected[1][b][v], live.isLiveOut(v, b), what + ": v" + v + " live out of block " + b);
      }
    }
  }

  /** {live-in, live-out}[block][vreg] by round-robin iteration of the equations to the fixed point. */
  private static boolean[][][] solve(RegAllocFunction f) {
    int n = f.numBlocks();
    int nv = f.numVRegs();
    boolean[][] in = new boolean[n][nv];
    boolean[][] out = new boolean[n][nv];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = n - 1; b >= 0; b--) {
        boolean[] o = new boolean[nv];
        List<Integer> succs = f.blockSuccs(b);
        for (int k = 0; k < succs.size(); k++) {
          for (int v = 0; v < nv; v++) {
            o[v] |= in[succs.get(k)][v];
          }
          for (VReg a : f.branchArgs(b, k)) {
            o[a.index()] = true;
          }
        }
        boolean[] i = o.clone();
        InstRange r = f.blockInsts(b);
        for (int inst = r.last(); inst >= r.first(); inst--) {
          for (Operand op : f.instOperands(inst)) {
            if (op.kind() == OperandKind.DEF) {
              i[op.vreg().index()] = false;
            }
          }
          for (Operand op : f.instOperands(inst)) {
            if (op.kind() == OperandKind.USE) {
              i[op.vreg().index()] = true;
            }
          }
        }
        for (VReg p : f.blockParams(b)) {
          i[p.index()] = false;
        }
        for (int v = 0; v < nv; v++) {
          changed |= i[v] != in[b][v] || o[v] != out[b][v];
        }
        in[b] = i;
        out[b] = o;
      }
    }
    return new boolean[][][] {in, out};
  }
}
