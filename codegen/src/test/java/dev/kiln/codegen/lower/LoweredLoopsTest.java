package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.codegen.lower.LoweringDriverTest.ToyInst;
import dev.kiln.codegen.lower.LoweringDriverTest.ToyLowering;
import dev.kiln.codegen.regalloc.BlockEdges;
import dev.kiln.codegen.regalloc.BlockLoops;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.analysis.ImmediateDominators;
import dev.kiln.ir.analysis.LoopForest;
import dev.kiln.ir.text.Parser;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The IR's loops handed to the VCode ({@link LoweredLoops}) are the loops a dominator tree and a
 * loop forest of the VCode's own block graph find, split blocks included: on the back edges, into an
 * inner loop's header and out of both loops.
 */
class LoweredLoopsTest {
  /**
   * Outer loop {block1, block2, block3, block4} (latch block4), inner loop {block2, block3} (latch
   * block3). Six edges are critical, so split: block1 -> block2 (into the inner loop), block1 ->
   * block5 (out), block3 -> block2 (the inner back edge), block3 -> block5 (out of both), block4 ->
   * block1 (the outer back edge), block4 -> block5; block0's and block2's edges are not.
   */
  private static final String NESTED = """
      function u0:2(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32):
          jump block1

      block1:
          brif v2, block2, block5

      block2:
          brif v2, block3, block4

      block3:
          brif v2, block2, block5

      block4:
          brif v2, block1, block5

      block5:
          return v2
      }
      """;

  @Test
  void theLoopsOfTheLoweredBlocksAreThoseTheirGraphHas() {
    Function f = Parser.parseFunction(NESTED);
    f.keepLoopsFromPasses(new FlowAnalyses(f).loops());
    VCode<ToyInst> vc = new ToyLowering(f).run();
    BlockLoops known = vc.knownLoops();
    BlockEdges edges = vc.blockEdges();
    LoopForest found = LoopForest.compute(edges, ImmediateDominators.compute(edges, 0), 0);
    int n = vc.numBlocks();
    assertEquals(12, n, "six blocks and six split edges");
    int[] innermost = new int[n];
    for (int b = 0; b < n; b++) {
      innermost[b] = found.innermost(b);
    }
    assertArrayEquals(innermost, known.innermost());
    int[] headers = found.headers();
    Arrays.sort(headers);
    int[] knownHeaders = known.headers().clone();
    Arrays.sort(knownHeaders);
    assertArrayEquals(headers, knownHeaders);
    for (int h : headers) {
      assertEquals(found.parent(h), known.parent()[h], "the loop around block" + h);
    }
    // block0; block1 and its splits to block2 (in the outer loop) and block5 (in none); block2;
    // block3 and its splits to block2 (the inner loop's latch) and block5; block4 and its splits to
    // block1 (the outer loop's latch) and block5; block5.
    assertArrayEquals(new int[] {-1, 1, 1, -1, 4, 4, 4, -1, 1, 1, -1, -1}, known.innermost());
  }

  @Test
  void aFunctionWithoutLoopsHandsTheSharedEmptyAnswer() {
    Function f = Parser.parseFunction("""
        function u0:3(i64 vmctx, i64 caller_vmctx, i32) -> i32 {
        block0(v0: i64, v1: i64, v2: i32):
            brif v2, block1, block2
        block1:
            jump block2
        block2:
            return v2
        }
        """);
    f.keepLoopsFromPasses(new FlowAnalyses(f).loops());
    assertSame(BlockLoops.NONE, new ToyLowering(f).run().knownLoops(), "no array per block for no loop");
  }

  @Test
  void aFunctionWhosePassesDidNotLookForLoopsHandsNothing() {
    VCode<ToyInst> vc = new ToyLowering(Parser.parseFunction(NESTED)).run();
    assertNull(vc.knownLoops(), "the allocator finds them itself");
  }
}
