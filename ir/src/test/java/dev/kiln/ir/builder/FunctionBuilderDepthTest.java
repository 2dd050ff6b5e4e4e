package dev.kiln.ir.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Type;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Control flow as deep as a valid wasm function may make it (tens of thousands of blocks before a
 * local's first read) builds on a small thread stack: the definition search and the removal of
 * trivial parameters take one step per block, and neither may take a Java stack frame per block.
 */
class FunctionBuilderDepthTest {
  /** Far more blocks than a recursion of a few frames per block survives on {@link #STACK}. */
  private static final int DEPTH = 20_000;
  /** A quarter of the JVM's usual thread stack: the builder's own frames need far less. */
  private static final long STACK = 256 * 1024;

  /**
   * {@code x = p0; block_0 { x += 1; br_if (p1 == 0) ... block_n-1 { x += 1; br_if (p1 == n-1) }
   * ... }; return x}: the read after the last end merges one edge per block, each merge reached
   * only through the one inside it.
   */
  @Test
  void readAfterTwentyThousandNestedMergesBuildsOnASmallStack() {
    Function f = onSmallStack(() -> nestedMerges(DEPTH));
    Verifier.check(f);
    assertEquals(DEPTH - 1, paramCount(f),
        "one parameter per merge but the innermost, whose two edges carry the same value");
    assertEquals(100 + 1, run(f, 100, 0), "left at the first br_if");
    assertEquals(100 + 124, run(f, 100, 123));
    assertEquals(100 + DEPTH, run(f, 100, DEPTH - 1), "left at the last br_if");
    assertEquals(100 + DEPTH, run(f, 100, -1), "no br_if taken");
  }

  private static Function nestedMerges(int n) {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("nested",
        List.of(Type.I32, Type.I32), List.of(Type.I32)));
    int x = b.declareVar(Type.I32);
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(x, p[0]);
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      ends[i] = b.createBlock();
    }
    for (int i = 0; i < n; i++) {
      b.defVar(x, b.ins().iadd(b.useVar(x), b.ins().iconst(Type.I32, 1)));
      int next = b.createBlock();
      int taken = b.ins().icmp(IntCC.EQ, p[1], b.ins().iconst(Type.I32, i));
      b.ins().brif(taken, ends[i], next);
      b.switchToBlock(next);
      b.sealBlock(next);
    }
    for (int i = n - 1; i >= 0; i--) {
      b.ins().jump(ends[i]);
      b.switchToBlock(ends[i]);
      b.sealBlock(ends[i]);
    }
    b.ins().ret(b.useVar(x));
    return b.finish();
  }

  /** {@code x = p0}, then 20,000 blocks each entered only from the one before, then a read. */
  @Test
  void readAfterTwentyThousandSinglePredecessorBlocksBuildsOnASmallStack() {
    Function f = onSmallStack(() -> {
      FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("chain",
          List.of(Type.I32), List.of(Type.I32)));
      int x = b.declareVar(Type.I32);
      int entry = b.createBlock();
      b.switchToBlock(entry);
      int[] p = b.appendBlockParamsForFunctionParams(entry);
      b.sealBlock(entry);
      b.defVar(x, p[0]);
      for (int i = 0; i < DEPTH; i++) {
        int next = b.createBlock();
        b.ins().jump(next);
        b.switchToBlock(next);
        b.sealBlock(next);
      }
      b.ins().ret(b.useVar(x));
      return b.finish();
    });
    Verifier.check(f);
    assertEquals(0, paramCount(f), "one value all along: no parameter");
    assertEquals(42, run(f, 42));
  }

  /**
   * A loop header read before its back edge exists, the back edge 20,000 blocks later: sealing the
   * header searches back through all of them for the value on that edge.
   */
  @Test
  void loopSealedTwentyThousandBlocksAfterItsFirstReadBuildsOnASmallStack() {
    Function f = onSmallStack(() -> {
      FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("long_loop",
          List.of(Type.I32, Type.I32), List.of(Type.I32)));
      int x = b.declareVar(Type.I32);
      int entry = b.createBlock();
      int header = b.createBlock();
      int exit = b.createBlock();
      b.switchToBlock(entry);
      int[] p = b.appendBlockParamsForFunctionParams(entry);
      b.sealBlock(entry);
      b.defVar(x, p[0]);
      b.ins().jump(header);
      b.switchToBlock(header);
      b.useVar(x); // before the back edge exists: an incomplete parameter
      for (int i = 0; i < DEPTH; i++) {
        int next = b.createBlock();
        b.ins().jump(next);
        b.switchToBlock(next);
        b.sealBlock(next);
      }
      b.ins().brif(b.ins().icmp(IntCC.EQ, p[1], b.ins().iconst(Type.I32, 0)), exit, header);
      b.sealBlock(header);
      b.switchToBlock(exit);
      b.sealBlock(exit);
      b.ins().ret(b.useVar(x));
      return b.finish();
    });
    Verifier.check(f);
    assertEquals(0, paramCount(f), "x never changes in the loop: no parameter");
    assertEquals(42, run(f, 42, 0));
  }

  /**
   * A loop whose header H dispatches ({@code br_table}) into a chain of merges M_1..M_n, M_k
   * joining M_k-1 and H, with {@code x} set to the value it had before the loop in M_0. Read after
   * M_n before H is sealed, every M_k gets a parameter merging H's incomplete parameter Q with
   * M_k-1's; sealing H finds Q trivial (x on entry, itself on the back edge), which makes M_1's
   * trivial, which makes M_2's trivial, and so on: a cascade of 20,000 removals.
   */
  @Test
  void cascadeOfTwentyThousandTrivialParametersBuildsOnASmallStack() {
    Function f = onSmallStack(() -> {
      FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("cascade",
          List.of(Type.I32), List.of(Type.I32)));
      int x = b.declareVar(Type.I32);
      int entry = b.createBlock();
      int header = b.createBlock();
      int latch = b.createBlock();
      int[] merges = new int[DEPTH + 1];
      for (int k = 0; k <= DEPTH; k++) {
        merges[k] = b.createBlock();
      }
      b.switchToBlock(entry);
      int[] p = b.appendBlockParamsForFunctionParams(entry);
      b.sealBlock(entry);
      int seven = b.ins().iconst(Type.I32, 7);
      b.defVar(x, seven);
      b.ins().jump(header);

      b.switchToBlock(header);
      b.useVar(x); // before the back edge exists: an incomplete parameter
      List<BranchTarget> table = new ArrayList<>();
      for (int k = 0; k <= DEPTH; k++) {
        table.add(new BranchTarget(merges[k]));
      }
      b.ins().brTable(p[0], new BranchTarget(latch), table);
      b.switchToBlock(latch);
      b.sealBlock(latch);
      b.ins().jump(header);

      b.switchToBlock(merges[0]);
      b.sealBlock(merges[0]);
      b.defVar(x, seven);
      for (int k = 1; k <= DEPTH; k++) {
        b.ins().jump(merges[k]);
        b.switchToBlock(merges[k]);
        b.sealBlock(merges[k]);
      }
      int exit = b.createBlock();
      b.ins().jump(exit);
      b.switchToBlock(exit);
      b.sealBlock(exit);
      b.ins().ret(b.useVar(x)); // a parameter in every merge, each still merging two values
      b.sealBlock(header);
      return b.finish();
    });
    Verifier.check(f);
    assertEquals(0, paramCount(f), "every parameter removed: x is 7 on every path");
    assertEquals(7, run(f, 0));
    assertEquals(7, run(f, DEPTH));
  }

  private static int paramCount(Function f) {
    int count = 0;
    for (int block = f.layout().firstBlock(); block >= 0; block = f.layout().nextBlock(block)) {
      count += f.dfg().blockParamCount(block);
    }
    return count - f.signature().paramTypes().size();
  }

  private static long run(Function f, long... args) {
    return Interpreter.run(f, 10_000_000, args)[0];
  }

  /** Builds on a thread with a {@link #STACK}-byte stack; rethrows what it threw. */
  private static Function onSmallStack(Supplier<Function> build) {
    Function[] built = new Function[1];
    Throwable[] thrown = new Throwable[1];
    Thread thread = new Thread(null, () -> {
      try {
        built[0] = build.get();
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "small-stack-build", STACK);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thrown[0] != null) {
      throw new AssertionError("the build failed on a " + STACK / 1024 + " KiB stack", thrown[0]);
    }
    return built[0];
  }
}
