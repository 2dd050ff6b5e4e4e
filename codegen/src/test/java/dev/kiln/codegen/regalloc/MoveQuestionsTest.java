package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The analysis before the scans asks whether an instruction is a move once per instruction, on the
 * validator's walk: the scan's move hint asks about the instruction that defines the piece's vreg
 * when it gets that far ({@link AllocState#hint}), where a table of every vreg's move was filled
 * from a second pass over every instruction.
 */
class MoveQuestionsTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void theAnalysisAsksAboutEachInstructionOnce() {
    for (long seed = 0; seed < 50; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      HostileShapeWorkTest.CountingFunction counted = new HostileShapeWorkTest.CountingFunction(f);
      RegAllocator.Analysis.of(counted, ENV);
      assertEquals(f.numInsts(), counted.moveQuestions, "seed " + seed);
    }
  }
}
