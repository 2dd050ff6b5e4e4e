package dev.kiln.compiler.translate;

import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one wasm float operator maps onto the IR: the arithmetic, comparisons and rounding of spec
 * 4.3.3 (funop, fbinop, frelop), the conversions and reinterpretations of 4.3.4 that touch a float,
 * and the float loads and stores of 4.4.7. The IR's float opcodes carry wasm's semantics (fmin/fmax
 * with NaN and signed-zero rules, nearest ties to even, trapping and saturating truncations), so, as
 * for {@link IntegerOperator}, each row is one instruction.
 *
 * @param shape how operands are taken from the stack and which builder method is used
 * @param ir the IR opcode (null for a {@link Shape#COMPARE})
 * @param type the IR controlling type: the result type, or for a compare the operand type
 * @param cond the condition of a {@link Shape#COMPARE}, else null
 * @param memory the access of a {@link Shape#MEMORY} row, else null
 */
public record FloatOperator(Shape shape, Opcode ir, Type type, FloatCC cond,
    MemoryOperator memory) {
  /** Operand shape of a float operator. */
  public enum Shape {
    /** {@code [t t] -> [t]}. */
    BINARY,
    /** {@code [t] -> [t']}: unary arithmetic, conversions, reinterpretations. */
    UNARY,
    /** {@code [t t] -> [i32]}: {@code fcmp}. */
    COMPARE,
    /** A load or store, translated like the integer ones with {@link #memory()}. */
    MEMORY
  }

  private static final Map<dev.kiln.wasm.code.Opcode, FloatOperator> TABLE = build();

  /** The row for {@code op}, or null when {@code op} is not a float operator. */
  public static FloatOperator of(dev.kiln.wasm.code.Opcode op) {
    return TABLE.get(op);
  }

  private static Map<dev.kiln.wasm.code.Opcode, FloatOperator> build() {
    Map<dev.kiln.wasm.code.Opcode, FloatOperator> m =
        new EnumMap<>(dev.kiln.wasm.code.Opcode.class);
    for (Type t : new Type[] {Type.F32, Type.F64}) {
      String p = t == Type.F32 ? "F32_" : "F64_";
      compare(m, p + "EQ", t, FloatCC.EQ);
      compare(m, p + "NE", t, FloatCC.NE);
      compare(m, p + "LT", t, FloatCC.LT);
      compare(m, p + "GT", t, FloatCC.GT);
      compare(m, p + "LE", t, FloatCC.LE);
      compare(m, p + "GE", t, FloatCC.GE);
      unary(m, p + "ABS", Opcode.FABS, t);
      unary(m, p + "NEG", Opcode.FNEG, t);
      unary(m, p + "CEIL", Opcode.CEIL, t);
      unary(m, p + "FLOOR", Opcode.FLOOR, t);
      unary(m, p + "TRUNC", Opcode.TRUNC, t);
      unary(m, p + "NEAREST", Opcode.NEAREST, t);
      unary(m, p + "SQRT", Opcode.SQRT, t);
      binary(m, p + "ADD", Opcode.FADD, t);
      binary(m, p + "SUB", Opcode.FSUB, t);
      binary(m, p + "MUL", Opcode.FMUL, t);
      binary(m, p + "DIV", Opcode.FDIV, t);
      binary(m, p + "MIN", Opcode.FMIN, t);
      binary(m, p + "MAX", Opcode.FMAX, t);
      binary(m, p + "COPYSIGN", Opcode.FCOPYSIGN, t);
      String self = t == Type.F32 ? "F32" : "F64";
      unary(m, self + "_CONVERT_I32_S", Opcode.FCVT_FROM_SINT, t);
      unary(m, self + "_CONVERT_I32_U", Opcode.FCVT_FROM_UINT, t);
      unary(m, self + "_CONVERT_I64_S", Opcode.FCVT_FROM_SINT, t);
      unary(m, self + "_CONVERT_I64_U", Opcode.FCVT_FROM_UINT, t);
      for (Type i : new Type[] {Type.I32, Type.I64}) {
        String q = (i == Type.I32 ? "I32_" : "I64_");
        String from = "_" + self;
        unary(m, q + "TRUNC" + from + "_S", Opcode.FCVT_TO_SINT, i);
        unary(m, q + "TRUNC" + from + "_U", Opcode.FCVT_TO_UINT, i);
        unary(m, q + "TRUNC_SAT" + from + "_S", Opcode.FCVT_TO_SINT_SAT, i);
        unary(m, q + "TRUNC_SAT" + from + "_U", Opcode.FCVT_TO_UINT_SAT, i);
      }
    }
    unary(m, "F32_DEMOTE_F64", Opcode.FDEMOTE, Type.F32);
    unary(m, "F64_PROMOTE_F32", Opcode.FPROMOTE, Type.F64);
    unary(m, "I32_REINTERPRET_F32", Opcode.BITCAST, Type.I32);
    unary(m, "I64_REINTERPRET_F64", Opcode.BITCAST, Type.I64);
    unary(m, "F32_REINTERPRET_I32", Opcode.BITCAST, Type.F32);
    unary(m, "F64_REINTERPRET_I64", Opcode.BITCAST, Type.F64);
    memory(m, "F32_LOAD", new MemoryOperator(Opcode.LOAD, Type.F32, 4, false));
    memory(m, "F64_LOAD", new MemoryOperator(Opcode.LOAD, Type.F64, 8, false));
    memory(m, "F32_STORE", new MemoryOperator(Opcode.STORE, Type.F32, 4, true));
    memory(m, "F64_STORE", new MemoryOperator(Opcode.STORE, Type.F64, 8, true));
    return m;
  }

  private static dev.kiln.wasm.code.Opcode wasm(String name) {
    return dev.kiln.wasm.code.Opcode.valueOf(name);
  }

  private static void compare(Map<dev.kiln.wasm.code.Opcode, FloatOperator> m, String name, Type t,
      FloatCC cc) {
    m.put(wasm(name), new FloatOperator(Shape.COMPARE, null, t, cc, null));
  }

  private static void unary(Map<dev.kiln.wasm.code.Opcode, FloatOperator> m, String name,
      Opcode ir, Type t) {
    m.put(wasm(name), new FloatOperator(Shape.UNARY, ir, t, null, null));
  }

  private static void binary(Map<dev.kiln.wasm.code.Opcode, FloatOperator> m, String name,
      Opcode ir, Type t) {
    m.put(wasm(name), new FloatOperator(Shape.BINARY, ir, t, null, null));
  }

  private static void memory(Map<dev.kiln.wasm.code.Opcode, FloatOperator> m, String name,
      MemoryOperator access) {
    m.put(wasm(name), new FloatOperator(Shape.MEMORY, null, access.type(), null, access));
  }
}
