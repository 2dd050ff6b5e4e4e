package dev.kiln.compiler.translate;

import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one wasm integer or vector load or store (spec 4.4.7, {@code t.load}, {@code t.loadN_sx},
 * {@code t.store}, {@code t.storeN}, {@code v128.load}, {@code v128.store}) maps onto an IR memory
 * access: the IR opcode (whose width and extension say what the wasm suffix says), the value type
 * and the access width the bounds check must cover.
 *
 * @param ir the IR load or store opcode
 * @param type the wasm value type loaded or stored
 * @param width bytes accessed
 * @param store whether it is a store
 */
public record MemoryOperator(Opcode ir, Type type, int width, boolean store) {
  private static final Map<dev.kiln.wasm.code.Opcode, MemoryOperator> TABLE = build();

  /** The row for {@code op}, or null when {@code op} is not an integer or vector load or store. */
  public static MemoryOperator of(dev.kiln.wasm.code.Opcode op) {
    return TABLE.get(op);
  }

  private static Map<dev.kiln.wasm.code.Opcode, MemoryOperator> build() {
    Map<dev.kiln.wasm.code.Opcode, MemoryOperator> m =
        new EnumMap<>(dev.kiln.wasm.code.Opcode.class);
    put(m, "I32_LOAD", Opcode.LOAD, Type.I32, 4, false);
    put(m, "I64_LOAD", Opcode.LOAD, Type.I64, 8, false);
    put(m, "I32_LOAD8_S", Opcode.SLOAD8, Type.I32, 1, false);
    put(m, "I32_LOAD8_U", Opcode.ULOAD8, Type.I32, 1, false);
    put(m, "I32_LOAD16_S", Opcode.SLOAD16, Type.I32, 2, false);
    put(m, "I32_LOAD16_U", Opcode.ULOAD16, Type.I32, 2, false);
    put(m, "I64_LOAD8_S", Opcode.SLOAD8, Type.I64, 1, false);
    put(m, "I64_LOAD8_U", Opcode.ULOAD8, Type.I64, 1, false);
    put(m, "I64_LOAD16_S", Opcode.SLOAD16, Type.I64, 2, false);
    put(m, "I64_LOAD16_U", Opcode.ULOAD16, Type.I64, 2, false);
    put(m, "I64_LOAD32_S", Opcode.SLOAD32, Type.I64, 4, false);
    put(m, "I64_LOAD32_U", Opcode.ULOAD32, Type.I64, 4, false);
    put(m, "I32_STORE", Opcode.STORE, Type.I32, 4, true);
    put(m, "I64_STORE", Opcode.STORE, Type.I64, 8, true);
    put(m, "I32_STORE8", Opcode.ISTORE8, Type.I32, 1, true);
    put(m, "I32_STORE16", Opcode.ISTORE16, Type.I32, 2, true);
    put(m, "I64_STORE8", Opcode.ISTORE8, Type.I64, 1, true);
    put(m, "I64_STORE16", Opcode.ISTORE16, Type.I64, 2, true);
    put(m, "I64_STORE32", Opcode.ISTORE32, Type.I64, 4, true);
    put(m, "V128_LOAD", Opcode.LOAD, Type.V128, 16, false);
    put(m, "V128_STORE", Opcode.STORE, Type.V128, 16, true);
    return m;
  }

  private static void put(Map<dev.kiln.wasm.code.Opcode, MemoryOperator> m, String name,
      Opcode ir, Type type, int width, boolean store) {
    m.put(dev.kiln.wasm.code.Opcode.valueOf(name), new MemoryOperator(ir, type, width, store));
  }
}
