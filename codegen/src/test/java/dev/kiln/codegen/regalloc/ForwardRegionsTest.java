package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The work of finding regions: {@link ForwardRegions#farthestStart} reads a block's first jump before
 * the descent from the longest, so a block that ends no region costs one read, where the descent read
 * every level (about log2 of the chain, 10 for the 1,000 diamonds here); and the search for detours
 * reads a bounded number of edges per block. Their answers are checked by {@link LivenessTest},
 * against the liveness equations, on these shapes among others.
 */
class ForwardRegionsTest {
  private static final int DIAMONDS = 1000;

  @Test
  void aBlockEndingNoRegionCostsOneRead() {
    RegAllocFunction f = HostileShapeWorkTest.valuesAcrossDiamonds(DIAMONDS);
    ForwardRegions regions = ForwardRegions.of(BlockEdges.of(f));
    int blocks = f.numBlocks();
    int alone = 0;
    for (int j = 0; j < blocks; j++) {
      long before = regions.lookups;
      if (regions.farthestStart(j, -1) == j) {
        alone++;
        assertEquals(1, regions.lookups - before, "block " + j + " ends no region");
      }
    }
    assertTrue(alone > blocks / 2, alone + " of " + blocks + " blocks end no region");
    // Each diamond's join ends regions reaching back up the chain: a descent through all 10 levels
    // for it, one read for each other block. 13,012 reads here; a descent for every block read 30,020.
    assertTrue(regions.lookups <= 5L * blocks, regions.lookups + " reads for " + blocks + " blocks");
  }

  /**
   * With side exits, a block's climb for values defined in one block (here the entry) is made once:
   * every later value asking there, however many, reads nothing, and gets the same region and
   * detours.
   */
  @Test
  void aBlockClimbsOnceForTheValuesDefinedInOneBlock() {
    int steps = 1000;
    RegAllocFunction f = HostileShapeWorkTest.valuesAcrossWaysRound(steps,
        HostileShapeWorkTest.WaysRound.TWO_PADS_INTO_ONE_JOIN);
    BlockEdges edges = BlockEdges.of(f);
    ForwardRegions regions = ForwardRegions.of(edges).withSideExits(edges);
    int last = f.numBlocks() - steps - 1; // the block that reads the values, before a join per step
    int start = regions.farthestStart(last, 0);
    long hull = regions.detourHull(start, last);
    assertEquals(0, start, "the region from the entry");
    long lookups = regions.lookups;
    for (int value = 0; value < 100; value++) {
      assertEquals(start, regions.farthestStart(last, 0));
      assertEquals(hull, regions.detourHull(start, last));
    }
    assertEquals(lookups, regions.lookups, "the climb was made again");
  }

  /**
   * n blocks, each entered from a block of its own laid out at the end, from a dispatch there that
   * every one of them jumps back to (a switch in a loop, laid out with its dispatch last): looking back
   * from each block for detours meets the dispatch's predecessors, all n of them, until it finds the
   * block itself. Without the search's bound ({@code Detours.SEARCH_EDGES}) that was n^2 / 2 reads
   * (15.9x at 4n); with it, at most the bound per block.
   */
  @Test
  void theSearchForDetoursReadsABoundedNumberOfEdgesPerBlock() {
    long small = detourReads(handlersOfADispatchAfterThem(500));
    long large = detourReads(handlersOfADispatchAfterThem(2_000));
    assertTrue(small > 0, "the search looked past the blocks' own predecessors");
    assertTrue(large <= 4.5 * small, small + " reads at 500 blocks, " + large + " at 2,000 ("
        + String.format("%.1f", (double) large / small) + "x)");
  }

  private static RegAllocFunction handlersOfADispatchAfterThem(int n) {
    HostileShapeWorkTest.Graph g = new HostileShapeWorkTest.Graph();
    int entry = g.inline();
    int[] handlers = new int[n];
    for (int i = 0; i < n; i++) {
      handlers[i] = g.inline();
    }
    int dispatch = g.tail();
    int[] targets = new int[n + 1];
    for (int i = 0; i < n; i++) {
      int into = g.tail();
      g.edges(into, handlers[i]);
      g.edges(handlers[i], dispatch);
      targets[i] = into;
    }
    int exit = g.tail();
    g.edges(exit);
    targets[n] = exit;
    g.edges(entry, dispatch);
    g.edges(dispatch, targets);
    return g.valuesReadAt(1, exit);
  }

  private static long detourReads(RegAllocFunction f) {
    BlockEdges edges = BlockEdges.of(f);
    return ForwardRegions.of(edges).withSideExits(edges).detourReads;
  }
}
