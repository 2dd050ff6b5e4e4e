package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder} adds the range of a value live through blocks it does not mention straight
 * from liveness's runs, walking their intersection in place. Counted ({@link AllocatedBytes}): the
 * bytes {@link IntervalBuilder#build} allocates per value defined in the entry block, live through a
 * chain of jump blocks and read in the last, less the same function's with half the values.
 */
class ThroughRangesAllocationTest {
  private static final int VALUES = 64;

  @Test
  void aValueLiveThroughBlocksItDoesNotMentionCostsNoArrayOfThem() {
    long perValue = AllocatedBytes.perValueOfIntervalBuild(ThroughRangesAllocationTest::liveThroughEightBlocks, VALUES);
    assertTrue(perValue <= 400, perValue
        + " bytes per value live through blocks (433 with an array of those blocks per value, 377 now)");
  }

  /** A function of {@code values} values defined in its entry block, live through 8 blocks and read in the last. */
  private static RegAllocFunction liveThroughEightBlocks(int values) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int[] chain = new int[8];
    for (int k = 0; k < chain.length; k++) {
      chain[k] = b.newBlock();
    }
    int exit = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> vregs = b.defineInts(values);
    b.jump(chain[0], List.of());
    for (int k = 0; k < chain.length; k++) {
      b.startBlock(chain[k], List.of());
      b.jump(k + 1 < chain.length ? chain[k + 1] : exit, List.of());
    }
    b.startBlock(exit, List.of());
    for (VReg v : vregs) {
      b.inst("use", List.of(Operand.useReg(v)));
    }
    b.ret(List.of());
    return b.build();
  }
}
