package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockEdges} holds what the function's lists say: every block's successors, predecessors and
 * parameters, every edge's arguments, and for each predecessor entry the edge it stands for (the one
 * {@link RegAllocFunction#predEdgeIndex} names), on seeded random functions with loops, critical
 * edges split and block parameters.
 */
class BlockEdgesTest {
  @Test
  void agreesWithTheFunctionsListsOnRandomFunctions() {
    int edgesWithArguments = 0;
    for (long seed = 0; seed < 500; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, TestEnvs.x64Like());
      BlockEdges edges = BlockEdges.of(f);
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
}
