package dev.kiln.codegen.x64.asm;

/** Operand sizes of general-purpose instructions, with the AT&amp;T mnemonic suffix of each. */
public enum Size {
  BYTE(1, "b"),
  WORD(2, "w"),
  DWORD(4, "l"),
  QWORD(8, "q");

  private final int bytes;
  private final String suffix;

  Size(int bytes, String suffix) {
    this.bytes = bytes;
    this.suffix = suffix;
  }

  public int bytes() {
    return bytes;
  }

  /** AT&amp;T suffix: {@code addl} is the DWORD add. */
  public String suffix() {
    return suffix;
  }

  /** All-ones mask of this size, as an unsigned value in a long. */
  public long mask() {
    return bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
  }
}
