package dev.kiln.codegen.lower;

import dev.kiln.codegen.Label;
import dev.kiln.ir.TrapCode;
import java.util.List;

/**
 * What a lowered instruction may ask of its function's emission on every ISA once registers are
 * allocated: labels of blocks and of its own, jump tables, a trap raised in place, and the frame's
 * teardown. Each ISA's {@code lower.EmitContext} adds how it encodes instructions and addresses its
 * frame. The lowering decides which instructions; the emitter decides where things are.
 */
public interface EmitSession extends BranchTable.Labels {
  /** A fresh label local to the instruction being emitted (e.g. the skip over a division). */
  Label newLabel();

  /** Binds a label from {@link #newLabel()} at the current position. */
  void bind(Label label);

  /**
   * Jumps to VCode block {@code block}, or emits nothing when leaving the current block without a
   * branch reaches it ({@link BranchTable.Labels#fallsThroughTo}).
   */
  void jumpToBlock(int block);

  /**
   * A table of 32-bit entries, one per target, each the target's offset from the table's start,
   * emitted after the function's code; returns the table's label.
   */
  Label jumpTable(List<Label> targets);

  /**
   * Raises {@code code} right here (the vmctx in the convention's first parameter register): the
   * trap stub's call, recorded as a trap site at its return address.
   */
  void trapHere(TrapCode code);

  /**
   * Lets the emitter place an island of veneers and data here if one is due: for an instruction that
   * emits an unbounded amount of code in independent steps (a tail call's stack arguments), between
   * two steps where nothing assumes what follows. Elsewhere the emitter does it between instructions.
   */
  void islandPoint();

  /**
   * Records that the call just emitted (its return address is the current offset) lands, when an
   * exception unwinds through it, at VCode block {@code landingBlock}: a handler table entry.
   */
  void handlerSite(int landingBlock);

  /**
   * Records that the call just emitted is a GC safepoint whose stack map is {@code slotOffsets},
   * the offsets above the body's stack pointer of the words holding GC references under it besides
   * the function's resident slots ({@link Lowered#residentSlotOffsets}, which every map names): a
   * stack map table entry at the return address.
   */
  void stackMapSite(int[] slotOffsets);

  /** Restores the frame and returns, popping the function's argument area (callee-pops). */
  void epilogue();

  /**
   * Restores the frame as {@link #epilogue()} does but does not return, and releases the part of
   * the argument area below a tail callee's {@code calleeStackBytes} of stack arguments: the stack
   * pointer is where that callee expects it, so a jump to it makes it return to this function's
   * caller (a tail call; {@code dev.kiln.codegen.abi.ArgumentArea}).
   */
  void tearDownFrame(int calleeStackBytes);

  /**
   * Right after a call whose callee popped its {@code bytes} of stack arguments: moves the stack
   * pointer down by them again, back where the body keeps it.
   */
  void reserveAgain(int bytes);
}
