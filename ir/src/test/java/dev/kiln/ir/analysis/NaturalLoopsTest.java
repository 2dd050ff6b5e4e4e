package dev.kiln.ir.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

/**
 * {@link NaturalLoops} of a function without a retreating edge (no edge to a block at or before its
 * source in reverse postorder) are empty without the loop forest's search (counted: {@link
 * NaturalLoops#searched}), and any back edge, a block's edge to itself included, still makes a loop.
 */
class NaturalLoopsTest {
  private static NaturalLoops loopsOf(String text) {
    Function f = Parser.parseFunction(text);
    return new FlowAnalyses(f).loops();
  }

  @Test
  void aFunctionWithoutARetreatingEdgeHasNoLoop() {
    NaturalLoops loops = loopsOf("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            brif v0, block1, block2
        block1:
            jump block2
        block2:
            return v0
        }
        """);
    assertTrue(loops.isEmpty());
    assertFalse(loops.searched(), "no loop forest searched for");
    for (int b = 0; b < 3; b++) {
      assertFalse(loops.inLoop(b));
      assertEquals(-1, loops.innermost(b));
    }
  }

  @Test
  void aBlockBranchingToItselfIsALoop() {
    NaturalLoops loops = loopsOf("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            jump block1
        block1:
            brif v0, block1, block2
        block2:
            return v0
        }
        """);
    assertTrue(loops.searched());
    assertArrayEquals(new int[] {1}, loops.headers());
    assertFalse(loops.inLoop(0));
    assertEquals(1, loops.innermost(1));
    assertFalse(loops.inLoop(2));
  }

  @Test
  void nestedLoopsAreFoundBehindTheTest() {
    NaturalLoops loops = loopsOf("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            jump block1
        block1:
            jump block2
        block2:
            brif v0, block2, block3
        block3:
            brif v0, block1, block4
        block4:
            return v0
        }
        """);
    assertArrayEquals(new int[] {1, 2}, loops.headers());
    assertEquals(1, loops.parent(2));
    assertEquals(1, loops.innermost(3));
    assertEquals(2, loops.innermost(2));
    assertFalse(loops.inLoop(4));
  }
}
