package dev.kiln.codegen.x64.lower;

import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.Assembler;
import dev.kiln.codegen.lower.EmitSession;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.ir.TrapCode;

/**
 * What an x86-64 lowered instruction needs from the emitter beyond {@link EmitSession}: a place to
 * put machine instructions, out-of-line trap blocks, constants, and the frame's addresses.
 */
public interface EmitContext extends EmitSession, Assembler<Form, Operand> {
  /**
   * The out-of-line block that raises {@code code}; {@code vmctx} is the register holding this
   * function's vmctx at the branch (the trap stub wants it in rdi).
   */
  Label trapLabel(TrapCode code, Gpr vmctx);

  /**
   * A RIP-relative operand reading the 16-byte constant with halves {@code low} (bytes 0-7) and
   * {@code high} (bytes 8-15), placed 16-aligned after the function's code (vector masks and
   * constants).
   */
  Amode constant(long low, long high);

  /**
   * A RIP-relative operand at the start of constant data, {@code bytes} (whole 16-byte rows) in
   * memory order, placed like {@link #constant}: a table one instruction indexes.
   */
  Amode constantTable(byte[] bytes);

  /** A slot of the outgoing area at rsp + offset (stack arguments, return areas of calls). */
  Amode outgoing(int offset);

  /** This function's own stack argument at {@code offset}, rbp-relative in its argument area. */
  Amode incoming(int offset);

  /**
   * Where a tail call writes its callee's stack argument at {@code offset}, the callee taking
   * {@code calleeBytes} of them: rbp-relative, right below the top of the argument area.
   */
  Amode tailArgument(int calleeBytes, int offset);

  /** The address of a spill slot (valid until the frame is torn down). */
  Amode spillSlot(SpillSlot slot);
}
