package dev.kiln.ir.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layout work of inlining many calls in one block, counted as the instructions the caller's
 * layout places ({@link Layout#instPlacements}), not timed: a call costs the callee's copies and at
 * most one move of the code after the call in its block, none for a callee whose one return is in
 * its entry. Moving that code out to a continuation block and, with one return, back again cost
 * each call the rest of its block twice: here the first of 200 calls, 800 instructions before its
 * block's end, placed 1,602 instructions.
 */
class CallInlinerWorkTest {
  private static final int CALLS = 200;
  /** Caller instructions after each call, before the next. */
  private static final int FILLER = 3;

  /** Straight-line: its one return in its entry block. */
  private static final String DOUBLE = """
      function u0:1(i64 vmctx, i64, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32):
          v3 = iadd.i32 v2, v2
          return v3
      }
      """;

  /** One return, in the block where its two paths join. */
  private static final String INCREMENT_NONZERO = """
      function u0:1(i64 vmctx, i64, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32):
          brif v2, block1, block2(v2)

      block1:
          v3 = iconst.i32 1
          v4 = iadd.i32 v2, v3
          jump block2(v4)

      block2(v5: i32):
          return v5
      }
      """;

  /** Two returns: the caller's code continues in a block of its own. */
  private static final String SEVEN_ON_ZERO = """
      function u0:1(i64 vmctx, i64, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32):
          brif v2, block1, block2

      block1:
          return v2

      block2:
          v3 = iconst.i32 7
          return v3
      }
      """;

  @Test
  void aStraightLineCalleeIsCopiedInPlaceWithoutMovingTheCallersCode() {
    Function callee = Parser.parseFunction(DOUBLE);
    for (Inlined call : inlineEveryCall(callee)) {
      assertEquals(instructions(callee), call.placements(), "call " + call.index() + " of " + CALLS + ", "
          + call.codeAfter() + " instructions before the block's end: the callee's copies alone");
    }
  }

  @Test
  void aCalleeReturningFromALaterBlockMovesTheCallersCodeOnce() {
    assertCodeAfterTheCallMovesOnce(Parser.parseFunction(INCREMENT_NONZERO));
  }

  @Test
  void aCalleeWithSeveralReturnsMovesTheCallersCodeOnce() {
    assertCodeAfterTheCallMovesOnce(Parser.parseFunction(SEVEN_ON_ZERO));
  }

  private static void assertCodeAfterTheCallMovesOnce(Function callee) {
    for (Inlined call : inlineEveryCall(callee)) {
      assertEquals(instructions(callee) + call.codeAfter(), call.placements(), "call " + call.index() + " of "
          + CALLS + ": the callee's copies and the " + call.codeAfter() + " instructions after the call, moved once");
    }
  }

  /** One call's inlining: its index, the caller instructions after it in its block, the placements it took. */
  private record Inlined(int index, int codeAfter, long placements) {}

  /**
   * Inlines each call of {@link #caller} in layout order, as the inliner does; checks the result
   * verifies and computes what the calls did.
   */
  private static List<Inlined> inlineEveryCall(Function callee) {
    Function caller = caller();
    Object[] expected = new Object[3];
    for (int arg = 0; arg < expected.length; arg++) {
      expected[arg] = CallInlinerTest.outcome(caller, callee, arg);
    }
    Layout layout = caller.layout();
    List<Integer> calls = new ArrayList<>();
    for (int inst = layout.firstInst(layout.entryBlock()); inst >= 0; inst = layout.nextInst(inst)) {
      if (caller.dfg().opcode(inst) == Opcode.CALL) {
        calls.add(inst);
      }
    }
    assertEquals(CALLS, calls.size());
    List<Inlined> inlined = new ArrayList<>();
    for (int call : calls) {
      int codeAfter = 0;
      for (int inst = layout.nextInst(call); inst >= 0; inst = layout.nextInst(inst)) {
        codeAfter++;
      }
      long before = layout.instPlacements();
      CallInliner.inline(caller, call, callee);
      inlined.add(new Inlined(inlined.size(), codeAfter, layout.instPlacements() - before));
    }
    Verifier.check(caller);
    for (int arg = 0; arg < expected.length; arg++) {
      assertEquals(expected[arg], CallInlinerTest.outcome(caller, null, arg), "caller(" + arg + ") after inlining");
    }
    assertTrue(inlined.getFirst().codeAfter() >= CALLS * FILLER, "the first call has the whole block after it");
    return inlined;
  }

  /**
   * {@link #CALLS} calls of {@code u0:1} in one block, each followed by {@link #FILLER} additions
   * of one of the caller's own, whose last sum the next call is passed.
   */
  private static Function caller() {
    StringBuilder text = new StringBuilder("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i32):
            v3 = iconst.i32 1
        """);
    int last = 2;
    int next = 4;
    for (int c = 0; c < CALLS; c++) {
      int result = next++;
      text.append("    v").append(result).append(" = call fn0(v0, v0, v").append(last).append(")\n");
      last = result;
      for (int f = 0; f < FILLER; f++) {
        int sum = next++;
        text.append("    v").append(sum).append(" = iadd.i32 v").append(last).append(", v3\n");
        last = sum;
      }
    }
    text.append("    return v").append(last).append("\n}\n");
    return Parser.parseFunction(text.toString());
  }

  private static int instructions(Function f) {
    int n = 0;
    for (int b : f.layout().blocks()) {
      n += f.layout().blockInsts(b).length;
    }
    return n;
  }
}
