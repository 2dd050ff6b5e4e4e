package dev.kiln.disasm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One decoded instruction.
 *
 * @param address the address it was decoded at (the {@code address} argument plus its offset)
 * @param bytes its encoding, in memory order
 * @param mnemonic e.g. {@code addl}
 * @param operands e.g. {@code %ecx, %eax}; empty for instructions without operands
 */
public record DisassembledInstruction(long address, byte[] bytes, String mnemonic, String operands) {
  public DisassembledInstruction {
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(operands, "operands");
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Length in bytes. */
  public int size() {
    return bytes.length;
  }

  /**
   * Mnemonic and operands separated by one space, or the mnemonic alone. Capstone's own
   * {@code "%s %s"} habit would leave a trailing space after {@code retq}; this form does not.
   */
  public String text() {
    return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisassembledInstruction d
        && address == d.address
        && Arrays.equals(bytes, d.bytes)
        && mnemonic.equals(d.mnemonic)
        && operands.equals(d.operands);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, Arrays.hashCode(bytes), mnemonic, operands);
  }

  @Override
  public String toString() {
    return String.format("%08x: %-24s %s", address, HexFormat.of().formatHex(bytes), text());
  }
}
