package dev.kiln.compiler.translate;

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
 */
public record VectorOperator(Shape shape, Opcode ir) {
  /** Operand shape of a vector operator. */
  public enum Shape {
    /** {@code [v128] -> [t]}. */
    UNARY,
    /** {@code [v128 v128] -> [v128]}. */
    BINARY,
    /** {@code [v128 v128 v128] -> [v128]}. */
    TERNARY
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
    return m;
  }

  private static void put(Map<dev.kiln.wasm.code.Opcode, VectorOperator> m, String name,
      Shape shape, Opcode ir) {
    m.put(dev.kiln.wasm.code.Opcode.valueOf(name), new VectorOperator(shape, ir));
  }
}
