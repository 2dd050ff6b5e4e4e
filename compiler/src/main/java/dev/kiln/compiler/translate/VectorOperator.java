package dev.kiln.compiler.translate;

import dev.kiln.ir.FloatCC;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one wasm {@code v128} operator (spec 4.4.3, binary 5.4.8) maps onto the IR: which IR opcode,
 * and how its operands come off the stack. The IR's vector opcodes carry wasm's semantics, so each
 * row is one instruction, or a scalar memory access and one instruction; {@code v128.const}, {@code
 * v128.load} and {@code v128.store} are the translator's own cases (a constant and plain memory
 * accesses).
 *
 * @param shape how operands are taken from the stack
 * @param ir the IR opcode
 * @param lanes the lane shape of a lane-shaped IR opcode, else null
 * @param intCond the condition of an {@link Shape#INT_COMPARE}, else null
 * @param floatCond the condition of a {@link Shape#FLOAT_COMPARE}, else null
 * @param memory the scalar access of a load or store shape, else null
 */
public record VectorOperator(Shape shape, Opcode ir, Lanes lanes, IntCC intCond,
    FloatCC floatCond, MemoryOperator memory) {
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
    REPLACE_LANE,
    /** {@code [v128 v128] -> [v128]} with 16 byte-index immediates. */
    SHUFFLE,
    /** {@code [addr] -> [v128]}: a scalar load, then {@code ir} (a splat) on it. */
    LOAD_SPLAT,
    /** {@code [addr] -> [v128]}: the access itself loads into a zeroed v128. */
    LOAD_ZERO,
    /** {@code [addr] -> [v128]}: 8 bytes into the low half, then {@code ir} widens them. */
    LOAD_EXTEND,
    /** {@code [addr v128] -> [v128]}: a scalar load into a lane. */
    LOAD_LANE,
    /** {@code [addr v128] -> []}: a lane stored as a scalar. */
    STORE_LANE
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
    put(m, "I8X16_SHUFFLE", Shape.SHUFFLE, Opcode.VSHUFFLE);
    put(m, "I8X16_SWIZZLE", Shape.BINARY, Opcode.VSWIZZLE);
    lanes(m, "ALL_TRUE", Shape.UNARY, Opcode.VALL_TRUE, ints);
    lanes(m, "BITMASK", Shape.UNARY, Opcode.VBITMASK, ints);
    lanes(m, "POPCNT", Shape.UNARY, Opcode.VPOPCNT, Lanes.I8X16);
    lanes(m, "NARROW_I16X8_S", Shape.BINARY, Opcode.VSNARROW, Lanes.I8X16);
    lanes(m, "NARROW_I16X8_U", Shape.BINARY, Opcode.VUNARROW, Lanes.I8X16);
    lanes(m, "NARROW_I32X4_S", Shape.BINARY, Opcode.VSNARROW, Lanes.I16X8);
    lanes(m, "NARROW_I32X4_U", Shape.BINARY, Opcode.VUNARROW, Lanes.I16X8);
    lanes(m, "EXTADD_PAIRWISE_I8X16_S", Shape.UNARY, Opcode.VSEXTADD_PAIRWISE, Lanes.I16X8);
    lanes(m, "EXTADD_PAIRWISE_I8X16_U", Shape.UNARY, Opcode.VUEXTADD_PAIRWISE, Lanes.I16X8);
    lanes(m, "EXTADD_PAIRWISE_I16X8_S", Shape.UNARY, Opcode.VSEXTADD_PAIRWISE, Lanes.I32X4);
    lanes(m, "EXTADD_PAIRWISE_I16X8_U", Shape.UNARY, Opcode.VUEXTADD_PAIRWISE, Lanes.I32X4);
    lanes(m, "Q15MULR_SAT_S", Shape.BINARY, Opcode.VQ15MULR_SAT, Lanes.I16X8);
    lanes(m, "DOT_I16X8_S", Shape.BINARY, Opcode.VSDOT, Lanes.I32X4);
    for (Lanes l : new Lanes[] {Lanes.I16X8, Lanes.I32X4, Lanes.I64X2}) {
      String from = "_" + l.narrower().name() + "_";
      lanes(m, "EXTMUL_LOW" + from + "S", Shape.BINARY, Opcode.VSEXTMUL_LOW, l);
      lanes(m, "EXTMUL_HIGH" + from + "S", Shape.BINARY, Opcode.VSEXTMUL_HIGH, l);
      lanes(m, "EXTMUL_LOW" + from + "U", Shape.BINARY, Opcode.VUEXTMUL_LOW, l);
      lanes(m, "EXTMUL_HIGH" + from + "U", Shape.BINARY, Opcode.VUEXTMUL_HIGH, l);
    }
    Lanes[] floats = {Lanes.F32X4, Lanes.F64X2};
    lanes(m, "ADD", Shape.BINARY, Opcode.VFADD, floats);
    lanes(m, "SUB", Shape.BINARY, Opcode.VFSUB, floats);
    lanes(m, "MUL", Shape.BINARY, Opcode.VFMUL, floats);
    lanes(m, "DIV", Shape.BINARY, Opcode.VFDIV, floats);
    lanes(m, "MIN", Shape.BINARY, Opcode.VFMIN, floats);
    lanes(m, "MAX", Shape.BINARY, Opcode.VFMAX, floats);
    lanes(m, "PMIN", Shape.BINARY, Opcode.VFPMIN, floats);
    lanes(m, "PMAX", Shape.BINARY, Opcode.VFPMAX, floats);
    lanes(m, "SQRT", Shape.UNARY, Opcode.VFSQRT, floats);
    lanes(m, "CEIL", Shape.UNARY, Opcode.VFCEIL, floats);
    lanes(m, "FLOOR", Shape.UNARY, Opcode.VFFLOOR, floats);
    lanes(m, "TRUNC", Shape.UNARY, Opcode.VFTRUNC, floats);
    lanes(m, "NEAREST", Shape.UNARY, Opcode.VFNEAREST, floats);
    lanes(m, "ABS", Shape.UNARY, Opcode.VFABS, floats);
    lanes(m, "NEG", Shape.UNARY, Opcode.VFNEG, floats);
    lanes(m, "CONVERT_I32X4_S", Shape.UNARY, Opcode.VFCVT_FROM_SINT, Lanes.F32X4);
    lanes(m, "CONVERT_I32X4_U", Shape.UNARY, Opcode.VFCVT_FROM_UINT, Lanes.F32X4);
    lanes(m, "CONVERT_LOW_I32X4_S", Shape.UNARY, Opcode.VFCVT_FROM_SINT, Lanes.F64X2);
    lanes(m, "CONVERT_LOW_I32X4_U", Shape.UNARY, Opcode.VFCVT_FROM_UINT, Lanes.F64X2);
    // i32x4.trunc_sat_f32x4_s and _f64x2_s_zero: the IR shape is the float source's
    m.put(wasm("I32X4_TRUNC_SAT_F32X4_S"), new VectorOperator(Shape.UNARY,
        Opcode.VFCVT_TO_SINT_SAT, Lanes.F32X4, null, null, null));
    m.put(wasm("I32X4_TRUNC_SAT_F32X4_U"), new VectorOperator(Shape.UNARY,
        Opcode.VFCVT_TO_UINT_SAT, Lanes.F32X4, null, null, null));
    m.put(wasm("I32X4_TRUNC_SAT_F64X2_S_ZERO"), new VectorOperator(Shape.UNARY,
        Opcode.VFCVT_TO_SINT_SAT, Lanes.F64X2, null, null, null));
    m.put(wasm("I32X4_TRUNC_SAT_F64X2_U_ZERO"), new VectorOperator(Shape.UNARY,
        Opcode.VFCVT_TO_UINT_SAT, Lanes.F64X2, null, null, null));
    // Relaxed SIMD: the IR opcodes carry the spec's set of allowed results; each ISA picks one.
    put(m, "I8X16_RELAXED_SWIZZLE", Shape.BINARY, Opcode.VRELAXED_SWIZZLE);
    m.put(wasm("I32X4_RELAXED_TRUNC_F32X4_S"), new VectorOperator(Shape.UNARY,
        Opcode.VRELAXED_FCVT_TO_SINT, Lanes.F32X4, null, null, null));
    m.put(wasm("I32X4_RELAXED_TRUNC_F32X4_U"), new VectorOperator(Shape.UNARY,
        Opcode.VRELAXED_FCVT_TO_UINT, Lanes.F32X4, null, null, null));
    m.put(wasm("I32X4_RELAXED_TRUNC_F64X2_S_ZERO"), new VectorOperator(Shape.UNARY,
        Opcode.VRELAXED_FCVT_TO_SINT, Lanes.F64X2, null, null, null));
    m.put(wasm("I32X4_RELAXED_TRUNC_F64X2_U_ZERO"), new VectorOperator(Shape.UNARY,
        Opcode.VRELAXED_FCVT_TO_UINT, Lanes.F64X2, null, null, null));
    lanes(m, "RELAXED_MADD", Shape.TERNARY, Opcode.VRELAXED_FMA, floats);
    lanes(m, "RELAXED_NMADD", Shape.TERNARY, Opcode.VRELAXED_FNMA, floats);
    lanes(m, "RELAXED_LANESELECT", Shape.TERNARY, Opcode.VRELAXED_LANESELECT, ints);
    lanes(m, "RELAXED_MIN", Shape.BINARY, Opcode.VRELAXED_FMIN, floats);
    lanes(m, "RELAXED_MAX", Shape.BINARY, Opcode.VRELAXED_FMAX, floats);
    lanes(m, "RELAXED_Q15MULR_S", Shape.BINARY, Opcode.VRELAXED_Q15MULR, Lanes.I16X8);
    lanes(m, "RELAXED_DOT_I8X16_I7X16_S", Shape.BINARY, Opcode.VRELAXED_DOT_I8, Lanes.I16X8);
    lanes(m, "RELAXED_DOT_I8X16_I7X16_ADD_S", Shape.TERNARY, Opcode.VRELAXED_DOT_I8_ADD,
        Lanes.I32X4);
    put(m, "F32X4_DEMOTE_F64X2_ZERO", Shape.UNARY, Opcode.VFDEMOTE);
    put(m, "F64X2_PROMOTE_LOW_F32X4", Shape.UNARY, Opcode.VFPROMOTE);
    lanes(m, "EXTEND_LOW_I8X16_S", Shape.UNARY, Opcode.VSWIDEN_LOW, Lanes.I16X8);
    lanes(m, "EXTEND_HIGH_I8X16_S", Shape.UNARY, Opcode.VSWIDEN_HIGH, Lanes.I16X8);
    lanes(m, "EXTEND_LOW_I8X16_U", Shape.UNARY, Opcode.VUWIDEN_LOW, Lanes.I16X8);
    lanes(m, "EXTEND_HIGH_I8X16_U", Shape.UNARY, Opcode.VUWIDEN_HIGH, Lanes.I16X8);
    lanes(m, "EXTEND_LOW_I16X8_S", Shape.UNARY, Opcode.VSWIDEN_LOW, Lanes.I32X4);
    lanes(m, "EXTEND_HIGH_I16X8_S", Shape.UNARY, Opcode.VSWIDEN_HIGH, Lanes.I32X4);
    lanes(m, "EXTEND_LOW_I16X8_U", Shape.UNARY, Opcode.VUWIDEN_LOW, Lanes.I32X4);
    lanes(m, "EXTEND_HIGH_I16X8_U", Shape.UNARY, Opcode.VUWIDEN_HIGH, Lanes.I32X4);
    lanes(m, "EXTEND_LOW_I32X4_S", Shape.UNARY, Opcode.VSWIDEN_LOW, Lanes.I64X2);
    lanes(m, "EXTEND_HIGH_I32X4_S", Shape.UNARY, Opcode.VSWIDEN_HIGH, Lanes.I64X2);
    lanes(m, "EXTEND_LOW_I32X4_U", Shape.UNARY, Opcode.VUWIDEN_LOW, Lanes.I64X2);
    lanes(m, "EXTEND_HIGH_I32X4_U", Shape.UNARY, Opcode.VUWIDEN_HIGH, Lanes.I64X2);
    memory(m, "V128_LOAD8_SPLAT", Shape.LOAD_SPLAT, Opcode.VSPLAT, Lanes.I8X16,
        new MemoryOperator(Opcode.ULOAD8, Type.I32, 1, false));
    memory(m, "V128_LOAD16_SPLAT", Shape.LOAD_SPLAT, Opcode.VSPLAT, Lanes.I16X8,
        new MemoryOperator(Opcode.ULOAD16, Type.I32, 2, false));
    memory(m, "V128_LOAD32_SPLAT", Shape.LOAD_SPLAT, Opcode.VSPLAT, Lanes.I32X4,
        new MemoryOperator(Opcode.LOAD, Type.I32, 4, false));
    memory(m, "V128_LOAD64_SPLAT", Shape.LOAD_SPLAT, Opcode.VSPLAT, Lanes.I64X2,
        new MemoryOperator(Opcode.LOAD, Type.I64, 8, false));
    memory(m, "V128_LOAD32_ZERO", Shape.LOAD_ZERO, null, null,
        new MemoryOperator(Opcode.ULOAD32, Type.V128, 4, false));
    memory(m, "V128_LOAD64_ZERO", Shape.LOAD_ZERO, null, null,
        new MemoryOperator(Opcode.ULOAD64, Type.V128, 8, false));
    MemoryOperator eightBytes = new MemoryOperator(Opcode.ULOAD64, Type.V128, 8, false);
    memory(m, "V128_LOAD8X8_S", Shape.LOAD_EXTEND, Opcode.VSWIDEN_LOW, Lanes.I16X8, eightBytes);
    memory(m, "V128_LOAD8X8_U", Shape.LOAD_EXTEND, Opcode.VUWIDEN_LOW, Lanes.I16X8, eightBytes);
    memory(m, "V128_LOAD16X4_S", Shape.LOAD_EXTEND, Opcode.VSWIDEN_LOW, Lanes.I32X4, eightBytes);
    memory(m, "V128_LOAD16X4_U", Shape.LOAD_EXTEND, Opcode.VUWIDEN_LOW, Lanes.I32X4, eightBytes);
    memory(m, "V128_LOAD32X2_S", Shape.LOAD_EXTEND, Opcode.VSWIDEN_LOW, Lanes.I64X2, eightBytes);
    memory(m, "V128_LOAD32X2_U", Shape.LOAD_EXTEND, Opcode.VUWIDEN_LOW, Lanes.I64X2, eightBytes);
    memory(m, "V128_LOAD8_LANE", Shape.LOAD_LANE, null, Lanes.I8X16,
        new MemoryOperator(Opcode.ULOAD8, Type.I32, 1, false));
    memory(m, "V128_LOAD16_LANE", Shape.LOAD_LANE, null, Lanes.I16X8,
        new MemoryOperator(Opcode.ULOAD16, Type.I32, 2, false));
    memory(m, "V128_LOAD32_LANE", Shape.LOAD_LANE, null, Lanes.I32X4,
        new MemoryOperator(Opcode.LOAD, Type.I32, 4, false));
    memory(m, "V128_LOAD64_LANE", Shape.LOAD_LANE, null, Lanes.I64X2,
        new MemoryOperator(Opcode.LOAD, Type.I64, 8, false));
    memory(m, "V128_STORE8_LANE", Shape.STORE_LANE, null, Lanes.I8X16,
        new MemoryOperator(Opcode.ISTORE8, Type.I32, 1, true));
    memory(m, "V128_STORE16_LANE", Shape.STORE_LANE, null, Lanes.I16X8,
        new MemoryOperator(Opcode.ISTORE16, Type.I32, 2, true));
    memory(m, "V128_STORE32_LANE", Shape.STORE_LANE, null, Lanes.I32X4,
        new MemoryOperator(Opcode.STORE, Type.I32, 4, true));
    memory(m, "V128_STORE64_LANE", Shape.STORE_LANE, null, Lanes.I64X2,
        new MemoryOperator(Opcode.STORE, Type.I64, 8, true));
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
            l, null, cc, null));
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
        null, null));
  }

  private static void memory(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String name,
      Shape shape, Opcode ir, Lanes lanes, MemoryOperator access) {
    m.put(wasm(name), new VectorOperator(shape, ir, lanes, null, null, access));
  }

  private static void put(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String name,
      Shape shape, Opcode ir) {
    m.put(wasm(name), new VectorOperator(shape, ir, null, null, null, null));
  }

  /** The rows {@code SHAPE_operator} (wasm {@code i32x4.add} is {@code I32X4_ADD}) of each shape. */
  private static void lanes(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String operator,
      Shape shape, Opcode ir, Lanes... shapes) {
    for (Lanes l : shapes) {
      m.put(wasm(l.name() + "_" + operator), new VectorOperator(shape, ir, l, null, null, null));
    }
  }
}
