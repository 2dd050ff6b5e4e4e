package dev.kiln.ir.text;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.Function;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;

/**
 * Writes a {@link Function} in the text format that {@link Parser} reads back; {@code
 * print(parse(text)) == text} for any text this printer wrote. Layout: the header, the
 * signature and callee declarations indented by four spaces, a blank line, then each block label
 * in column 0 with its instructions indented, blocks separated by a blank line. An instruction
 * with a source location starts with {@code @} and the wasm code offset in hex ({@code @002a}),
 * followed by {@code inlineN} when it was copied from inlined call N, which the preamble declares
 * ({@code inline0 = u0:3 @001a}, {@code ... in inline0} when that call was itself inlined code).
 * Operands that are aliases are printed as the value they stand for.
 */
public final class Printer {
  private static final String INDENT = "    ";

  private Printer() {}

  public static String print(Function f) {
    StringBuilder sb = new StringBuilder();
    DataFlowGraph dfg = f.dfg();
    sb.append("function ").append(f.name().text()).append(f.signature().text()).append(" {\n");
    for (int s = 0; s < dfg.signatureCount(); s++) {
      sb.append(INDENT).append("sig").append(s).append(" = ").append(dfg.signature(s).text())
          .append('\n');
    }
    for (int fn = 0; fn < dfg.extFuncCount(); fn++) {
      ExtFuncData ext = dfg.extFunc(fn);
      sb.append(INDENT).append("fn").append(fn).append(" = ").append(ext.name().text())
          .append(" sig").append(ext.sigRef()).append('\n');
    }
    for (int site = 0; site < dfg.inlineSiteCount(); site++) {
      InlineSite inlined = dfg.inlineSite(site);
      sb.append(INDENT).append("inline").append(site).append(" = ").append(inlined.callee().text())
          .append(' ');
      appendSourceLoc(sb, inlined.callSourceLoc());
      if (inlined.parent() != InlineSite.NONE) {
        sb.append(" in inline").append(inlined.parent());
      }
      sb.append('\n');
    }
    boolean preamble = dfg.signatureCount() + dfg.extFuncCount() + dfg.inlineSiteCount() > 0;
    Layout layout = f.layout();
    boolean first = true;
    for (int b = layout.firstBlock(); b >= 0; b = layout.nextBlock(b)) {
      if (!first || preamble) {
        sb.append('\n');
      }
      first = false;
      appendBlockHeader(sb, dfg, b);
      for (int i = layout.firstInst(b); i >= 0; i = layout.nextInst(i)) {
        sb.append(INDENT);
        appendInst(sb, dfg, i);
        sb.append('\n');
      }
    }
    sb.append("}\n");
    return sb.toString();
  }

  /** One instruction without indentation, e.g. {@code v2 = iadd.i32 v0, v1}. */
  public static String printInst(Function f, int inst) {
    StringBuilder sb = new StringBuilder();
    appendInst(sb, f.dfg(), inst);
    return sb.toString();
  }

  private static void appendBlockHeader(StringBuilder sb, DataFlowGraph dfg, int b) {
    sb.append("block").append(b);
    int n = dfg.blockParamCount(b);
    if (n > 0) {
      sb.append('(');
      for (int p = 0; p < n; p++) {
        int v = dfg.blockParam(b, p);
        if (p > 0) {
          sb.append(", ");
        }
        sb.append('v').append(v).append(": ").append(dfg.valueType(v).text());
      }
      sb.append(')');
    }
    sb.append(":\n");
  }

  /** {@code @} and at least four hexadecimal digits. */
  private static void appendSourceLoc(StringBuilder sb, int loc) {
    String hex = Integer.toHexString(loc);
    sb.append('@').append("0".repeat(Math.max(0, 4 - hex.length()))).append(hex);
  }

