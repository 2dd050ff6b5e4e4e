package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;

/**
 * Makes instructions just before instruction {@code before}, at its wasm offset and inline site:
 * how the strength-reducing passes build the replacement of the instruction they rewrite.
 */
record InsertionPoint(DataFlowGraph dfg, Layout layout, int before) {
  int iconst(Type type, long bits) {
    return place(dfg.makeInst(Opcode.ICONST, type, type == Type.I32 ? (int) bits : bits, 0,
        new int[0], null));
  }

  int op(Opcode opcode, Type type, int... args) {
    return place(dfg.makeInst(opcode, type, 0, 0, args, null));
  }

  private int place(int inst) {
    dfg.setSourceLoc(inst, dfg.sourceLoc(before));
    dfg.setInlineSiteOf(inst, dfg.inlineSiteOf(before));
    layout.insertInstBefore(inst, before);
    return dfg.firstResult(inst);
  }
}
