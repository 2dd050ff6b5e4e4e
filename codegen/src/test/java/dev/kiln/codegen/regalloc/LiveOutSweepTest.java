package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link LiveOutSweep} answers, block by block, what {@link Liveness#isLiveOut} answers by searching
 * each vreg's runs; the interval walk asks it for every vreg a block mentions.
 */
class LiveOutSweepTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void itAgreesWithLivenessInEveryBlock() {
    for (long seed = 0; seed < 200; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      Liveness live = RegAllocator.Analysis.of(f, ENV).live();
      LiveOutSweep sweep = new LiveOutSweep(live, f.numVRegs(), f.numBlocks());
      for (int b = 0; b < f.numBlocks(); b++) {
        sweep.enter(b);
        for (int v = 0; v < f.numVRegs(); v++) {
          assertEquals(live.isLiveOut(v, b), sweep.isLiveOut(v),
              "seed " + seed + ": v" + v + " out of block " + b);
        }
      }
    }
  }

  @Test
  void blocksAreEnteredInOrder() {
    RegAllocFunction f = RandomFunctions.generate(1, ENV);
    Liveness live = RegAllocator.Analysis.of(f, ENV).live();
    LiveOutSweep sweep = new LiveOutSweep(live, f.numVRegs(), f.numBlocks());
    assertThrows(IllegalStateException.class, () -> sweep.enter(1));
  }
}
