package dev.kiln.ir.inline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inlining checked by running: the caller before and after (the IR interpreter, calls served by
 * interpreting the callee) gives the same results and traps for many arguments; the result
 * verifies, prints and re-parses to itself, and its instructions name the right sites.
 */
class CallInlinerTest {
  /** {@code sum(n)}: a loop, two returns (n < 0 returns -1 at once) and a trap when n == 1000. */
  private static final String SUM = """
      function u0:1(i64 vmctx, i64, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32):
          @0100 v3 = iconst.i32 0
          @0102 v4 = icmp slt v2, v3
          @0104 brif v4, block3, block1(v3, v3)

      block1(v5: i32, v6: i32):
          @0106 v7 = icmp slt v5, v2
          @0108 brif v7, block2, block4

      block2:
          @010a v8 = iadd.i32 v6, v5
          @010c v9 = iconst.i32 1
          @010e v10 = iadd.i32 v5, v9
          @0110 jump block1(v10, v8)

      block3:
          @0112 v11 = iconst.i32 -1
          @0114 return v11

      block4:
          @0116 v12 = iconst.i32 1000
          @0118 v13 = icmp eq v2, v12
          @011a brif v13, block5, block6

      block5:
          @011a trap unreachable

      block6:
          @011c return v6
      }
      """;

  /** {@code twice(a, b) = sum(a) * 3 + sum(b)}, the calls in the middle of blocks. */
  private static final String TWICE = """
      function u0:0(i64 vmctx, i64, i32, i32) -> i32 {
          sig0 = (i64 vmctx, i64, i32) -> i32
          fn0 = u0:1 sig0

      block0(v0: i64, v1: i64, v2: i32, v3: i32):
          @0010 v4 = call fn0(v0, v0, v2)
          @0012 v5 = iconst.i32 3
          @0014 v6 = imul.i32 v4, v5
          @0016 v7 = call fn0(v0, v0, v3)
          @0018 v8 = iadd.i32 v6, v7
          @001a return v8
      }
      """;

  private static final int[] ARGUMENTS = {-5, -1, 0, 1, 2, 7, 40, 999, 1000};

  @Test
  void inlinedCallsComputeWhatTheCallsDid() {
    Function callee = Parser.parseFunction(SUM);
    Function caller = Parser.parseFunction(TWICE);
    Map<String, Object> expected = new java.util.HashMap<>();
    for (int a : ARGUMENTS) {
      for (int b : ARGUMENTS) {
        expected.put(a + "," + b, outcome(caller, callee, a, b));
      }
    }
    DataFlowGraph dfg = caller.dfg();
    int first = callAt(caller, 0x10);
    int second = callAt(caller, 0x16);
    assertEquals(0, CallInliner.inline(caller, first, callee));
    assertEquals(1, CallInliner.inline(caller, second, callee));
    Verifier.check(caller);

    assertFalse(Printer.print(caller).contains("call fn0"), Printer.print(caller));
    for (int a : ARGUMENTS) {
      for (int b : ARGUMENTS) {
        assertEquals(expected.get(a + "," + b), outcome(caller, callee, a, b), "twice(" + a + ", " + b + ")");
      }
    }
    assertEquals(new InlineSite(new ExternalName.User(0, 1), 0x10, InlineSite.NONE), dfg.inlineSite(0));
    assertEquals(new InlineSite(new ExternalName.User(0, 1), 0x16, InlineSite.NONE), dfg.inlineSite(1));
    // Every instruction from the callee names its site and keeps its offset; the caller's own keep none.
    for (int b : caller.layout().blocks()) {
      for (int inst : caller.layout().blockInsts(b)) {
        int loc = dfg.sourceLoc(inst);
        assertEquals(loc >= 0x100 ? "site" : "own", dfg.inlineSiteOf(inst) == InlineSite.NONE ? "own" : "site",
            Printer.printInst(caller, inst));
      }
    }
    String text = Printer.print(caller);
    assertEquals(text, Printer.print(Parser.parseFunction(text)));
    // The trap blocks (cold paths) went to the end of the caller, after its return.
    int last = caller.layout().lastBlock();
    assertEquals(Opcode.TRAP, dfg.opcode(caller.layout().lastInst(last)), text);
    assertEquals(Opcode.TRAP, dfg.opcode(caller.layout().lastInst(caller.layout().prevBlock(last))), text);
  }

