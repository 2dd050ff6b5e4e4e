package dev.kiln.ir.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.verify.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionBuilderTest {
  private static long run(Function f, long... args) {
    return Interpreter.run(f, 1_000_000, args)[0];
  }

  /** A builder of a function {@code name} from an i32 to an i32. */
  private static FunctionBuilder i32ToI32(String name) {
    return new FunctionBuilder(FunctionBuilderGoldenTest.newFunction(name, List.of(Type.I32), List.of(Type.I32)));
  }

  /** Makes the entry block current and seals it; returns the function's parameters. */
  private static int[] enterSealed(FunctionBuilder b) {
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    return p;
  }

  @Test
  void whileLoopComputesTheSumAndHasTwoHeaderParameters() {
    Function f = FunctionBuilderGoldenTest.whileLoop();
    assertTrue(Verifier.verify(f).isEmpty(), () -> Verifier.verify(f).toString());
    assertEquals(2, f.dfg().blockParamCount(1), "i and sum change in the loop, n does not");
    for (int n = 0; n <= 12; n++) {
      assertEquals(n * (n - 1) / 2, run(f, n), "n=" + n);
    }
  }

  @Test
  void nestedLoopsSealedLateComputeTheSum() {
    Function f = FunctionBuilderGoldenTest.nestedLoopsSealedLate();
    Verifier.check(f);
    for (int n = 0; n <= 8; n++) {
      long expected = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          expected += j;
        }
      }
      assertEquals(expected, run(f, n), "n=" + n);
    }
  }

  @Test
  void diamondSelectsTheAssignedValue() {
    Function f = FunctionBuilderGoldenTest.diamond();
    Verifier.check(f);
    assertEquals(1, f.dfg().blockParamCount(2));
    assertEquals(20 + 1, run(f, 1, 10, 20));
    assertEquals(10, run(f, 0, 10, 20));
  }

  @Test
  void switchPassesExplicitAndBuilderArguments() {
    Function f = FunctionBuilderGoldenTest.switchWithBlockResult();
    Verifier.check(f);
    assertEquals(10 + 100, run(f, 0, 7));
    assertEquals(1 + 7, run(f, 1, 7));
    assertEquals(-1 + 7, run(f, 2, 7));
    assertEquals(-1 + 7, run(f, -1, 7), "br_table index is unsigned: out of range");
  }

  /** A loop with two back edges ({@code continue} twice) that never changes x: no parameter. */
  @Test
  void unchangedVariableAcrossSeveralBackEdgesNeedsNoParameter() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("two_latches",
        List.of(Type.I32, Type.I32), List.of(Type.I32)));
    int entry = b.createBlock();
    int header = b.createBlock();
    int left = b.createBlock();
    int right = b.createBlock();
    int exit = b.createBlock();
    int x = b.declareVar(Type.I32);
    int k = b.declareVar(Type.I32);
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(x, p[0]);
    b.defVar(k, p[1]);
    b.ins().jump(header);
    b.switchToBlock(header);
    int kNow = b.useVar(k);
    b.defVar(k, b.ins().isub(kNow, b.ins().iconst(Type.I32, 1)));
    b.ins().brif(b.ins().icmp(IntCC.SGT, kNow, b.ins().iconst(Type.I32, 0)), left, exit);
    b.switchToBlock(left);
    b.sealBlock(left);
    b.ins().brif(b.ins().band(b.useVar(k), b.ins().iconst(Type.I32, 1)), header, right);
    b.switchToBlock(right);
    b.sealBlock(right);
    b.ins().jump(header);
    b.sealBlock(header);
    b.switchToBlock(exit);
    b.sealBlock(exit);
    b.ins().ret(b.useVar(x));
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(1, f.dfg().blockParamCount(header), "only k is a loop parameter");
    assertEquals(42, run(f, 42, 5));
  }

  /** A block read before any predecessor exists gets an incomplete parameter, filled on sealing. */
  @Test
  void readingInUnsealedBlockBeforeItsPredecessorsExist() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("late_preds",
        List.of(Type.I64), List.of(Type.I64)));
    int entry = b.createBlock();
    int join = b.createBlock();
    int other = b.createBlock();
    int v = b.declareVar(Type.I64);
    b.switchToBlock(entry); // first in the layout: the entry block
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.switchToBlock(join);
    int read = b.useVar(v); // nothing branches here yet
    b.ins().ret(read);
    b.switchToBlock(entry); // back to the unfinished entry block
    b.defVar(v, p[0]);
    b.ins().brif(b.ins().unary(Opcode.IREDUCE, Type.I32, p[0]), join, other);
    b.switchToBlock(other);
    b.sealBlock(other);
    b.defVar(v, b.ins().iconst(Type.I64, 99));
    b.ins().jump(join);
    b.sealBlock(join);
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(1, f.dfg().blockParamCount(join));
    assertEquals(5, run(f, 5));
    assertEquals(99, run(f, 0));
  }

  /** A parameter that turns out trivial only once its block is sealed becomes an alias. */
  @Test
  void trivialParameterIsRemovedAtSealing() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("trivial",
        List.of(Type.I32), List.of(Type.I32)));
    int entry = b.createBlock();
    int join = b.createBlock();
    int v = b.declareVar(Type.I32);
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(v, p[0]);
    b.ins().brif(p[0], join, join);
    b.switchToBlock(join);
    int read = b.useVar(v);
    b.ins().ret(read);
    b.sealBlock(join);
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(0, f.dfg().blockParamCount(join));
    assertEquals(DataFlowGraph.VALUE_ALIAS, f.dfg().valueKind(read));
    int ret = f.layout().lastInst(join);
    assertArrayEquals(new int[] {p[0]}, f.dfg().args(ret), "alias resolved by finish()");
  }

  @Test
  void readsInTheEntryBlockWithoutDefinitionYieldZero() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("zero",
        List.of(), List.of(Type.I64)));
    int entry = b.createBlock();
    int v = b.declareVar(Type.I64);
    b.switchToBlock(entry);
    b.sealBlock(entry);
    b.ins().ret(b.useVar(v));
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(0, run(f));
  }

  @Test
  void sourceLocationsGoToTheInstructionsBuiltAfterThem() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("locs",
        List.of(), List.of(Type.I32)));
    int entry = b.createBlock();
    b.switchToBlock(entry);
    b.sealBlock(entry);
    b.setSourceLoc(0x2a);
    int k = b.ins().iconst(Type.I32, 3);
    b.setSourceLoc(DataFlowGraph.NO_SOURCE_LOC);
    int ret = b.ins().ret(k);
    Function f = b.finish();
    assertEquals(0x2a, f.dfg().sourceLoc(f.dfg().valueDef(k)));
    assertEquals(DataFlowGraph.NO_SOURCE_LOC, f.dfg().sourceLoc(ret));
    assertEquals("@002a v0 = iconst.i32 3", dev.kiln.ir.text.Printer.printInst(f, f.dfg()
        .valueDef(k)));
  }

  @Test
  void misuseIsRejected() {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("misuse",
        List.of(Type.I32), List.of()));
    int entry = b.createBlock();
    int next = b.createBlock();
    int var = b.declareVar(Type.I64);
    assertThrows(IllegalStateException.class, () -> b.useVar(var), "no current block");
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    assertThrows(IllegalArgumentException.class, () -> b.defVar(var, p[0]), "type mismatch");
    b.sealBlock(next);
    assertThrows(IllegalStateException.class, () -> b.ins().jump(next), "sealed target");
    int open = b.createBlock();
    b.ins().jump(open);
    assertThrows(IllegalStateException.class, () -> b.appendBlockParam(open, Type.I32),
        "explicit parameters must precede branches");
    assertThrows(IllegalStateException.class, () -> b.ins().ret(), "block already terminated");
    b.switchToBlock(open);
    b.ins().ret();
    assertThrows(IllegalStateException.class, b::finish, "open block is not sealed");
  }
  @Test
  void assignmentsAndReadsInTheAssigningBlockTakeNoTableAccess() {
    // local.set / local.tee then local.get in one block, as translated code does most of the time:
    // the variable's latest assignment answers, without a hash and probe of the definitions table.
    FunctionBuilder b = i32ToI32("sets");
    int[] p = enterSealed(b);
    int var = b.declareVar(Type.I32);
    b.defVar(var, p[0]);
    for (int i = 0; i < 100; i++) {
      b.defVar(var, b.ins().iadd(b.useVar(var), b.ins().iconst(Type.I32, 1)));
    }
    assertEquals(0, b.definitionTableAccesses());
    int next = b.createBlock();
    b.ins().jump(next);
    b.switchToBlock(next);
    b.sealBlock(next);
    int read = b.useVar(var);
    b.useVar(var);
    b.ins().ret(read);
    // The read in the next block: one miss there, the value remembered there, one hit there.
    assertEquals(3, b.definitionTableAccesses());
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(100 + 7, run(f, 7));
  }

  @Test
  void aReadClimbsPastTheBlocksEnteredFromOneBlock() {
    // A chain of br_if fall-throughs, each block entered from the one before only and sealed before
    // it holds code. The read at the chain's end read on through every block, with a lookup and an
    // insertion in the definitions table at each (2 x 1,024 accesses); it now climbs the chain with
    // the regions' jump pointers, a step or two per level of a skew-binary tree. The branches all
    // lead to one merge, where the variable is read again.
    int chain = 1024;
    FunctionBuilder b = i32ToI32("chain");
    int[] p = enterSealed(b);
    int var = b.declareVar(Type.I32);
    b.defVar(var, b.ins().iadd(p[0], b.ins().iconst(Type.I32, 1)));
    int exit = b.createBlock();
    for (int i = 0; i < chain; i++) {
      int next = b.createBlock();
      b.ins().brif(p[0], exit, next);
      b.sealBlock(next);
      b.switchToBlock(next);
    }
    b.ins().ret(b.useVar(var));
    // One miss in the last block and the value remembered there; the entry's is the latest.
    assertEquals(2, b.definitionTableAccesses());
    assertTrue(b.regionClimbSteps() <= 2 * 10, b.regionClimbSteps() + " steps up 1,024 blocks");
    b.sealBlock(exit);
    b.switchToBlock(exit);
    long before = b.definitionTableAccesses();
    b.ins().ret(b.useVar(var));
    // The read at the merge of the 1,024 branches: one miss at the merge and a lookup in each
    // predecessor but the entry (whose value is the latest), which climbs to the entry; the
    // parameter and then the value it resolves to remembered at the merge. The predecessors do not
    // remember what they found (one insertion each before).
    assertEquals(1 + 1023 + 2, b.definitionTableAccesses() - before);
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(1, run(f, 0), "down the chain: the entry's value");
    assertEquals(6, run(f, 5), "out at the first branch: the entry's value");
  }

  /**
   * {@code loops} loops in a row, {@code (loop (br_if 0 (p0)))} (with {@code brIfs} of them) as the
   * translator builds them, with {@code vars} variables assigned before and read after: returns the
   * builder after the reads, whose results are summed and returned.
   */
  private static FunctionBuilder variablesReadAfterLoops(int vars, int loops, int brIfs) {
    FunctionBuilder b = i32ToI32("loops");
    int[] p = enterSealed(b);
    int[] var = new int[vars];
    for (int v = 0; v < vars; v++) {
      var[v] = b.declareVar(Type.I32);
      b.defVar(var[v], b.ins().iconst(Type.I32, v + 1));
    }
    for (int i = 0; i < loops; i++) {
      FunctionBuilder.Region region = b.beginRegion();
      int header = b.createBlock();
      b.ins().jump(header);
      b.switchToBlock(header);
      for (int k = 0; k < brIfs; k++) {
        int next = b.createBlock();
        b.ins().brif(p[0], header, next);
        b.sealBlock(next);
        b.switchToBlock(next);
      }
      b.sealBlock(header, region);
    }
    int sum = b.ins().iconst(Type.I32, 0);
    for (int v = 0; v < vars; v++) {
      sum = b.ins().iadd(sum, b.useVar(var[v]));
    }
    b.ins().ret(sum);
    return b;
  }

  @Test
  void readsAfterLoopsInARowClimbPastThem() {
    // Each loop's fall-through is sealed (an empty region entered from the header) before the loop's
    // end seals the header: it waits for the header and is linked under it then. A read climbed one
    // loop at a time before, two steps a loop (4,096 for 2,048 loops); now twice up a skew-binary
    // chain, a few steps a level.
    int vars = 16;
    int loops = 2_048;
    FunctionBuilder b = variablesReadAfterLoops(vars, loops, 1);
    long perRead = b.regionClimbSteps() / vars;
    assertTrue(perRead <= 4 * 12, perRead + " climb steps a read, after " + loops + " loops");
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(vars * (vars + 1) / 2, run(f, 0));
    assertEquals(0, f.dfg().blockParamCount(1), "no loop header needs a parameter");
    // Two br_ifs a loop: the second's fall-through is linked under the first while that is still a
    // root, and the first under the header at the loop's end, which moves both down. With their
    // depths kept as they were, the jumps linked later were short: 6,143 steps a read; with the
    // depths kept relative to their root, 2,049. Still a step a loop: the second's jump was made
    // while the first was a root (issue 40's note).
    FunctionBuilder two = variablesReadAfterLoops(vars, loops, 2);
    long twoPerRead = two.regionClimbSteps() / vars;
    assertTrue(twoPerRead <= loops * 5 / 4, twoPerRead + " climb steps a read, after " + loops + " loops of two br_ifs");
    Function g = two.finish();
    Verifier.check(g);
    assertEquals(vars * (vars + 1) / 2, run(g, 0));
  }

  @Test
  void aClimbFromInsideALoopStopsAtTheLoopSealedAfterIt() {
    // (block $out (loop $l (br_if $l p0) (if (p0) (then)) (br_if $out (y == 7)) (x = 7) (y = 7)
    // (br $l))) then x: the if's merge is sealed, then x is assigned on the way to the back edge,
    // then the loop's end seals the header, under which the br_if's fall-through (the if's parent)
    // is then linked. A read of x after the block reaches the if's merge, whose climb looks for x's
    // assignments before that merge was sealed: it must stop below the header, whose parameter gets
    // the 7 (climbing past it gave the 1 from before the loop).
    FunctionBuilder b = i32ToI32("latch");
    int[] p = enterSealed(b);
    int x = b.declareVar(Type.I32);
    b.defVar(x, b.ins().iconst(Type.I32, 1));
    int y = b.declareVar(Type.I32);
    b.defVar(y, b.ins().iconst(Type.I32, 1));
    FunctionBuilder.Region outer = b.beginRegion();
    int out = b.createBlock();
    FunctionBuilder.Region loop = b.beginRegion();
    int header = b.createBlock();
    b.ins().jump(header);
    b.switchToBlock(header);
    int fallThrough = b.createBlock();
    b.ins().brif(p[0], header, fallThrough);
    b.sealBlock(fallThrough);
    b.switchToBlock(fallThrough);
    FunctionBuilder.Region ifRegion = b.beginRegion();
    int merge = b.createBlock();
    int then = b.createBlock();
    int otherwise = b.createBlock();
    b.ins().brif(p[0], then, otherwise);
    b.sealBlock(then);
    b.sealBlock(otherwise);
    b.switchToBlock(then);
    b.ins().jump(merge);
    b.switchToBlock(otherwise);
    b.ins().jump(merge);
    b.switchToBlock(merge);
    b.sealBlock(merge, ifRegion);
    int stay = b.createBlock();
    b.ins().brif(b.ins().icmp(IntCC.EQ, b.useVar(y), b.ins().iconst(Type.I32, 7)), out, stay);
    b.sealBlock(stay);
    b.switchToBlock(stay);
    b.defVar(x, b.ins().iconst(Type.I32, 7));
    b.defVar(y, b.ins().iconst(Type.I32, 7));
    b.ins().jump(header);
    b.sealBlock(header, loop);
    b.switchToBlock(out);
    b.sealBlock(out, outer);
    b.ins().ret(b.useVar(x));
    Function f = b.finish();
    Verifier.check(f);
    assertEquals(7, run(f, 0), "x from the latch, through the header's parameter");
  }
}