  private static void appendInst(StringBuilder sb, DataFlowGraph dfg, int inst) {
    int loc = dfg.sourceLoc(inst);
    if (loc != DataFlowGraph.NO_SOURCE_LOC) {
      appendSourceLoc(sb, loc);
      sb.append(' ');
    }
    if (dfg.inlineSiteOf(inst) != InlineSite.NONE) {
      sb.append("inline").append(dfg.inlineSiteOf(inst)).append(' ');
    }
    int results = dfg.resultCount(inst);
    for (int r = 0; r < results; r++) {
      sb.append(r > 0 ? ", " : "").append('v').append(dfg.result(inst, r));
    }
    if (results > 0) {
      sb.append(" = ");
    }
    Opcode op = dfg.opcode(inst);
    sb.append(op.text());
    Type ctrl = dfg.ctrlType(inst);
    if (ctrl != null) {
      sb.append('.').append(ctrl.text());
    }
    if (op.hasLanes()) {
      sb.append('.').append(dfg.lanes(inst).text());
    }
    switch (op.format()) {
      case CONST -> sb.append(' ').append(constantText(op, ctrl, dfg.imm(inst)));
      case VCONST -> sb.append(' ').append(vectorText(dfg.vectorConstantAt((int) dfg.imm(inst))));
      case UNARY, BINARY, TERNARY, MULTIARY -> appendValues(sb.append(' '), dfg, inst, 0);
      case INT_COMPARE -> appendValues(sb.append(' ').append(dfg.intCC(inst).text()).append(' '),
          dfg, inst, 0);
      case FLOAT_COMPARE ->
          appendValues(sb.append(' ').append(dfg.floatCC(inst).text()).append(' '), dfg, inst, 0);
      case VINT_COMPARE ->
          appendValues(sb.append(' ').append(dfg.laneIntCC(inst).text()).append(' '), dfg, inst, 0);
      case VFLOAT_COMPARE ->
          appendValues(sb.append(' ').append(dfg.laneFloatCC(inst).text()).append(' '), dfg, inst,
              0);
      case SHUFFLE -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        sb.append(", ").append(vectorText(dfg.vectorConstantAt((int) dfg.imm(inst))));
      }
      case EXTRACT_LANE, INSERT_LANE -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        sb.append(", ").append(dfg.imm(inst));
      }
      case LOAD -> {
        sb.append(' ').append(dfg.memFlags(inst).text());
        appendAddress(sb, dfg, dfg.arg(inst, 0), dfg.imm(inst));
      }
      case STORE -> {
        sb.append(' ').append(dfg.memFlags(inst).text());
        appendValue(sb, dfg, dfg.arg(inst, 0));
        sb.append(", ");
        appendAddress(sb, dfg, dfg.arg(inst, 1), dfg.imm(inst));
      }
      case BOUNDS_CHECK -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        sb.append(", ").append(Long.toUnsignedString(dfg.imm(inst)))
            .append(", ").append(dfg.trapCode(inst).text());
      }
      case TRAP -> sb.append(' ').append(dfg.trapCode(inst).text());
      case COND_TRAP -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        sb.append(", ").append(dfg.trapCode(inst).text());
      }
      case JUMP -> appendBlockCall(sb.append(' '), dfg, dfg.dest(inst, 0));
      case UNWIND_EDGE -> {
        appendBlockCall(sb.append(' '), dfg, dfg.dest(inst, 0));
        appendBlockCall(sb.append(", "), dfg, dfg.dest(inst, 1));
      }
      case BRIF -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        appendBlockCall(sb.append(", "), dfg, dfg.dest(inst, 0));
        appendBlockCall(sb.append(", "), dfg, dfg.dest(inst, 1));
      }
      case BR_TABLE -> {
        appendValues(sb.append(' '), dfg, inst, 0);
        appendBlockCall(sb.append(", "), dfg, dfg.dest(inst, 0));
        sb.append(", [");
        for (int d = 1; d < dfg.destCount(inst); d++) {
          appendBlockCall(sb.append(d > 1 ? ", " : ""), dfg, dfg.dest(inst, d));
        }
        sb.append(']');
      }
      case CALL -> {
        sb.append(" fn").append(dfg.aux(inst)).append('(');
        appendValues(sb, dfg, inst, 0);
        sb.append(')');
      }
      case CALL_INDIRECT -> {
        sb.append(" sig").append(dfg.aux(inst)).append(", ");
        appendValue(sb, dfg, dfg.arg(inst, 0));
        sb.append('(');
        appendValues(sb, dfg, inst, 1);
        sb.append(')');
      }
    }
    // A trailing space is left by value-less MULTIARY (a bare "return"); drop it.
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 1);
    }
  }

  /** A constant immediate's text: signed decimal for integers, {@link FloatText} for floats. */
  public static String constantText(Opcode op, Type type, long imm) {
    return switch (op) {
      case F32CONST -> FloatText.f32((int) imm);
      case F64CONST -> FloatText.f64(imm);
      default -> type == Type.I32 ? Integer.toString((int) imm) : Long.toString(imm);
    };
  }

  /** A 128-bit constant as one hexadecimal number, bytes 15 down to 0 (lane 0 last). */
  public static String vectorText(DataFlowGraph.VectorConstant c) {
    return String.format("0x%016x%016x", c.high(), c.low());
  }

  private static void appendValues(StringBuilder sb, DataFlowGraph dfg, int inst, int from) {
    for (int a = from; a < dfg.argCount(inst); a++) {
      if (a > from) {
        sb.append(", ");
      }
      appendValue(sb, dfg, dfg.arg(inst, a));
    }
  }

  private static void appendValue(StringBuilder sb, DataFlowGraph dfg, int v) {
    sb.append('v').append(dfg.resolveAliases(v));
  }

  private static void appendAddress(StringBuilder sb, DataFlowGraph dfg, int addr, long offset) {
    appendValue(sb, dfg, addr);
    if (offset > 0) {
      sb.append('+').append(offset);
    } else if (offset < 0) {
      sb.append(offset);
    }
  }

  private static void appendBlockCall(StringBuilder sb, DataFlowGraph dfg, int blockCall) {
    sb.append("block").append(dfg.blockCallBlock(blockCall));
    int n = dfg.blockCallArgCount(blockCall);
    if (n > 0) {
      sb.append('(');
      for (int a = 0; a < n; a++) {
        if (a > 0) {
          sb.append(", ");
        }
        appendValue(sb, dfg, dfg.blockCallArg(blockCall, a));
      }
      sb.append(')');
    }
  }
}
