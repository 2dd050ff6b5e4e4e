package dev.kiln.disasm;

import java.util.List;

/**
 * Turns machine code into text. Implementations hold native resources: close them. One instance is not
 * meant to be shared between threads that disassemble at the same time (Capstone handles are not).
 */
public interface Disassembler extends AutoCloseable {

  /** The instruction set this disassembler decodes. */
  Isa isa();

  /**
   * Decodes {@code code} as if it were loaded at {@code address} (PC-relative targets are printed as
   * absolute addresses). Decoding stops at the first byte sequence that is not a valid instruction; the
   * returned instructions then cover only a prefix of {@code code}, which callers detect by summing
   * sizes.
   */
  List<DisassembledInstruction> disassemble(byte[] code, long address);

  /** Releases the native handle; further calls fail. */
  @Override
  void close();
}
