package dev.kiln.disasm;

/** The disassembler's native library could not be loaded, or is a version whose layout Kiln does not know. */
public final class DisassemblerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DisassemblerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public DisassemblerUnavailableException(String message) {
    super(message);
  }
}
