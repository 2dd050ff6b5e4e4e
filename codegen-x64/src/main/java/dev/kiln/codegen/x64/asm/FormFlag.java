package dev.kiln.codegen.x64.asm;

/** Properties of a form that change how it prints, not how it encodes. */
public enum FormFlag {
  /**
   * Immediates print as unsigned values of the operand size: Capstone prints {@code and}, {@code or}
   * and {@code xor} masks that way ({@code andq $0xfffffffffffffff0, %rax}) and every other instruction
   * signed ({@code addq $-0x10, %rax}).
   */
  UNSIGNED_IMMEDIATE,
  /** The r/m operand is a branch target and prints with {@code *} ({@code jmpq *%rax}). */
  INDIRECT
}
