package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import org.junit.jupiter.api.Test;

/**
 * Many locals live across many structured blocks cost the SSA construction work in proportion to
 * the function, not to locals x blocks (issue 35, finding 5; a red-team module of 80 KB with 3,000
 * locals across 3,000 {@code if}s took 25 s and 3.2 GB to compile). The count is the values the
 * translation hands out: the paper's search made a parameter at every merge a local's read walks
 * through, found it trivial and left it as an alias, so the values grew with locals x merges
 * (16x at four times the size); reads now skip the regions a local was not assigned in. Counted,
 * not timed. The translated functions are also run on the IR interpreter.
 */
class LocalsAcrossRegionsTest {
  private static final int SIZE = 400;
  private static final long FUEL = 1_000_000;

  @Test
  void localsAcrossIfsTranslateInLinearWork() {
    assertLinear(HostileShapes.LOCALS_ACROSS_IFS);
  }

  @Test
  void localsAcrossBlocksTranslateInLinearWork() {
    assertLinear(HostileShapes.LOCALS_ACROSS_BLOCKS);
  }

  @Test
  void skippedRegionsStillComputeTheLocalsValues() {
    // Every if taken: each of the n ifs adds 2 in all; none taken: the locals stay zero.
    Function f = translate(HostileShapes.LOCALS_ACROSS_IFS, 200);
    Verifier.check(f);
    assertArrayEquals(new long[] {5 + 400}, Interpreter.run(f, FUEL, 0, 0, 5));
    assertArrayEquals(new long[] {0}, Interpreter.run(f, FUEL, 0, 0, 0));
    // n/8 locals set to arg + k, then n blocks that bump only the argument local, then the sum.
    Function blocks = translate(HostileShapes.LOCALS_ACROSS_BLOCKS, 64);
    Verifier.check(blocks);
    long arg = 3;
    long bumped = arg + 64L * 63 / 2; // local 0 += i after each block
    long expected = bumped;
    for (int k = 1; k <= 8; k++) {
      expected += arg + k;
    }
    assertArrayEquals(new long[] {(int) expected}, Interpreter.run(blocks, FUEL, 0, 0, arg));
  }

  private static void assertLinear(HostileShapes shape) {
    long small = translate(shape, SIZE).dfg().valueCount();
    long large = translate(shape, 4 * SIZE).dfg().valueCount();
    assertTrue(large <= 4.5 * small, shape + ": " + small + " values at size " + SIZE + ", " + large
        + " at " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
  }

  private static Function translate(HostileShapes shape, int n) {
    return FuncTranslator.translateUnoptimised(new ModuleEnvironment(Wasm.load(shape.module(n))), 0, new ReusedGraph());
  }
}
