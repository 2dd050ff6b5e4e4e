package dev.kiln.codegen.x64.asm;

/**
 * The legacy prefix a form needs before REX: 66 for 16-bit operands, or the mandatory prefix of an SSE
 * instruction (66, F2, F3) that selects it (SDM Vol. 2A section 2.1.1).
 */
public enum Prefix {
  NONE(-1), P66(0x66), PF2(0xF2), PF3(0xF3);

  private final int value;

  Prefix(int value) {
    this.value = value;
  }

  /** The prefix byte; -1 for none. */
  public int value() {
    return value;
  }
}
