package dev.kiln.compiler.translate;

import dev.kiln.ir.FloatCC;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.Opcode;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one wasm {@code v128} operator (spec 4.4.3, binary 5.4.8) maps onto the IR: which IR opcode,
 * and how its operands come off the stack. The IR's vector opcodes carry wasm's semantics, so each
 * row is one instruction; {@code v128.const}, {@code v128.load} and {@code v128.store} are the
 * translator's own cases (a constant and plain memory accesses).
 *
 * @param shape how operands are taken from the stack
 * @param ir the IR opcode
 * @param lanes the lane shape of a lane-shaped IR opcode, else null
 * @param intCond the condition of an {@link Shape#INT_COMPARE}, else null
 * @param floatCond the condition of a {@link Shape#FLOAT_COMPARE}, else null
 */
public record VectorOperator(Shape shape, Opcode ir, Lanes lanes, IntCC intCond,
    FloatCC floatCond) {
  /** Operand shape of a vector operator. */
  public enum Shape {
    /** {@code [v128] -> [t]}. */
    UNARY,
    /** {@code [v128 v128] -> [v128]}, or {@code [v128 i32] -> [v128]} for a shift. */
    BINARY,
    /** {@code [v128 v128 v128] -> [v128]}. */
    TERNARY,
    /** {@code [v128 v128] -> [v128]}: {@code vicmp}. */
    INT_COMPARE,
    /** {@code [v128 v128] -> [v128]}: {@code vfcmp}. */
    FLOAT_COMPARE,
    /** {@code [v128] -> [t]} with a lane immediate. */
    EXTRACT_LANE,
    /** {@code [v128 t] -> [v128]} with a lane immediate. */
    REPLACE_LANE
  }

  private static final Map<dev.kiln.wasm.code.Opcode, VectorOperator> TABLE = build();

  /** The row for {@code op}, or null when {@code op} is not a vector operator translated so. */
  public static VectorOperator of(dev.kiln.wasm.code.Opcode op) {
    return TABLE.get(op);
  }

  private static Map<dev.kiln.wasm.code.Opcode, VectorOperator> build() {
    Map<dev.kiln.wasm.code.Opcode, VectorOperator> m =
        new EnumMap<>(dev.kiln.wasm.code.Opcode.class);
    put(m, "V128_NOT", Shape.UNARY, Opcode.VNOT);
    put(m, "V128_AND", Shape.BINARY, Opcode.VAND);
    put(m, "V128_ANDNOT", Shape.BINARY, Opcode.VAND_NOT);
    put(m, "V128_OR", Shape.BINARY, Opcode.VOR);
    put(m, "V128_XOR", Shape.BINARY, Opcode.VXOR);
    put(m, "V128_BITSELECT", Shape.TERNARY, Opcode.VBITSELECT);
    put(m, "V128_ANY_TRUE", Shape.UNARY, Opcode.VANY_TRUE);
    lanes(m, "ADD", Shape.BINARY, Opcode.VIADD, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2);
    lanes(m, "SUB", Shape.BINARY, Opcode.VISUB, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2);
    lanes(m, "MUL", Shape.BINARY, Opcode.VIMUL, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2);
    lanes(m, "NEG", Shape.UNARY, Opcode.VINEG, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2);
    lanes(m, "ABS", Shape.UNARY, Opcode.VIABS, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2);
    lanes(m, "MIN_S", Shape.BINARY, Opcode.VSMIN, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4);
    lanes(m, "MIN_U", Shape.BINARY, Opcode.VUMIN, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4);
    lanes(m, "MAX_S", Shape.BINARY, Opcode.VSMAX, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4);
    lanes(m, "MAX_U", Shape.BINARY, Opcode.VUMAX, Lanes.I8X16, Lanes.I16X8, Lanes.I32X4);
    lanes(m, "AVGR_U", Shape.BINARY, Opcode.VAVGR_U, Lanes.I8X16, Lanes.I16X8);
    lanes(m, "ADD_SAT_S", Shape.BINARY, Opcode.VSADD_SAT, Lanes.I8X16, Lanes.I16X8);
    lanes(m, "ADD_SAT_U", Shape.BINARY, Opcode.VUADD_SAT, Lanes.I8X16, Lanes.I16X8);
    lanes(m, "SUB_SAT_S", Shape.BINARY, Opcode.VSSUB_SAT, Lanes.I8X16, Lanes.I16X8);
    lanes(m, "SUB_SAT_U", Shape.BINARY, Opcode.VUSUB_SAT, Lanes.I8X16, Lanes.I16X8);
    Lanes[] ints = {Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2};
    lanes(m, "SHL", Shape.BINARY, Opcode.VISHL, ints);
    lanes(m, "SHR_S", Shape.BINARY, Opcode.VSSHR, ints);
    lanes(m, "SHR_U", Shape.BINARY, Opcode.VUSHR, ints);
    Lanes[] all = Lanes.values();
    lanes(m, "SPLAT", Shape.UNARY, Opcode.VSPLAT, all);
    lanes(m, "REPLACE_LANE", Shape.REPLACE_LANE, Opcode.VINSERTLANE, all);
    lanes(m, "EXTRACT_LANE", Shape.EXTRACT_LANE, Opcode.VEXTRACTLANE, Lanes.I32X4, Lanes.I64X2,
        Lanes.F32X4, Lanes.F64X2);
    lanes(m, "EXTRACT_LANE_U", Shape.EXTRACT_LANE, Opcode.VEXTRACTLANE, Lanes.I8X16, Lanes.I16X8);
    lanes(m, "EXTRACT_LANE_S", Shape.EXTRACT_LANE, Opcode.VSEXTRACTLANE, Lanes.I8X16, Lanes.I16X8);
    for (Lanes l : new Lanes[] {Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2}) {
      compare(m, l, "EQ", IntCC.EQ);
      compare(m, l, "NE", IntCC.NE);
      compare(m, l, "LT_S", IntCC.SLT);
      compare(m, l, "GT_S", IntCC.SGT);
      compare(m, l, "LE_S", IntCC.SLE);
      compare(m, l, "GE_S", IntCC.SGE);
      if (l != Lanes.I64X2) { // i64x2 has only the signed comparisons (spec 4.4.3)
        compare(m, l, "LT_U", IntCC.ULT);
        compare(m, l, "GT_U", IntCC.UGT);
        compare(m, l, "LE_U", IntCC.ULE);
        compare(m, l, "GE_U", IntCC.UGE);
      }
    }
    for (Lanes l : new Lanes[] {Lanes.F32X4, Lanes.F64X2}) {
      for (FloatCC cc : new FloatCC[] {FloatCC.EQ, FloatCC.NE, FloatCC.LT, FloatCC.GT, FloatCC.LE,
          FloatCC.GE}) {
        m.put(wasm(l.name() + "_" + cc.name()), new VectorOperator(Shape.FLOAT_COMPARE, Opcode.VFCMP,
            l, null, cc));
      }
    }
    return m;
  }

  private static dev.kiln.wasm.code.Opcode wasm(String name) {
    return dev.kiln.wasm.code.Opcode.valueOf(name);
  }

  private static void compare(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, Lanes l,
      String name, IntCC cc) {
    m.put(wasm(l.name() + "_" + name), new VectorOperator(Shape.INT_COMPARE, Opcode.VICMP, l, cc,
        null));
  }

  private static void put(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String name,
      Shape shape, Opcode ir) {
    m.put(wasm(name), new VectorOperator(shape, ir, null, null, null));
  }

  /** The rows {@code SHAPE_operator} (wasm {@code i32x4.add} is {@code I32X4_ADD}) of each shape. */
  private static void lanes(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String operator,
      Shape shape, Opcode ir, Lanes... shapes) {
    for (Lanes l : shapes) {
      m.put(wasm(l.name() + "_" + operator), new VectorOperator(shape, ir, l, null, null));
    }
  }
}
