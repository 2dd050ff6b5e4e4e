package dev.kiln.compiler.translate;

import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one wasm integer operator (spec 4.3.2 and 4.4.1: iunop, ibinop, itestop, irelop, and the
 * conversions between i32 and i64) maps onto one IR instruction. The IR's integer opcodes already
 * carry wasm semantics (wrapping arithmetic, shift counts modulo the width, {@code sdiv}/{@code
 * srem} trapping on zero and {@code sdiv} on {@code INT_MIN / -1}, whose {@code srem} is 0), so
 * every row is one instruction; the table is the whole translation of these operators.
 *
 * @param shape how operands are taken from the stack and which builder method is used
 * @param ir the IR opcode (null for {@link Shape#EQZ} and {@link Shape#COMPARE})
 * @param type the IR controlling type (for a compare: the operand type)
 * @param cond the condition of a {@link Shape#COMPARE}, else null
 */
public record IntegerOperator(Shape shape, Opcode ir, Type type, IntCC cond) {
  /** Operand shape of an integer operator. */
  public enum Shape {
    /** {@code [t t] -> [t]}. */
    BINARY,
    /** {@code [t] -> [t']}: unary arithmetic and width changes. */
    UNARY,
    /** {@code [t] -> [i32]}: {@code eqz}. */
    EQZ,
    /** {@code [t t] -> [i32]}: {@code icmp}. */
    COMPARE
  }

  private static final Map<dev.kiln.wasm.code.Opcode, IntegerOperator> TABLE = build();

  /** The row for {@code op}, or null when {@code op} is not an integer operator. */
  public static IntegerOperator of(dev.kiln.wasm.code.Opcode op) {
    return TABLE.get(op);
  }

  private static Map<dev.kiln.wasm.code.Opcode, IntegerOperator> build() {
    Map<dev.kiln.wasm.code.Opcode, IntegerOperator> m =
        new EnumMap<>(dev.kiln.wasm.code.Opcode.class);
    for (Type t : new Type[] {Type.I32, Type.I64}) {
      String p = t == Type.I32 ? "I32_" : "I64_";
      m.put(wasm(p + "EQZ"), new IntegerOperator(Shape.EQZ, null, t, null));
      compare(m, p + "EQ", t, IntCC.EQ);
      compare(m, p + "NE", t, IntCC.NE);
      compare(m, p + "LT_S", t, IntCC.SLT);
      compare(m, p + "LT_U", t, IntCC.ULT);
      compare(m, p + "GT_S", t, IntCC.SGT);
      compare(m, p + "GT_U", t, IntCC.UGT);
      compare(m, p + "LE_S", t, IntCC.SLE);
      compare(m, p + "LE_U", t, IntCC.ULE);
      compare(m, p + "GE_S", t, IntCC.SGE);
      compare(m, p + "GE_U", t, IntCC.UGE);
      unary(m, p + "CLZ", Opcode.CLZ, t);
      unary(m, p + "CTZ", Opcode.CTZ, t);
      unary(m, p + "POPCNT", Opcode.POPCNT, t);
      binary(m, p + "ADD", Opcode.IADD, t);
      binary(m, p + "SUB", Opcode.ISUB, t);
      binary(m, p + "MUL", Opcode.IMUL, t);
      binary(m, p + "DIV_S", Opcode.SDIV, t);
      binary(m, p + "DIV_U", Opcode.UDIV, t);
      binary(m, p + "REM_S", Opcode.SREM, t);
      binary(m, p + "REM_U", Opcode.UREM, t);
      binary(m, p + "AND", Opcode.BAND, t);
      binary(m, p + "OR", Opcode.BOR, t);
      binary(m, p + "XOR", Opcode.BXOR, t);
      binary(m, p + "SHL", Opcode.ISHL, t);
      binary(m, p + "SHR_S", Opcode.SSHR, t);
      binary(m, p + "SHR_U", Opcode.USHR, t);
      binary(m, p + "ROTL", Opcode.ROTL, t);
      binary(m, p + "ROTR", Opcode.ROTR, t);
      unary(m, p + "EXTEND8_S", Opcode.EXTEND8_S, t);
      unary(m, p + "EXTEND16_S", Opcode.EXTEND16_S, t);
    }
    unary(m, "I64_EXTEND32_S", Opcode.EXTEND32_S, Type.I64);
    unary(m, "I32_WRAP_I64", Opcode.IREDUCE, Type.I32);
    unary(m, "I64_EXTEND_I32_S", Opcode.SEXTEND, Type.I64);
    unary(m, "I64_EXTEND_I32_U", Opcode.UEXTEND, Type.I64);
    return m;
  }

  private static dev.kiln.wasm.code.Opcode wasm(String name) {
    return dev.kiln.wasm.code.Opcode.valueOf(name);
  }

  private static void compare(Map<dev.kiln.wasm.code.Opcode, IntegerOperator> m, String name,
      Type t, IntCC cc) {
    m.put(wasm(name), new IntegerOperator(Shape.COMPARE, null, t, cc));
  }

  private static void unary(Map<dev.kiln.wasm.code.Opcode, IntegerOperator> m, String name,
      Opcode ir, Type t) {
    m.put(wasm(name), new IntegerOperator(Shape.UNARY, ir, t, null));
  }

  private static void binary(Map<dev.kiln.wasm.code.Opcode, IntegerOperator> m, String name,
      Opcode ir, Type t) {
    m.put(wasm(name), new IntegerOperator(Shape.BINARY, ir, t, null));
  }
}
