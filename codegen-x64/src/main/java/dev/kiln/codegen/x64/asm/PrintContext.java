package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.Label;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Where an instruction sits, so PC-relative operands can print as Capstone prints them: branch targets
 * as absolute addresses, RIP-relative operands as the displacement from the next instruction.
 *
 * @param address address of the instruction's first byte
 * @param length its encoded length
 * @param labelAddress the address each label is bound to
 */
public record PrintContext(long address, int length, ToLongFunction<Label> labelAddress) {
  public PrintContext {
    Objects.requireNonNull(labelAddress, "labelAddress");
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive: " + length);
    }
  }

  /** Address of the next instruction, which x86 PC-relative fields count from. */
  public long next() {
    return address + length;
  }
}
