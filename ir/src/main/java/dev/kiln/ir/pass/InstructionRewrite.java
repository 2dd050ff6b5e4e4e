package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.analysis.FlowAnalyses;
import java.util.Set;

/**
 * A pass that replaces single instructions by cheaper sequences in place (strength reduction):
 * each instruction with one of the pass's opcodes is offered to {@link #rewrite} once, in layout
 * order; a rewritten one is removed and its result becomes an alias of the replacement's. The
 * aliases are left to the pipeline ({@link PassPipeline}, whose value numbering resolves the
 * operands as it walks them): the passes read operands through {@code resolveAliases}. Blocks and branches stay as they are,
 * so the {@link FlowAnalyses} stay valid.
 */
abstract class InstructionRewrite implements FunctionPass {
  /**
   * The pass's opcodes as bits ({@link DataFlowGraph#opcodeBits}): whether a function may hold one
   * is a word per 64 opcodes to test, asked of every function (the iteration over the set per ask
   * was 0.1% of a yosys compile's samples).
   */
  private final long[] opcodeBits;
  /**
   * Per opcode ordinal, whether it is one of the pass's opcodes: asked of every instruction of a
   * function walked, before any call. The division pass's lookup in its set (a JumboEnumSet: there
   * are more than 64 opcodes) per instruction was a fifth of its samples.
   */
  private final boolean[] rewritten = new boolean[Opcode.values().length];

  /** A pass that rewrites instructions with one of {@code opcodes} and offers {@link #rewrite} no other. */
  InstructionRewrite(Set<Opcode> opcodes) {
    this.opcodeBits = DataFlowGraph.opcodeBits(opcodes);
    for (Opcode op : opcodes) {
      rewritten[op.ordinal()] = true;
    }
  }

  @Override
  public final void run(Function f, FlowAnalyses analyses) {
    DataFlowGraph dfg = f.dfg();
    // Most functions hold no instruction a given pass rewrites (of yosys's 40,043, 34,772 hold no
    // division and 31,802 no multiplication); the graph knows which opcodes it ever held, so
    // those functions are not walked.
    if (!dfg.mayHaveAnyOpcode(opcodeBits)) {
      return;
    }
    Layout layout = f.layout();
    for (int block : layout.blocks()) {
      int inst = layout.firstInst(block);
      while (inst >= 0) {
        int next = layout.nextInst(inst);
        if (rewritten[dfg.opcode(inst).ordinal()]) {
          rewrite(dfg, layout, inst);
        }
        inst = next;
      }
    }
  }

  /** Rewrites {@code inst}, whose opcode is one the pass was made with, if it handles it ({@link #replace}). */
  abstract void rewrite(DataFlowGraph dfg, Layout layout, int inst);

  /** Removes {@code inst}, whose single result {@code result} (made before it) now stands for. */
  static void replace(DataFlowGraph dfg, Layout layout, int inst, int result) {
    int old = dfg.firstResult(inst);
    layout.removeInst(inst);
    dfg.changeToAlias(old, result);
  }
}
