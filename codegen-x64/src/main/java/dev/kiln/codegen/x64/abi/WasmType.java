package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.ir.Type;

/**
 * The value types a wasm signature is made of, as the trampolines see them: the IR type that
 * carries a value (references are 64-bit pointers, so I64) and so its register class and slot size
 * under the calling convention ({@link WasmCallAssignment}), and whether an integer is 32 bits wide
 * in its {@code ValRaw} (docs/ARCHITECTURE.md section 4).
 */
public enum WasmType {
  I32(Type.I32),
  I64(Type.I64),
  F32(Type.F32),
  F64(Type.F64),
  V128(Type.V128),
  FUNCREF(Type.I64),
  EXTERNREF(Type.I64);

  private final Type irType;

  WasmType(Type irType) {
    this.irType = irType;
  }

  /** The IR type of a value of this type. */
  public Type irType() {
    return irType;
  }

  /** Size and alignment of this type's stack-argument or return-area slot: 8, or 16 for v128. */
  public int slotBytes() {
    return WasmCallAssignment.slotBytes(irType);
  }
}
