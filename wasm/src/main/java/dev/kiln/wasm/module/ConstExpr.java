package dev.kiln.wasm.module;

/**
 * A constant expression (spec 3.3.10), kept as the instruction bytes {@code source[start, end)},
 * including the final {@code end} opcode. The decoder only delimits it; the validator checks that it
 * is constant and well typed, and the compiler and loader evaluate it with the same instruction
 * reader that reads function bodies.
 */
public record ConstExpr(byte[] source, int start, int end) {
  public int length() {
    return end - start;
  }
}
