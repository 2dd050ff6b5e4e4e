package dev.kiln.ir.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Function;
import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

class DominatorTreeTest {
  private static DominatorTree tree(Function f) {
    return DominatorTree.compute(f, ControlFlowGraph.compute(f));
  }

  @Test
  void diamondLoopAndUnreachable() {
    // 0 -> 1, 0 -> 2; 1 -> 3; 2 -> 3; 3 -> 4 (loop 4 -> 4 and 4 -> 5); 6 unreachable -> 3
    Function f = Parser.parseFunction("""
        function %f(i32) {
        block0(v0: i32):
            brif v0, block1, block2
        block1:
            jump block3
        block2:
            jump block3
        block3:
            jump block4
        block4:
            brif v0, block4, block5
        block5:
            return
        block6:
            jump block3
        }
        """);
    DominatorTree t = tree(f);
    assertEquals(-1, t.idom(0));
    assertEquals(0, t.idom(1));
    assertEquals(0, t.idom(2));
    assertEquals(0, t.idom(3), "the merge is dominated by the branch, not by either arm");
    assertEquals(3, t.idom(4));
    assertEquals(4, t.idom(5));
    assertFalse(t.isReachable(6));
    assertEquals(-1, t.idom(6));
    assertTrue(t.dominates(0, 5));
    assertTrue(t.dominates(4, 4));
    assertFalse(t.dominates(1, 3));
    assertFalse(t.dominates(6, 3));
    assertArrayEquals(new int[] {1, 2, 3}, sorted(t.children(0)));
    assertArrayEquals(new int[] {4}, t.children(3));
    assertArrayEquals(new int[] {}, t.children(6));
    for (int b = 0; b <= 6; b++) {
      int[] kids = t.children(b);
      assertEquals(kids.length, t.childCount(b), "block" + b);
      for (int k = 0; k < kids.length; k++) {
        assertEquals(kids[k], t.child(b, k), "block" + b + "'s child " + k + " read in place");
      }
    }
    assertEquals(6, t.reversePostorder().length);
    assertEquals(0, t.reversePostorder()[0]);
    ControlFlowGraph cfg = ControlFlowGraph.compute(f);
    assertArrayEquals(new int[] {1, 2, 6}, cfg.predecessors(3));
    assertArrayEquals(new int[] {4, 5}, cfg.successors(4));
  }

  private static int[] sorted(int[] a) {
    int[] c = a.clone();
    java.util.Arrays.sort(c);
    return c;
  }

  /** Irreducible: two entries into the cycle 1 <-> 2, so neither dominates the other. */
  @Test
  void irreducibleCycle() {
    Function f = Parser.parseFunction("""
        function %f(i32) {
        block0(v0: i32):
            brif v0, block1, block2
        block1:
            brif v0, block2, block3
        block2:
            brif v0, block1, block3
        block3:
            return
        }
        """);
    DominatorTree t = tree(f);
    assertEquals(0, t.idom(1));
    assertEquals(0, t.idom(2));
    assertEquals(0, t.idom(3));
  }

  /** A long chain: the RPO walk is iterative, deep CFGs do not overflow the stack. */
  @Test
  void deepChain() {
    StringBuilder sb = new StringBuilder("function %f() {\n");
    int n = 50_000;
    for (int b = 0; b < n; b++) {
      sb.append("block").append(b).append(":\n    ")
          .append(b + 1 < n ? "jump block" + (b + 1) : "return").append('\n');
    }
    Function f = Parser.parseFunction(sb.append("}\n").toString());
    DominatorTree t = tree(f);
    assertEquals(n - 2, t.idom(n - 1));
    assertTrue(t.dominates(0, n - 1));
  }
}
