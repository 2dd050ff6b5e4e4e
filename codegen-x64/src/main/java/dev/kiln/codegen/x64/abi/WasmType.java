package dev.kiln.codegen.x64.abi;

/**
 * The value types a wasm signature is made of, as the calling convention sees them: which register
 * class carries a value and how many bytes it occupies in a stack slot, a return-area slot and a
 * {@code ValRaw} (ARCHITECTURE.md section 4). References are 64-bit pointers in integer registers.
 */
public enum WasmType {
  I32(RegClass.INT, 8),
  I64(RegClass.INT, 8),
  F32(RegClass.FLOAT, 8),
  F64(RegClass.FLOAT, 8),
  V128(RegClass.FLOAT, 16),
  FUNCREF(RegClass.INT, 8),
  EXTERNREF(RegClass.INT, 8);

  /** Which register file carries a value. */
  public enum RegClass {
    /** General-purpose registers. */
    INT,
    /** SSE registers. */
    FLOAT
  }

  private final RegClass regClass;
  private final int slotBytes;

  WasmType(RegClass regClass, int slotBytes) {
    this.regClass = regClass;
    this.slotBytes = slotBytes;
  }

  public RegClass regClass() {
    return regClass;
  }

  /** Size and alignment of this type's stack-argument or return-area slot: 8, or 16 for v128. */
  public int slotBytes() {
    return slotBytes;
  }
}
