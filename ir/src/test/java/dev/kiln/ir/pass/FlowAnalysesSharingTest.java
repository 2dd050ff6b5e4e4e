package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.analysis.NaturalLoops;
import dev.kiln.ir.analysis.ValueUses;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import org.junit.jupiter.api.Test;

/**
 * The passes keep the shared control-flow graph and dominator tree while the block graph stays as
 * it is, and drop them when they change it, so a later pass never reads edges that are gone; and
 * dead code elimination takes the use counts value numbering kept just before it instead of
 * counting them again, but only then.
 */
class FlowAnalysesSharingTest {
  /** block3 is unreachable and jumps to block2, so it is one of block2's predecessors until dce. */
  private static Function withUnreachableBlock() {
    return Parser.parseFunction("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            brif v0, block1, block2
        block1:
            jump block2
        block2:
            return v0
        block3:
            jump block2
        }
        """);
  }

  @Test
  void passesThatKeepTheBlockGraphKeepTheAnalyses() {
    Function f = withUnreachableBlock();
    FlowAnalyses analyses = new FlowAnalyses(f);
    ControlFlowGraph cfg = analyses.cfg();
    new VmctxLoadHoisting().run(f, analyses);
    new GlobalValueNumbering().run(f, analyses);
    new DivisionByConstant().run(f, analyses);
    assertSame(cfg, analyses.cfg());
  }

  /** A loop (block1) with an exit (block2) laid out between its header and its latch (block3). */
  private static Function withLoopLaidOutApart() {
    return Parser.parseFunction("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            jump block1
        block1:
            brif v0, block2, block3
        block2:
            return v0
        block3:
            jump block1
        }
        """);
  }

  @Test
  void hoistingAndLayoutShareTheLoops() {
    Function f = withLoopLaidOutApart();
    FlowAnalyses analyses = new FlowAnalyses(f);
    NaturalLoops loops = analyses.loops();
    new VmctxLoadHoisting().run(f, analyses);
    new GlobalValueNumbering().run(f, analyses);
    new DeadCodeElimination().run(f, analyses);
    assertSame(loops, analyses.loops(), "passes that keep the block graph keep the loops");
    ControlFlowGraph cfg = analyses.cfg();
    new LoopLayout().run(f, analyses);
    assertArrayEquals(new int[] {0, 1, 3, 2}, f.layout().blocks(), "laid out from the shared loops");
    assertNotSame(cfg, analyses.cfg(), "a new order: the predecessor lists follow it");
    assertSame(loops, analyses.loops(), "the same blocks and edges: the same loops");
  }

  @Test
  void thePipelineLeavesTheLoopsItFoundWithTheFunction() {
    Function f = withLoopLaidOutApart();
    new PassPipeline(java.util.List.of(new VmctxLoadHoisting(), new LoopLayout()), false).run(f);
    NaturalLoops kept = f.loopsFromPasses();
    FlowAnalyses fresh = new FlowAnalyses(f);
    NaturalLoops found = fresh.loops();
    assertArrayEquals(found.headers(), kept.headers());
    for (int b = 0; b < 4; b++) {
      assertEquals(found.innermost(b), kept.innermost(b), "block" + b);
    }
    assertEquals(1, kept.innermost(3), "the latch, laid out before the exit now");
    assertEquals(-1, kept.innermost(2));
  }

  @Test
  void aPipelineWithoutLoopPassesLeavesNoLoops() {
    Function f = withLoopLaidOutApart();
    new PassPipeline(java.util.List.of(new GlobalValueNumbering()), false).run(f);
    assertEquals(null, f.loopsFromPasses(), "value numbering needs no loops: none are made for the backend");
  }

  @Test
  void deadCodeEliminationThatRemovesABlockDropsTheAnalyses() {
    Function f = withUnreachableBlock();
    FlowAnalyses analyses = new FlowAnalyses(f);
    assertArrayEquals(new int[] {0, 1, 3}, analyses.cfg().predecessors(2));
    new DeadCodeElimination().run(f, analyses);
    assertArrayEquals(new int[] {0, 1}, analyses.cfg().predecessors(2),
        "the removed block's edge must not reach the passes after dce");
  }

  @Test
  void deadCodeEliminationWithoutUnreachableBlocksKeepsTheAnalyses() {
    Function f = withUnreachableBlock();
    new DeadCodeElimination().run(f);
    FlowAnalyses analyses = new FlowAnalyses(f);
    ControlFlowGraph cfg = analyses.cfg();
    new DeadCodeElimination().run(f, analyses);
    assertSame(cfg, analyses.cfg());
  }

  @Test
  void constantFoldingOfABranchDropsTheAnalyses() {
    Function f = Parser.parseFunction("""
        function %f() -> i32 {
        block0:
            v0 = iconst.i32 1
            brif v0, block1, block2
        block1:
            return v0
        block2:
            return v0
        }
        """);
    FlowAnalyses analyses = new FlowAnalyses(f);
    ControlFlowGraph cfg = analyses.cfg();
    new ConstantFolding().run(f, analyses);
    assertNotSame(cfg, analyses.cfg());
    assertArrayEquals(new int[] {1}, analyses.cfg().successors(0));
  }

  /**
   * A computation repeated (v3, v7: aliases of v2 once numbered), used through the repeat (v4) and
   * as a branch argument, a dead one (v5) and an unreachable block using it.
   */
  private static Function withRepeatsAndDeadCode() {
    return Parser.parseFunction("""
        function %f(i32, i32) -> i32 {
        block0(v0: i32, v1: i32):
            v2 = iadd.i32 v0, v1
            v3 = iadd.i32 v0, v1
            v4 = imul.i32 v3, v1
            v5 = isub.i32 v0, v1
            brif v0, block1(v4), block2(v3)
        block1(v6: i32):
            v7 = iadd.i32 v0, v1
            v9 = iadd.i32 v7, v6
            return v9
        block2(v8: i32):
            return v8
        block3:
            jump block2(v5)
        }
        """);
  }

  /** The analyses {@code f}'s value numbering, the pass that just ended, was handed. */
  private static FlowAnalyses afterValueNumbering(Function f) {
    FlowAnalyses analyses = new FlowAnalyses(f);
    new GlobalValueNumbering().run(f, analyses);
    analyses.passEnded();
    return analyses;
  }

  @Test
  void valueNumberingKeepsTheUseCountsOfWhatDeadCodeEliminationKeeps() {
    Function f = withRepeatsAndDeadCode();
    FlowAnalyses analyses = afterValueNumbering(f);
    int[] kept = analyses.takeUseCounts();
    assertEquals(0, analyses.useCountWalks(), "the counts value numbering kept");
    f.layout().removeInst(f.layout().firstInst(3));
    f.layout().removeBlock(3);
    int[] counted = ValueUses.compute(f).toArray();
    assertArrayEquals(counted, kept, "as ValueUses counts once the unreachable block is gone");
    assertEquals(3, kept[2], "v4's, block2's argument and v9's, through the repeats v3 and v7");
    assertEquals(0, kept[5], "its one use is in the unreachable block");
  }

  @Test
  void deadCodeEliminationRightAfterValueNumberingTakesItsUseCounts() {
    Function shared = withRepeatsAndDeadCode();
    FlowAnalyses analyses = afterValueNumbering(shared);
    new DeadCodeElimination().run(shared, analyses);
    assertEquals(0, analyses.useCountWalks(), "no walk of its own to count the uses");

    Function apart = withRepeatsAndDeadCode();
    new GlobalValueNumbering().run(apart);
    new DeadCodeElimination().run(apart);
    assertEquals(Printer.print(apart), Printer.print(shared));
  }

  @Test
  void useCountsKeptBeforeAnotherPassAreCountedAgain() {
    Function f = withRepeatsAndDeadCode();
    FlowAnalyses analyses = afterValueNumbering(f);
    new DivisionByConstant().run(f, analyses);
    analyses.passEnded();
    new DeadCodeElimination().run(f, analyses);
    assertEquals(1, analyses.useCountWalks(), "a pass in between may have changed them");
  }
}
