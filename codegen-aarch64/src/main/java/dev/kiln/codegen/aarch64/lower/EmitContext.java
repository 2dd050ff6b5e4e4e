package dev.kiln.codegen.aarch64.lower;

import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.Assembler;
import dev.kiln.codegen.lower.EmitSession;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.Operand;
import dev.kiln.ir.TrapCode;

/**
 * What an AArch64 lowered instruction needs from the emitter beyond {@link EmitSession}: a place to
 * put machine instructions, out-of-line trap blocks, constants, and the frame's addresses. Inside one
 * lowered instruction x16 and x17 are free (the allocator uses x17 only between instructions).
 */
public interface EmitContext extends EmitSession, Assembler<Form, Operand> {
  /** {@code rd = value} of 32 ({@code wide} false) or 64 bits. */
  void movConst(Gpr rd, boolean wide, long value);

  /**
   * {@code rd = rn + value} (64-bit) for any {@code value}, either register may be SP: one or two
   * add/sub immediates, or the constant in x17 first.
   */
  void addConst(Gpr rd, Gpr rn, long value);

  /**
   * A load or store of {@code rt} at {@code base + offset}, any offset; x17 holds an offset that
   * does not fit the scaled immediate, so {@code base} must not be x17.
   */
  void access(Form unsignedOffsetForm, Operand rt, Gpr base, long offset);

  /**
   * The out-of-line block that raises {@code code}; {@code vmctx} is the register holding this
   * function's vmctx at the branch (the block moves it to x0 for the trap stub).
   */
  Label trapLabel(TrapCode code, Gpr vmctx);

  /**
   * The label of the 16-byte constant with halves {@code low} (bytes 0-7) and {@code high} (bytes
   * 8-15), placed after the function's code for an LDR (literal) to read (vector constants).
   */
  Label constant(long low, long high);

  /** Byte offset from x29 of this function's own stack argument at {@code offset}. */
  long incoming(int offset);

  /**
   * Byte offset from x29 where a tail call writes its callee's stack argument at {@code offset},
   * the callee taking {@code calleeBytes} of them: right below the top of the argument area.
   */
  long tailArgument(int calleeBytes, int offset);

  /** Byte offset from sp of a spill slot (an ANY operand the allocator left in memory). */
  long spillSlot(dev.kiln.codegen.regalloc.SpillSlot slot);
}
