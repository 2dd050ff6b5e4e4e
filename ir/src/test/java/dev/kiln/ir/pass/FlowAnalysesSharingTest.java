package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.ControlFlowGraph;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.analysis.NaturalLoops;
import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

/**
 * The passes keep the shared control-flow graph and dominator tree while the block graph stays as
 * it is, and drop them when they change it, so a later pass never reads edges that are gone.
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
    new LoopLayout().run(f, analyses);
    assertArrayEquals(new int[] {0, 1, 3, 2}, f.layout().blocks(), "laid out from the shared loops");
    assertNotSame(loops, analyses.loops(), "a new order: the loops are found again");
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
}
