package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * n locals set before a legacy {@code try} of n calls and read in its {@code catch_all} (the first
   * review's shape, 2026-11-28): each read searched every one of the dispatch's n unwind edges, n x n
   * steps (7.9 s of the translation's 8.7 at 8,000). The dispatch closes the try's region now
   * ({@code ExceptionHandlers.buildDispatch}), which a local the body does not assign skips. Counted
   * as the SSA builder's work ({@code FuncTranslator.builderWork}), at n and 4n: at most 5x. The same
   * with a {@code try_table} whose {@code catch_all} leaves for an enclosing block, whose end reads
   * them.
   */
  @Test
  void localsReadInAHandlerOfManyCallsTranslateInLinearWork() {
    List<String> over = new ArrayList<>();
    for (boolean legacy : new boolean[] {true, false}) {
      long small = builderWork(localsIntoAHandler(SIZE, legacy));
      long large = builderWork(localsIntoAHandler(4 * SIZE, legacy));
      if (large > 5 * small) {
        over.add((legacy ? "legacy try" : "try_table") + ": " + small + " steps at " + SIZE + ", " + large
            + " at " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
      }
    }
    assertTrue(over.isEmpty(), String.join("; ", over));
  }

  /** n locals set from the argument, then n calls in a try whose handler returns their xor. */
  private static byte[] localsIntoAHandler(int n, boolean legacy) {
    StringBuilder s = new StringBuilder("(module (func $f) (func (export \"_start\") (param i32) (result i32)");
    s.append("(local i32)".repeat(n));
    for (int i = 1; i <= n; i++) {
      s.append("(local.set ").append(i).append(" (i32.add (local.get 0) (i32.const ").append(i).append(")))");
    }
    StringBuilder reads = new StringBuilder("(i32.const 0)");
    for (int i = 1; i <= n; i++) {
      reads.append("(i32.xor (local.get ").append(i).append("))");
    }
    String calls = "(call $f)".repeat(n);
    if (legacy) {
      s.append("(try (do ").append(calls).append(") (catch_all ").append(reads).append(" (return)))");
    } else {
      s.append("(block $h (try_table (catch_all $h) ").append(calls).append(") (return (i32.const -1)))")
          .append(reads).append("(return)");
    }
    return Wat.toBinary(s.append("(i32.const -1)))").toString(), "handler.wat");
  }

  private static long builderWork(byte[] module) {
    return FuncTranslator.builderWork(new ModuleEnvironment(Wasm.load(module)), 1);
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
