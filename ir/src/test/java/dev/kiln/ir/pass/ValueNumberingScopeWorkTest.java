package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

/**
 * Value numbering takes a block's entries out of its scoped table when it leaves the block for a
 * sibling subtree, but not after the last block: the blocks still to be left then (the path from
 * the entry to the last one) would only empty a table the pass drops.
 */
class ValueNumberingScopeWorkTest {
  @Test
  void theWalkEndsAtTheLastBlockWithoutLeavingThePathToIt() {
    Function f = Parser.parseFunction("""
        function %f(i32, i32) -> i32 {
        block0(v0: i32, v1: i32):
            v2 = iadd.i32 v0, v1
            brif v0, block1, block2
        block1:
            v3 = imul.i32 v0, v1
            jump block3
        block2:
            v4 = isub.i32 v0, v1
            jump block3
        block3:
            v5 = band.i32 v2, v1
            return v5
        }
        """);
    ValueTable values = new ValueTable(f.dfg());
    GlobalValueNumbering.number(f, new FlowAnalyses(f), values);
    // block0 dominates the other three, which the walk numbers in its child order: block1, block2,
    // block3. Leaving block1 and block2 for their siblings took their entries out; block3 and
    // block0, on the path to the last block, were never left.
    assertEquals(2, definedBy(f, "iadd", values), "block0's entry kept");
    assertEquals(-1, definedBy(f, "imul", values), "block1's entry taken out when the walk left it");
    assertEquals(-1, definedBy(f, "isub", values), "block2's entry taken out when the walk left it");
    assertEquals(5, definedBy(f, "band", values), "block3's entry kept");
  }

  /** The value {@code values} holds for the one instruction of opcode {@code name}, or -1. */
  private static int definedBy(Function f, String name, ValueTable values) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    for (int b : layout.blocks()) {
      for (int inst : layout.blockInsts(b)) {
        if (dfg.opcode(inst).text().equals(name)) {
          return values.find(inst, values.hash(inst));
        }
      }
    }
    throw new AssertionError("no " + name);
  }
}
