package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import dev.kiln.ir.analysis.ImmediateDominators;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The immediate dominators of a block graph ({@link BlockEdges} as {@link ImmediateDominators}
 * reads it) and {@link LoopNest} on a hand-drawn CFG, checked against the definition.
 */
class DominatorsTest {
  /**
   * <pre>
   *   0 -> 1; 1 -> 2, 3; 2 -> 4; 3 -> 4; 4 -> 1 (back edge), 5; 5 -> 5 (self loop), 6; 7 unreachable -> 6
   * </pre>
   */
  private static RegAllocFunction cfg() {
    return cfg(new int[][] {{1}, {2, 3}, {4}, {4}, {1, 5}, {5, 6}, {}, {6}});
  }

  /** One instruction per block (its jump, branch or return), so block k spans positions 2k, 2k+1. */
  private static RegAllocFunction cfg(int[][] succs) {
    FunctionBuilder b = new FunctionBuilder();
    for (int k = 0; k < succs.length; k++) {
      b.newBlock();
    }
    for (int k = 0; k < succs.length; k++) {
      b.startBlock(k, List.of());
      if (succs[k].length == 0) {
        b.ret(List.of());
      } else if (succs[k].length == 1) {
        b.jump(succs[k][0], List.of());
      } else {
        b.branch("br", List.of(), List.of(new VCode.Target(succs[k][0], List.of()),
            new VCode.Target(succs[k][1], List.of())));
      }
    }
    return b.build();
  }

  @Test
  void immediateDominatorsAndTheDominanceRelation() {
    int[] idom = ImmediateDominators.compute(BlockEdges.of(cfg()), 0);
    ImmediateDominators.TreeNumbers tree = ImmediateDominators.numbering(idom, 0);
    assertArrayEquals(new int[] {0, 0, 1, 1, 1, 4, 5, -1}, idom);
    // a dominates b exactly when a lies on b's idom chain.
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        boolean expected = false;
        if (idom[b] >= 0 && idom[a] >= 0) {
          for (int x = b; ; x = idom[x]) {
            if (x == a) {
              expected = true;
              break;
            }
            if (x == 0) {
              break;
            }
          }
        }
        assertEquals(expected, tree.dominates(a, b), a + " dominates " + b);
      }
    }
  }

  @Test
  void loopDepthsCountTheNaturalLoopsAroundEachBlock() {
    // Loop {1, 2, 3, 4} (back edge 4 -> 1) and loop {5} (back edge 5 -> 5), which contains neither
    // its entry predecessor 4 nor the blocks before it.
    assertArrayEquals(new int[] {0, 1, 1, 1, 1, 1, 0, 0}, LoopNest.compute(cfg()).depth);
  }

  @Test
  void loopNestNamesInnermostLoopsTheirParentsAndHulls() {
    LoopNest flat = LoopNest.compute(cfg());
    assertArrayEquals(new int[] {-1, 1, 1, 1, 1, 5, -1, -1}, flat.innermost);
    assertEquals(-1, flat.parent[1]);
    assertEquals(-1, flat.parent[5]);
    assertEquals(2, flat.hullStart[1]);
    assertEquals(10, flat.hullEnd[1]);
    assertEquals(10, flat.hullStart[5]);
    assertEquals(12, flat.hullEnd[5]);
    // 0 -> 1; 1 -> 2; 2 -> 2 (inner self loop), 3; 3 -> 1 (outer back edge), 4.
    LoopNest nested = LoopNest.compute(cfg(new int[][] {{1}, {2}, {2, 3}, {1, 4}, {}}));
    assertArrayEquals(new int[] {0, 1, 2, 1, 0}, nested.depth);
    assertArrayEquals(new int[] {-1, 1, 2, 1, -1}, nested.innermost);
    assertEquals(1, nested.parent[2]);
    assertEquals(-1, nested.parent[1]);
    assertEquals(2, nested.hullStart[1]);
    assertEquals(8, nested.hullEnd[1]);
  }

  /**
   * A function without an edge back to a block laid out at or before its source has no cycle: the
   * nest is found without the dominator and loop analyses, and is what they find. Random functions
   * with and without loops, and the shapes above.
   */
  @Test
  void aFunctionWithoutABackwardEdgeIsNotAnalysed() {
    LoopNest acyclic = LoopNest.compute(cfg(new int[][] {{1, 2}, {3}, {3}, {}}));
    assertFalse(acyclic.analysed);
    assertTrue(LoopNest.compute(cfg()).analysed);
    int skipped = 0;
    for (long seed = 0; seed < 300; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, TestEnvs.x64Like());
      BlockEdges edges = BlockEdges.of(f);
      LoopNest nest = LoopNest.compute(f, edges);
      LoopNest analysed = LoopNest.analyse(f, edges);
      skipped += nest.analysed ? 0 : 1;
      assertArrayEquals(analysed.depth, nest.depth, "seed " + seed);
      assertArrayEquals(analysed.innermost, nest.innermost, "seed " + seed);
      assertEquals(analysed.headers(), nest.headers(), "seed " + seed);
      for (LoopNest n : new LoopNest[] {nest, analysed}) {
        boolean someBlockInHull = false;
        for (boolean in : n.inHull) {
          someBlockInHull |= in;
        }
        assertEquals(someBlockInHull, n.anyHull, "seed " + seed);
      }
    }
    assertTrue(skipped > 0, "some random functions have no loop");
  }

  /**
   * A function that knows its loops ({@link RegAllocFunction#knownLoops}, the IR's from the lowering)
   * makes the nest without the dominator and loop analyses, and it is what they find: random
   * functions handed the loops {@link LoopNest#analyse} found.
   */
  @Test
  void aFunctionThatKnowsItsLoopsIsNotAnalysed() {
    int withLoops = 0;
    for (long seed = 0; seed < 300; seed++) {
      VCode<?> f = (VCode<?>) RandomFunctions.generate(seed, TestEnvs.x64Like());
      BlockEdges edges = BlockEdges.of(f);
      LoopNest analysed = LoopNest.analyse(f, edges);
      // Outermost first, as the lowering hands them: by depth.
      int[] ordered = analysed.headers().stream().boxed()
          .sorted(Comparator.comparingInt(h -> analysed.depth[h])).mapToInt(Integer::intValue).toArray();
      f.keepLoops(new BlockLoops(analysed.innermost, analysed.parent, ordered));
      LoopNest known = LoopNest.compute(f, edges);
      assertFalse(known.analysed, "seed " + seed);
      assertArrayEquals(analysed.depth, known.depth, "seed " + seed);
      assertArrayEquals(analysed.innermost, known.innermost, "seed " + seed);
      assertArrayEquals(analysed.inHull, known.inHull, "seed " + seed);
      for (int h : ordered) {
        assertEquals(analysed.parent[h], known.parent[h], "seed " + seed);
        assertEquals(analysed.hullStart[h], known.hullStart[h], "seed " + seed);
        assertEquals(analysed.hullEnd[h], known.hullEnd[h], "seed " + seed);
      }
      withLoops += ordered.length > 0 ? 1 : 0;
    }
    assertTrue(withLoops > 0, "some random functions have loops");
  }
}
