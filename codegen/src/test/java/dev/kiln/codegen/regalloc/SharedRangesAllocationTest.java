package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
    long perValue = (buildBytes(2 * VALUES) - buildBytes(VALUES)) / VALUES;
    assertTrue(perValue <= 246, perValue
        + " bytes per value (266 with a pair of range arrays per piece, 226 now)");
  }

  /** The bytes {@link IntervalBuilder#build} allocates for {@code values} values, each defined then read. */
  private static long buildBytes(int values) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    List<VReg> vregs = new ArrayList<>();
    b.startBlock(entry, List.of());
    for (int k = 0; k < values; k++) {
      VReg v = b.newVReg(RegClass.INT);
      vregs.add(v);
      b.inst("const", List.of(Operand.defReg(v)));
    }
    for (VReg v : vregs) {
      b.inst("use", List.of(Operand.use(v, OperandConstraint.ANY)));
    }
    b.ret(List.of());
    return AllocatedBytes.ofIntervalBuild(b.build());
  }
}