  /**
   * A callee that itself had a call inlined: its sites are copied under the new one, so the walk
   * from the innermost instruction names the callee's callee, the callee, then the caller.
   */
  @Test
  void sitesOfAnInlinedCalleeNestUnderTheNewSite() {
    Function sum = Parser.parseFunction(SUM);
    Function middle = Parser.parseFunction("""
        function u0:2(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0200 v3 = call fn0(v0, v0, v2)
            @0202 return v3
        }
        """);
    CallInliner.inline(middle, callAt(middle, 0x200), sum);
    Function top = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:2 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0020 v3 = call fn0(v0, v0, v2)
            @0022 return v3
        }
        """);
    int outer = CallInliner.inline(top, callAt(top, 0x20), middle);
    Verifier.check(top);
    DataFlowGraph dfg = top.dfg();
    assertEquals(new InlineSite(new ExternalName.User(0, 2), 0x20, InlineSite.NONE), dfg.inlineSite(outer));
    assertEquals(new InlineSite(new ExternalName.User(0, 1), 0x200, outer), dfg.inlineSite(outer + 1));
    boolean sawSumCode = false;
    for (int b : top.layout().blocks()) {
      for (int inst : top.layout().blockInsts(b)) {
        if (dfg.sourceLoc(inst) >= 0x100 && dfg.sourceLoc(inst) < 0x200) {
          assertEquals(outer + 1, dfg.inlineSiteOf(inst), Printer.printInst(top, inst));
          sawSumCode = true;
        }
      }
    }
    assertTrue(sawSumCode);
    for (int n : ARGUMENTS) {
      assertEquals(outcome(Parser.parseFunction(SUM), null, n), outcome(top, null, n), "top(" + n + ")");
    }
  }

  /**
   * Inlined at a call that is a GC safepoint, every call of the callee's body becomes one with the
   * call site's stack map: a collection under it must rewrite the caller's slots as under the call.
   */
  @Test
  void callsInlinedAtASafepointCarryItsStackMap() {
    Function middle = Parser.parseFunction("""
        function u0:2(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0200 v3 = call fn0(v0, v0, v2)
            @0202 v4 = call fn0(v0, v0, v3)
            @0204 return v4
        }
        """);
    Function top = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:2 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0020 v3 = call fn0(v0, v0, v2)
            @0022 return v3
        }
        """);
    top.dfg().setStackMap(callAt(top, 0x20), new int[] {0, 2});
    CallInliner.inline(top, callAt(top, 0x20), middle);
    Verifier.check(top);
    assertArrayEquals(new int[] {0, 2}, top.dfg().stackMap(callAt(top, 0x200)));
    assertArrayEquals(new int[] {0, 2}, top.dfg().stackMap(callAt(top, 0x202)));

    Function plain = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:2 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0020 v3 = call fn0(v0, v0, v2)
            @0022 return v3
        }
        """);
    CallInliner.inline(plain, callAt(plain, 0x20), middle);
    assertNull(plain.dfg().stackMap(callAt(plain, 0x200)), "no safepoint, no stack map");
  }

  /** A callee with one return leaves straight-line code straight: one block, no jump, no parameter. */
  @Test
  void aSingleReturnCalleeMergesIntoTheCallersBlock() {
    Function twice = Parser.parseFunction("""
        function u0:1(i64 vmctx, i64, i32) -> i32 {
        block0(v0: i64, v1: i64, v2: i32):
            @0100 v3 = iadd.i32 v2, v2
            @0102 return v3
        }
        """);
    Function caller = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0010 v3 = iconst.i32 5
            @0012 v4 = call fn0(v0, v0, v2)
            @0014 v5 = iadd.i32 v4, v3
            @0016 return v5
        }
        """);
    CallInliner.inline(caller, callAt(caller, 0x12), twice);
    Verifier.check(caller);
    String text = Printer.print(caller);
    assertEquals(1, caller.layout().blocks().length, text);
    assertFalse(text.contains("jump"), text);
    for (int n : ARGUMENTS) {
      assertEquals((long) (2 * n + 5), outcome(caller, null, n), text);
    }
  }

  @Test
  void tailCallsAndCalleesThatNeverReturnAreRefused() {
    Function tail = Parser.parseFunction("""
        function u0:1(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32) -> i32
            fn0 = u0:3 sig0

        block0(v0: i64, v1: i64, v2: i32):
            return_call fn0(v0, v0, v2)
        }
        """);
    Function traps = Parser.parseFunction("""
        function u0:1(i64 vmctx, i64, i32) -> i32 {
        block0(v0: i64, v1: i64, v2: i32):
            trap unreachable
        }
        """);
    assertFalse(CallInliner.canInline(tail));
    assertFalse(CallInliner.canInline(traps));
    assertTrue(CallInliner.canInline(Parser.parseFunction(SUM)));
    Function caller = Parser.parseFunction(TWICE);
    assertThrows(IllegalArgumentException.class, () -> CallInliner.inline(caller, callAt(caller, 0x10), tail));
  }

  /**
   * A constant argument reaches the copies that read it: {@code x * y + x * z} called with {@code z}
   * a constant 0 (how compiler-rt's __multi3 is called for a 64x64-bit multiply) keeps one multiply
   * and no add, and still computes {@code x * y}.
   */
  @Test
  void aConstantArgumentSimplifiesTheCopiesItReaches() {
    Function callee = Parser.parseFunction("""
        function u0:1(i64 vmctx, i64, i64, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
            @0100 v5 = imul.i64 v2, v3
            @0102 v6 = imul.i64 v2, v4
            @0104 v7 = iadd.i64 v5, v6
            @0106 return v7
        }
        """);
    Function caller = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i64, i64) -> i64 {
            sig0 = (i64 vmctx, i64, i64, i64, i64) -> i64
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            @0010 v4 = iconst.i64 0
            @0012 v5 = call fn0(v0, v0, v2, v3, v4)
            @0014 return v5
        }
        """);
    CallInliner.inline(caller, callAt(caller, 0x12), callee);
    caller.dfg().resolveAllAliases();
    Verifier.check(caller);
    String text = Printer.print(caller);
    assertEquals(1, text.split("imul", -1).length - 1, text);
    assertFalse(text.contains("iadd"), text);
    for (long x : new long[] {0, 3, -7, Long.MIN_VALUE}) {
      for (long y : new long[] {1, 5, -1, 0x1_0000_0001L}) {
        assertEquals(x * y, Interpreter.run(caller, 100, 0, 0, x, y)[0], text);
      }
    }
  }

  /**
   * A constant argument decides the callee's branch on it: the copy is a jump, and dead-code
   * elimination then removes the side not taken; the caller still computes what the call did.
   */
  @Test
  void aConstantArgumentDecidesTheCopiedBranchOnIt() {
    Function callee = Parser.parseFunction("""
        function u0:1(i64 vmctx, i64, i32, i32) -> i32 {
        block0(v0: i64, v1: i64, v2: i32, v3: i32):
            @0100 brif v2, block1, block2

        block1:
            @0102 v4 = iconst.i32 2
            @0104 v5 = imul.i32 v3, v4
            @0106 return v5

        block2:
            @0108 v6 = iconst.i32 7
            @010a v7 = iadd.i32 v3, v6
            @010c return v7
        }
        """);
    Function caller = Parser.parseFunction("""
        function u0:0(i64 vmctx, i64, i32) -> i32 {
            sig0 = (i64 vmctx, i64, i32, i32) -> i32
            fn0 = u0:1 sig0

        block0(v0: i64, v1: i64, v2: i32):
            @0010 v3 = iconst.i32 1
            @0012 v4 = call fn0(v0, v0, v3, v2)
            @0014 return v4
        }
        """);
    CallInliner.inline(caller, callAt(caller, 0x12), callee);
    assertFalse(Printer.print(caller).contains("brif"), Printer.print(caller));
    new dev.kiln.ir.pass.PassPipeline(java.util.List.of(new dev.kiln.ir.pass.DeadCodeElimination()), true)
        .run(caller);
    String text = Printer.print(caller);
    assertFalse(text.contains("iadd"), text);
    for (int x : new int[] {0, 5, -9, Integer.MAX_VALUE}) {
      assertEquals(x * 2, (int) Interpreter.run(caller, 100, 0, 0, x)[0], text);
    }
  }

  private static int callAt(Function f, int loc) {
    for (int b : f.layout().blocks()) {
      for (int inst : f.layout().blockInsts(b)) {
        if (f.dfg().opcode(inst) == Opcode.CALL && f.dfg().sourceLoc(inst) == loc) {
          return inst;
        }
      }
    }
    throw new AssertionError("no call at " + loc);
  }

  /** The result, or the trap, of {@code f(vmctx, vmctx, args...)} with calls served by {@code callee}. */
  static Object outcome(Function f, Function callee, int... args) {
    long[] all = new long[args.length + 2];
    for (int i = 0; i < args.length; i++) {
      all[i + 2] = args[i];
    }
    Interpreter interpreter = new Interpreter(new Interpreter.Environment() {
      @Override
      public long load(long address, int width) {
        throw new IllegalStateException("no memory");
      }

      @Override
      public void store(long address, int width, long value) {
        throw new IllegalStateException("no memory");
      }

      @Override
      public long[] call(ExternalName name, long[] callArgs) {
        return interpret(callee, callArgs);
      }
    });
    interpreter.refuel(1_000_000);
    try {
      return interpreter.execute(f, all)[0];
    } catch (Interpreter.Trap trap) {
      TrapCode code = trap.code();
      return code;
    }
  }

  private static long[] interpret(Function f, long[] args) {
    Interpreter inner = new Interpreter(Interpreter.NO_MEMORY);
    inner.refuel(1_000_000);
    return inner.execute(f, args);
  }
}
