package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.text.Parser;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which instructions a strength-reduction pass is offered: those with one of its opcodes in a
 * function that may hold one, none of one that never held any (the walk is skipped).
 */
class InstructionRewriteTest {
  /** Offers nothing to rewrite; counts the instructions it is shown. */
  private static final class CountingRewrite extends InstructionRewrite {
    int offered;

    CountingRewrite() {
      super(Set.of(Opcode.IMUL));
    }

    @Override
    public String name() {
      return "counting";
    }

    @Override
    void rewrite(DataFlowGraph dfg, Layout layout, int inst) {
      offered++;
    }
  }

  private static Function withOperator(String operator) {
    return Parser.parseFunction("""
        function u0:0(i32, i32) -> i32 {
        block0(v0: i32, v1: i32):
            v2 = %s.i32 v0, v1
            v3 = iadd.i32 v2, v1
            return v3
        }
        """.formatted(operator));
  }

  @Test
  void aFunctionThatNeverHeldTheOpcodesIsNotWalked() {
    Function f = withOperator("isub");
    assertFalse(f.dfg().mayHaveOpcode(Opcode.IMUL));
    CountingRewrite pass = new CountingRewrite();
    pass.run(f, new FlowAnalyses(f));
    assertEquals(0, pass.offered);
  }

  @Test
  void aFunctionThatHeldOneOffersOnlyTheInstructionsWithTheOpcode() {
    Function f = withOperator("imul");
    CountingRewrite pass = new CountingRewrite();
    pass.run(f, new FlowAnalyses(f));
    assertEquals(1, pass.offered, "the imul, not the iadd or the return");
  }

  @Test
  void anInstructionReplacedByOneCounts() {
    Function f = withOperator("isub");
    DataFlowGraph dfg = f.dfg();
    int sub = f.layout().firstInst(0);
    dfg.replaceInst(sub, Opcode.IMUL, dfg.ctrlType(sub), 0, 0, dfg.args(sub), null);
    assertTrue(dfg.mayHaveOpcode(Opcode.IMUL));
    CountingRewrite pass = new CountingRewrite();
    pass.run(f, new FlowAnalyses(f));
    assertEquals(1, pass.offered);
  }

  @Test
  void theOpcodeBitsOfASetAnswerForEveryOpcodeInIt() {
    DataFlowGraph dfg = withOperator("isub").dfg();
    for (Opcode op : Opcode.values()) {
      boolean held = dfg.mayHaveOpcode(op);
      assertEquals(held, dfg.mayHaveAnyOpcode(DataFlowGraph.opcodeBits(Set.of(op))), op.text());
      assertTrue(dfg.mayHaveAnyOpcode(DataFlowGraph.opcodeBits(EnumSet.of(op, Opcode.ISUB))),
          op.text());
    }
    assertFalse(dfg.mayHaveAnyOpcode(DataFlowGraph.opcodeBits(Set.of())));
  }
}
