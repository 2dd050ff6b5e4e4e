package dev.kiln.codegen.x64.lower;

import dev.kiln.codegen.Label;
import dev.kiln.codegen.lower.BranchTable;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.ir.TrapCode;
import java.util.List;

/**
 * What a lowered instruction needs from the emitter once registers are allocated: a place to put
 * machine instructions, labels of blocks and out-of-line trap blocks, and the frame's addresses.
 * The lowering decides which instructions; the emitter decides where things are.
 */
public interface EmitContext extends BranchTable.Labels {
  /** Encodes one instruction at the current position. */
  void asm(Form form, Operand... operands);

  /** A fresh label local to the instruction being emitted (e.g. the skip over a division). */
  Label newLabel();

  /** Binds a label from {@link #newLabel()} at the current position. */
  void bind(Label label);

  /**
   * The out-of-line block that raises {@code code}; {@code vmctx} is the register holding this
   * function's vmctx at the branch (the trap stub wants it in rdi).
   */
  Label trapLabel(TrapCode code, Gpr vmctx);

  /**
   * A table of 32-bit entries, one per target, each the target's offset from the table's start,
   * emitted after the function's code; returns the table's label.
   */
  Label jumpTable(List<Label> targets);

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

  /** An incoming stack argument at rbp + 16 + offset. */
  Amode incoming(int offset);

  /**
   * Raises {@code code} right here (rdi holds the vmctx): the trap stub call, recorded as a trap
   * site at its return address.
   */
  void trapHere(TrapCode code);

  /** Restores the frame and returns. */
  void epilogue();

  /**
   * Restores the frame as {@link #epilogue()} does but does not return: rsp points at the return
   * address, so a jump to another function makes it return to this function's caller (tail call).
   */
  void tearDownFrame();

  /** The address of a spill slot (valid until the frame is torn down). */
  Amode spillSlot(SpillSlot slot);
}
