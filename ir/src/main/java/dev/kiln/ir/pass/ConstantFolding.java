package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.analysis.DominatorTree;
import dev.kiln.ir.analysis.FlowAnalyses;

/**
 * Evaluates integer instructions whose operands are all {@code iconst}s, with wasm semantics
 * (WebAssembly spec 4.3.2), and rewrites each into an {@code iconst} in place (its result keeps
 * its number, so no use changes). A division or remainder that would trap at run time is left
 * alone: the trap is the program's behaviour. Control and checks with constant conditions are
 * simplified too: {@code brif} becomes {@code jump}, {@code select} becomes the chosen value, and
 * {@code trapz}/{@code trapnz}/{@code bounds_check} that can never trap are removed. Float
 * instructions are not folded (NaN payloads and rounding need care that belongs to its own pass).
 * Blocks are visited in reverse postorder, so a definition is folded before its uses and chains
 * fold in one sweep. Operands left dead are not removed here.
 */
public final class ConstantFolding implements FunctionPass {
  /** The pass has no configuration. */
  public ConstantFolding() {}

  @Override
  public String name() {
    return "fold";
  }

  @Override
  public void run(Function f, FlowAnalyses analyses) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    DominatorTree domTree = analyses.domTree();
    boolean aliased = false;
    for (int block : domTree.reversePostorder()) {
      int inst = layout.firstInst(block);
      while (inst >= 0) {
        int next = layout.nextInst(inst);
        aliased |= foldInst(dfg, layout, inst);
        inst = next;
      }
    }
    if (aliased) {
      dfg.resolveAllAliases();
    }
    // A brif on a constant became a jump, dropping an edge.
    analyses.invalidate();
  }

  /** Folds one instruction; returns whether it turned a value into an alias. */
  private static boolean foldInst(DataFlowGraph dfg, Layout layout, int inst) {
    Opcode op = dfg.opcode(inst);
    switch (op.format()) {
      case UNARY, BINARY, INT_COMPARE -> {
        IntegerEval.foldInPlace(dfg, inst);
        return false;
      }
      case TERNARY -> {
        int cond = constDef(dfg, dfg.arg(inst, 0));
        if (op != Opcode.SELECT || cond < 0) {
          return false;
        }
        int chosen = (int) dfg.imm(cond) != 0 ? dfg.arg(inst, 1) : dfg.arg(inst, 2);
        int result = dfg.firstResult(inst);
        layout.removeInst(inst);
        dfg.changeToAlias(result, chosen);
        return true;
      }
      case BRIF -> {
        foldBranch(dfg, inst);
        return false;
      }
      case COND_TRAP -> {
        int cond = constDef(dfg, dfg.arg(inst, 0));
        if (cond >= 0 && (dfg.imm(cond) != 0) == (op == Opcode.TRAPZ)) {
          layout.removeInst(inst);
        }
        return false;
      }
      case BOUNDS_CHECK -> {
        int index = constDef(dfg, dfg.arg(inst, 0));
        int bound = constDef(dfg, dfg.arg(inst, 1));
        if (index >= 0 && bound >= 0 && IntegerEval.inBounds(dfg.imm(index), dfg.imm(inst),
            dfg.imm(bound))) {
          layout.removeInst(inst);
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Rewrites {@code inst}, when it is a {@code brif} on a constant, into a {@code jump} to the
   * destination the constant chooses, with that destination's arguments. The other destination loses
   * an edge and may become unreachable: the block graph changed, so a pass's flow analyses no longer
   * hold, and {@link DeadCodeElimination} removes what no edge reaches.
   */
  public static void foldBranch(DataFlowGraph dfg, int inst) {
    if (dfg.opcode(inst) != Opcode.BRIF) {
      return;
    }
    int cond = constDef(dfg, dfg.arg(inst, 0));
    if (cond >= 0) {
      int taken = dfg.imm(cond) != 0 ? dfg.dest(inst, 0) : dfg.dest(inst, 1);
      dfg.replaceInst(inst, Opcode.JUMP, null, 0, 0, new int[0], new int[] {taken});
    }
  }

  /** The {@code iconst} instruction defining {@code v}, or -1. */
  static int constDef(DataFlowGraph dfg, int v) {
    int value = dfg.resolveAliases(v);
    if (dfg.valueKind(value) != DataFlowGraph.VALUE_RESULT) {
      return -1;
    }
    int def = dfg.valueDef(value);
    return dfg.opcode(def) == Opcode.ICONST ? def : -1;
  }
}
