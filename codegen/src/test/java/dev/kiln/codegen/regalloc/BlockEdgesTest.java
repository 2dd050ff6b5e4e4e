package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockEdges} holds what the function's lists say: every block's successors, predecessors and
 * parameters, every edge's arguments, and for each predecessor entry the edge it stands for (the one
 * {@link RegAllocFunction#predEdgeIndex} names), on seeded random functions with loops, critical
 * edges split and block parameters. VCode's own arrays ({@link RegAllocFunction#blockEdges}, made
 * when it is finished) hold what its blocks were built with: each block's targets and their
 * arguments, its parameters, and every edge once among its target's predecessors.
 */
class BlockEdgesTest {
  @Test
  void agreesWithTheFunctionsListsOnRandomFunctions() {
    int edgesWithArguments = 0;
    for (long seed = 0; seed < 500; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, TestEnvs.x64Like());
      BlockEdges edges = BlockEdges.of(f);
      assertSameArrays(edges, f.blockEdges(), seed);
      assertBuiltWith((VCode<?>) f, f.blockEdges(), seed);
      for (int b = 0; b < f.numBlocks(); b++) {
        List<Integer> succs = f.blockSuccs(b);
        assertEquals(succs.size(), edges.successorCount(b), "seed " + seed + " block " + b);
        for (int k = 0; k < succs.size(); k++) {
          int e = edges.edge(b, k);
          assertEquals((int) succs.get(k), edges.succ[e]);
          List<VReg> args = f.branchArgs(b, k);
          assertEquals(args.size(), edges.argStart[e + 1] - edges.argStart[e]);
          for (int j = 0; j < args.size(); j++) {
            assertEquals(args.get(j), edges.args[edges.argStart[e] + j]);
          }
          edgesWithArguments += args.isEmpty() ? 0 : 1;
        }
        List<Integer> preds = f.blockPreds(b);
        assertEquals(preds.size(), edges.predecessorCount(b));
        for (int j = 0; j < preds.size(); j++) {
          assertEquals((int) preds.get(j), edges.predecessor(b, j));
          assertEquals(edges.edge(preds.get(j), f.predEdgeIndex(b, j)), edges.inEdge[edges.predStart[b] + j]);
          assertEquals(b, edges.succ[edges.inEdge[edges.predStart[b] + j]], "the edge leads into the block");
        }
        List<VReg> params = f.blockParams(b);
        assertEquals(params.size(), edges.paramStart[b + 1] - edges.paramStart[b]);
        for (int j = 0; j < params.size(); j++) {
          assertEquals(params.get(j), edges.params[edges.paramStart[b] + j]);
        }
      }
    }
    // The functions exercise what is compared: edges that pass values to parameters.
    assertTrue(edgesWithArguments > 100, "edges with arguments: " + edgesWithArguments);
  }

  private static void assertSameArrays(BlockEdges read, BlockEdges kept, long seed) {
    assertArrayEquals(read.succStart, kept.succStart, "seed " + seed);
    assertArrayEquals(read.succ, kept.succ, "seed " + seed);
    assertArrayEquals(read.predStart, kept.predStart, "seed " + seed);
    assertArrayEquals(read.pred, kept.pred, "seed " + seed);
    assertArrayEquals(read.inEdge, kept.inEdge, "seed " + seed);
    assertArrayEquals(read.argStart, kept.argStart, "seed " + seed);
    assertArrayEquals(read.args, kept.args, "seed " + seed);
    assertArrayEquals(read.paramStart, kept.paramStart, "seed " + seed);
    assertArrayEquals(read.params, kept.params, "seed " + seed);
  }

  /** VCode's arrays against the targets and parameters its blocks were built with. */
  private static void assertBuiltWith(VCode<?> vc, BlockEdges edges, long seed) {
    int[] entered = new int[vc.numBlocks()];
    for (int b = 0; b < vc.numBlocks(); b++) {
      List<VCode.Target> targets = vc.targets(b);
      assertEquals(targets.size(), edges.successorCount(b), "seed " + seed);
      for (int k = 0; k < targets.size(); k++) {
        int e = edges.edge(b, k);
        assertEquals(targets.get(k).block(), edges.succ[e]);
        assertEquals(targets.get(k).args(),
            List.of(Arrays.copyOfRange(edges.args, edges.argStart[e], edges.argStart[e + 1])));
        // The edge is among its target's predecessor entries exactly once, from b.
        int s = edges.succ[e];
        int found = 0;
        for (int j = edges.predStart[s]; j < edges.predStart[s + 1]; j++) {
          if (edges.inEdge[j] == e) {
            assertEquals(b, edges.pred[j]);
            found++;
          }
        }
        assertEquals(1, found, "seed " + seed + " edge " + e);
        entered[s]++;
      }
    }
    for (int s = 0; s < vc.numBlocks(); s++) {
      assertEquals(entered[s], edges.predecessorCount(s), "seed " + seed + " block " + s);
    }
  }
}
