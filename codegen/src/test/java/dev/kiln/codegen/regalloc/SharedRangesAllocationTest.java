package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder} puts every first piece's ranges in one pair of arrays for the function, a
 * window each ({@link LiveInterval}).
 * Counted ({@link AllocatedBytes}): the bytes {@link IntervalBuilder#build} allocates per value
 * defined and read once in one block, less the same function's with half the values.
 */
class SharedRangesAllocationTest {
  private static final int VALUES = 64;

  @Test
  void aPieceMakesNoArraysOfItsOwnForItsRanges() {
    long perValue = AllocatedBytes.perValueOfIntervalBuild(SharedRangesAllocationTest::definedThenRead, VALUES);
    assertTrue(perValue <= 246, perValue
        + " bytes per value (266 with a pair of range arrays per piece, 226 now)");
  }

  /** A function of {@code values} values defined in its one block, then each read. */
  private static RegAllocFunction definedThenRead(int values) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> vregs = b.defineInts(values);
    for (VReg v : vregs) {
      b.inst("use", List.of(Operand.use(v, OperandConstraint.ANY)));
    }
    b.ret(List.of());
    return b.build();
  }
}
