package dev.kiln.codegen.lower;

/**
 * Where a lowered instruction's machine instructions go, one form and its operands at a time: each
 * ISA's {@code lower.EmitContext} is one, over that ISA's forms {@code F} and operands {@code O}.
 *
 * <p>The instructions of one to four operands (nearly all a lowering emits) go through methods of
 * their own that make no array of the operands: they fill the array {@link #reusedArray} gives for
 * their count and pass that. The encoders read an instruction's operands while they encode it and
 * keep none, so one array serves every instruction of that count; an array per emitted instruction
 * was 1.5% of a large compile's allocation.
 */
public interface Assembler<F, O> {
  /** Encodes one instruction at the current position. */
  @SuppressWarnings("unchecked") // O is each ISA's operand class: the arrays made are O[]
  void asm(F form, O... operands);

  /**
   * An array of {@code count} (1 to 4) operands that the fixed-arity {@code asm}s fill and hand to
   * {@link #asm(Object, Object[])}: the same array for each count, which nothing else holds.
   */
  O[] reusedArray(int count);

  /** {@link #asm(Object, Object[])} of one operand. */
  default void asm(F form, O a) {
    O[] operands = reusedArray(1);
    operands[0] = a;
    asm(form, operands);
  }

  /** {@link #asm(Object, Object[])} of two operands. */
  default void asm(F form, O a, O b) {
    O[] operands = reusedArray(2);
    operands[0] = a;
    operands[1] = b;
    asm(form, operands);
  }

  /** {@link #asm(Object, Object[])} of three operands. */
  default void asm(F form, O a, O b, O c) {
    O[] operands = reusedArray(3);
    operands[0] = a;
    operands[1] = b;
    operands[2] = c;
    asm(form, operands);
  }

  /** {@link #asm(Object, Object[])} of four operands. */
  default void asm(F form, O a, O b, O c, O d) {
    O[] operands = reusedArray(4);
    operands[0] = a;
    operands[1] = b;
    operands[2] = c;
    operands[3] = d;
    asm(form, operands);
  }
}
