package dev.kiln.compiler.driver;

/**
 * A constant expression (global initialiser, segment offset or element item) uses an instruction
 * module info cannot record: a guard for a decoder that learns an instruction before module info
 * does (every constant instruction of the proposals Kiln validates is recorded). The message names
 * the instruction and its module byte offset.
 */
public final class UnsupportedInitialiserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedInitialiserException(String instruction, int offset) {
    super(instruction + " at 0x" + Integer.toHexString(offset) + " in a constant expression is not supported yet");
  }
}
