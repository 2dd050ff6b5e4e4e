package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Resolution moves a FIXED output from its register to its piece, and a branch argument into its
 * block parameter, only for a vreg that something reads: the interval walk notes which as it meets
 * every read ({@link IntervalBuilder#read}), and resolution makes no pass of its own over every
 * operand to find out. Shown by making the resolution while every operand reads as an output: the
 * same allocations and moves (its own pass then found no operand that reads).
 */
class ReadVRegsTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void resolutionLearnsWhichVRegsAreReadFromTheIntervalWalk() {
    for (long seed = 0; seed < 100; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      RegAllocator.Analysis first = OperandShapesTest.scannedEveryClass(f, ENV);
      String expected =
          resolved(new Resolution(f, ENV, first.live(), first.ib(), first.state(), first.edges()));
      // A second analysis: resolution takes spare slots from the state for its cycles of moves.
      RegAllocator.Analysis a = OperandShapesTest.scannedEveryClass(f, ENV);
      int[] shapes = a.operands().shapes;
      int[] kept = shapes.clone();
      for (int k = 0; k < shapes.length; k++) {
        shapes[k] |= InstOperands.DEF;
      }
      Resolution made = new Resolution(f, ENV, a.live(), a.ib(), a.state(), a.edges());
      System.arraycopy(kept, 0, shapes, 0, kept.length);
      assertEquals(expected, resolved(made), "seed " + seed);
    }
  }

  private static String resolved(Resolution res) {
    return res.operandAllocations() + "\n" + res.edits();
  }
}
