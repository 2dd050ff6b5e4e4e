package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resolution searches each control-flow edge once for the vregs that may change location across it
 * ({@link EdgeCrossings}): the spill-store analysis ({@link SlotHolding}) and the edge moves both
 * walk every edge's crossings, and searching again for the second cost the window searches, the
 * liveness checks and the location searches twice. Counted ({@link
 * RegAllocOutput.Stats#crossingSearches}), not timed.
 */
class EdgeCrossingSearchesTest {
  private static final int VALUES = 20;
  private static final int DIAMONDS = 30;

  /**
   * More values than registers, defined at the top and each read at the end, across a chain of
   * diamonds whose every block calls (clobbering the caller-saved registers): the values are split
   * and spilled, so the edges have crossings to search.
   */
  static RegAllocFunction valuesAcrossCallingDiamonds(PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> values = new ArrayList<>();
    for (int v = 0; v < VALUES; v++) {
      VReg value = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(value, REG)));
      values.add(value);
    }
    int next = b.newBlock();
    b.jump(next, List.of());
    for (int d = 0; d < DIAMONDS; d++) {
      int head = next;
      int left = b.newBlock();
      int right = b.newBlock();
      next = b.newBlock();
      b.startBlock(head, List.of());
      VReg cond = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(cond, REG)));
      b.inst("use", List.of(Operand.use(values.get(d % VALUES), REG)));
      b.branch("brif", List.of(Operand.use(cond, REG)),
          List.of(new VCode.Target(left, List.of()), new VCode.Target(right, List.of())));
      for (int side : new int[] {left, right}) {
        b.startBlock(side, List.of());
        b.inst("call", List.of(), clobbers);
        b.jump(next, List.of());
      }
    }
    b.startBlock(next, List.of());
    for (VReg value : values) {
      b.inst("use", List.of(Operand.use(value, REG)));
    }
    b.ret(List.of(Operand.use(values.getFirst(), fixed(PReg.intReg(0)))));
    return b.build();
  }

  /**
   * Eight values defined before a loop, read in it and after it, across a body of calls that clobber
   * the caller-saved registers: five stay in callee-saved registers in one piece, the others are
   * reloaded where read, so the back edge's window holds more piece ends than the loop's live values.
   */
  static RegAllocFunction valuesAcrossACallingLoop(PRegSet clobbers) {
    return valuesAcrossACallingLoop(clobbers, 8, DIAMONDS);
  }

  /** {@code values} values across a loop of {@code calls} calls, each call followed by a value's read. */
  static RegAllocFunction valuesAcrossACallingLoop(PRegSet clobbers, int valueCount, int calls) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int loop = b.newBlock();
    int latch = b.newBlock();
    int exit = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> values = new ArrayList<>();
    for (int v = 0; v < valueCount; v++) {
      VReg value = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(value, REG)));
      values.add(value);
    }
    b.jump(loop, List.of());
    b.startBlock(loop, List.of());
    for (int k = 0; k < calls; k++) {
      b.inst("call", List.of(), clobbers);
      b.inst("use", List.of(Operand.use(values.get(k % values.size()), REG)));
    }
    VReg cond = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(cond, REG)));
    b.branch("brif", List.of(Operand.use(cond, REG)),
        List.of(new VCode.Target(latch, List.of()), new VCode.Target(exit, List.of())));
    b.startBlock(latch, List.of());
    b.jump(loop, List.of());
    b.startBlock(exit, List.of());
    for (VReg value : values) {
      b.inst("use", List.of(Operand.use(value, REG)));
    }
    b.ret(List.of(Operand.use(values.getFirst(), fixed(PReg.intReg(0)))));
    return b.build();
  }

  /** A function scanned as the allocator scans it, and its edge crossings, not yet asked. */
  private record Scanned(RegAllocFunction f, RegAllocator.Analysis a, EdgeCrossings crossings) {
    /** {@link #valuesAcrossACallingLoop}. */
    static Scanned loop() {
      return of(EdgeCrossingSearchesTest::valuesAcrossACallingLoop);
    }

    /** {@link #valuesAcrossACallingLoop} with 300 values and calls: a back edge of 300 piece ends. */
    static Scanned longLoop() {
      return of(clobbers -> valuesAcrossACallingLoop(clobbers, 300, 300));
    }

    /** {@link #valuesAcrossCallingDiamonds}. */
    static Scanned diamonds() {
      return of(EdgeCrossingSearchesTest::valuesAcrossCallingDiamonds);
    }

    private static Scanned of(java.util.function.Function<PRegSet, RegAllocFunction> shape) {
      MachineEnv env = TestEnvs.x64Like();
      RegAllocFunction f = shape.apply(TestEnvs.callerSaved(env));
      RegAllocator.Analysis a = ResolutionWorkTest.scanned(f, env);
      return new Scanned(f, a, new EdgeCrossings(f, a.live(), a.state(), a.edges()));
    }
  }

  @Test
  void onlyVRegsOfTwoOrMorePiecesAreListed() {
    onlyVRegsOfTwoOrMorePiecesAreListed(Scanned.loop());
    onlyVRegsOfTwoOrMorePiecesAreListed(Scanned.longLoop());
  }

  private static void onlyVRegsOfTwoOrMorePiecesAreListed(Scanned loop) {
    RegAllocFunction f = loop.f();
    RegAllocator.Analysis a = loop.a();
    EdgeCrossings crossings = loop.crossings();
    BlockEdges edges = a.edges();
    int onePiece = 0;
    for (int v = 0; v < f.numVRegs(); v++) {
      if (a.live().isLiveIn(v, 1) && a.state().pieces(v).size() == 1) {
        onePiece++;
      }
    }
    assertTrue(onePiece > 0, "values in one piece live through the loop");
    int listed = 0;
    for (int s = 0; s < f.numBlocks(); s++) {
      for (int k = 0; k < edges.predStart[s + 1] - edges.predStart[s]; k++) {
        for (int v : crossings.of(s, k).vregs()) {
          assertTrue(a.state().pieces(v).size() > 1, "v" + v + " in one piece listed on an edge into block " + s);
          listed++;
        }
      }
    }
    assertTrue(listed > 0, "the loop's edges have crossings");
  }

  /**
   * The long loop's back edge has a piece end in its window for each value reloaded in the body, 300
   * of them: its crossings are found among the vregs in a register at its two ends instead, at most a
   * search per register at each (63 registers at most of both classes). Every vreg that moves is
   * among them. Listing the header's live vregs of two or more pieces, as before, looked at 300.
   */
  @Test
  void aLongEdgeIsSearchedByRegister() {
    Scanned loop = Scanned.longLoop();
    RegAllocFunction f = loop.f();
    RegAllocator.Analysis a = loop.a();
    EdgeCrossings crossings = loop.crossings();
    int header = 1;
    int latch = 2;
    int backEdge = -1;
    for (int k = 0; k < a.edges().predStart[header + 1] - a.edges().predStart[header]; k++) {
      if (a.edges().pred[a.edges().predStart[header] + k] == latch) {
        backEdge = k;
      }
    }
    long before = crossings.work;
    int[] listed = crossings.of(header, backEdge).vregs();
    assertEquals(1, crossings.byRegister, "the back edge is searched by register");
    assertTrue(crossings.work - before <= 2 * 63, (crossings.work - before) + " registers searched");
    int top = Positions.early(f.blockInsts(header).first());
    int end = Positions.early(f.blockInsts(latch).end()) - 1;
    int moving = 0;
    for (int v = 0; v < f.numVRegs(); v++) {
      if (a.live().isLiveIn(v, header) && !a.state().locationAt(v, end).equals(a.state().locationAt(v, top))) {
        moving++;
        assertTrue(java.util.Arrays.binarySearch(listed, v) >= 0, "v" + v + " moves on the back edge unlisted");
      }
    }
    assertTrue(moving > 0, "values move on the back edge");
    assertTrue(listed.length < 63, listed.length + " vregs listed");
  }

  /** An edge whose window holds no piece end gets the one shared empty answer: nothing made for it. */
  @Test
  void edgesWithoutCrossingsShareOneEmptyAnswer() {
    Scanned diamonds = Scanned.diamonds();
    RegAllocFunction f = diamonds.f();
    RegAllocator.Analysis a = diamonds.a();
    EdgeCrossings crossings = diamonds.crossings();
    int empty = 0;
    for (int s = 0; s < f.numBlocks(); s++) {
      for (int k = 0; k < a.edges().predStart[s + 1] - a.edges().predStart[s]; k++) {
        EdgeCrossings.Crossings c = crossings.of(s, k);
        if (c.vregs().length == 0) {
          assertSame(EdgeCrossings.NONE, c);
          empty++;
        }
      }
    }
    assertTrue(empty > 0, "some edges have no crossings");
  }

  /**
   * The diamonds' values are split at block tops, so most edges' crossings change piece on the edge.
   * Each edge's predecessor end is located before its target's top: the piece found at the end is
   * the one the top's location steps up from. Located the other way round, each such vreg stepped
   * back from the top's piece to the end's with a search of its pieces.
   */
  @Test
  void anEdgesEndsAreLocatedUpThePositions() {
    Scanned diamonds = Scanned.diamonds();
    RegAllocFunction f = diamonds.f();
    RegAllocator.Analysis a = diamonds.a();
    EdgeCrossings crossings = diamonds.crossings();
    long before = a.state().locateSteps;
    for (int s = 0; s < f.numBlocks(); s++) {
      for (int k = 0; k < a.edges().predStart[s + 1] - a.edges().predStart[s]; k++) {
        crossings.of(s, k);
      }
    }
    long steps = a.state().locateSteps - before;
    assertTrue(crossings.locations > 0, "the edges have crossings");
    // Top first, the 124 locations take 281 steps here; end first, 199.
    assertTrue(steps <= 2 * crossings.locations, steps + " locate steps for " + crossings.locations
        + " locations");
  }

  @Test
  void everyEdgeIsSearchedOnce() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = valuesAcrossCallingDiamonds(TestEnvs.callerSaved(env));
    RegAllocOutput out = RegAllocator.allocate(f, env);
    Checker.check(f, env, out);
    RegAllocOutput.Stats s = out.stats();
    assertTrue(s.spilledVRegs() > 0, "values live across the calls are spilled");
    assertEquals(f.blockEdges().pred.length, s.crossingSearches(), "searches, one per edge");
  }

  /**
   * A vreg's pieces follow one another, so where two pieces hold it at an edge's two ends, the end of
   * the one at the lower position lies between them: the windows hold only the ends of pieces that
   * are not a vreg's last, and still list every vreg whose location changes on an edge. Here they
   * list no other: 62 vregs, 124 location searches. Every range's two ends, as the windows held
   * before, made 114 candidates and 74 vregs listed, 148 searches.
   */
  @Test
  void theWindowsHoldPieceEndsAndListEveryVRegThatMoves() {
    Scanned diamonds = Scanned.diamonds();
    RegAllocFunction f = diamonds.f();
    RegAllocator.Analysis a = diamonds.a();
    EdgeCrossings crossings = diamonds.crossings();
    BlockEdges edges = a.edges();
    int moving = 0;
    for (int s = 0; s < f.numBlocks(); s++) {
      int top = Positions.early(f.blockInsts(s).first());
      for (int k = 0; k < edges.predStart[s + 1] - edges.predStart[s]; k++) {
        int end = Positions.early(f.blockInsts(edges.pred[edges.predStart[s] + k]).end()) - 1;
        List<Integer> listed = new ArrayList<>();
        for (int v : crossings.of(s, k).vregs()) {
          listed.add(v);
        }
        for (int v = 0; v < f.numVRegs(); v++) {
          if (a.live().isLiveIn(v, s) && !a.state().locationAt(v, end).equals(a.state().locationAt(v, top))) {
            moving++;
            assertTrue(listed.contains(v), "v" + v + " moves on an edge into block " + s + " unlisted");
          }
        }
      }
    }
    assertEquals(62, moving, "values move on the edges");
    assertEquals(62, crossings.work, "candidates looked at");
    assertEquals(2L * moving, crossings.locations, "the vregs that move, each at both ends");
  }
}
