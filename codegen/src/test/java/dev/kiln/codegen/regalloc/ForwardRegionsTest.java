package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link ForwardRegions#farthestStart} reads a block's first jump before the descent from the longest:
 * a block that ends no region costs one read, where the descent read every level (about log2 of the
 * chain, 10 for the 1,000 diamonds here). Its answers are checked by {@link
 * LivenessTest}, against the liveness equations, on these diamonds among others.
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
}
