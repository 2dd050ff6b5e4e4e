package dev.kiln.compiler.inline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import org.junit.jupiter.api.Test;

/**
 * A function of many calls of a tiny callee in one block ({@link HostileShapes#INLINED_CALLS}) is
 * inlined in work linear in the function: each copy goes in place, and the caller's code after the
 * call stays where it is. Moving that code out and back at every call cost calls x block length
 * (1,002,000 instructions placed for 1,000 calls, 15.9x the count for 250; a module of functions of
 * 10,000 calls of an empty function compiled at 0.07 MB/s, 91% of it in the inliner). Counted as
 * the instructions the caller's layout places while its calls are inlined ({@code
 * Layout.instPlacements}), at n and 4n calls, all within the caller's budget: at most 4.5x.
 */
class InlinedCallsWorkTest {
  private static final int SIZE = 250;
  private static final long FUEL = 1_000_000;

  @Test
  void callsOfAStraightLineCalleeAreInlinedInLinearWork() {
    long small = inliningPlacements(SIZE);
    long large = inliningPlacements(4 * SIZE);
    assertTrue(large <= 4.5 * small, small + " instructions placed inlining " + SIZE + " calls, " + large
        + " inlining " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
  }

  /** Both call shapes are inlined at every call and then compute what the calls did. */
  @Test
  void theCallShapesInlineEveryCallAndComputeTheirResults() {
    int n = 100;
    Function identities = inlined(HostileShapes.INLINED_CALLS, n);
    for (long arg : new long[] {0, 5}) {
      assertArrayEquals(new long[] {arg}, Interpreter.run(identities, FUEL, 0, 0, arg));
    }
    Function increments = inlined(HostileShapes.INLINED_BRANCHING_CALLS, n);
    assertArrayEquals(new long[] {n}, Interpreter.run(increments, FUEL, 0, 0, 0)); // 1, then n - 1 more
    assertArrayEquals(new long[] {5 + n}, Interpreter.run(increments, FUEL, 0, 0, 5));
  }

  private static long inliningPlacements(int calls) {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(HostileShapes.INLINED_CALLS.module(calls)));
    Function f = FuncTranslator.translateUnoptimised(env, 0, new ReusedGraph());
    long before = f.layout().instPlacements();
    assertEquals(calls, new Inliner(env).inlineCalls(f));
    return f.layout().instPlacements() - before;
  }

  /** The shape's function at size {@code n} with its calls inlined, every one of them. */
  private static Function inlined(HostileShapes shape, int n) {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(shape.module(n)));
    Function f = FuncTranslator.translateUnoptimised(env, 0, new ReusedGraph());
    assertEquals(n, new Inliner(env).inlineCalls(f), shape + ": every call inlined");
    Verifier.check(f);
    return f;
  }
}
