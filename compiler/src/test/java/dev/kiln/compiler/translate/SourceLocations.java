package dev.kiln.compiler.translate;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.wasm.module.FunctionBody;

/** Checks the address-map input: every instruction carries an offset inside its wasm body. */
final class SourceLocations {
  private SourceLocations() {}

  /**
   * Null when every instruction's source location lies in the body's code, else a description of
   * the first that does not. Only the zero constants the SSA builder makes for locals read before
   * any write may have none (they belong to no wasm instruction).
   */
  static String check(Function f, FunctionBody body) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    for (int block = layout.firstBlock(); block >= 0; block = layout.nextBlock(block)) {
      for (int inst = layout.firstInst(block); inst >= 0; inst = layout.nextInst(inst)) {
        int loc = dfg.sourceLoc(inst);
        if (loc == DataFlowGraph.NO_SOURCE_LOC && isConstant(dfg.opcode(inst))) {
          continue;
        }
        if (loc < body.codeStart() || loc >= body.codeEnd()) {
          return "instruction " + inst + " (" + dfg.opcode(inst).text() + ") has source location "
              + loc + " outside [" + body.codeStart() + ", " + body.codeEnd() + ")";
        }
      }
    }
    return null;
  }

  private static boolean isConstant(Opcode op) {
    return op == Opcode.ICONST || op == Opcode.F32CONST || op == Opcode.F64CONST;
  }
}
