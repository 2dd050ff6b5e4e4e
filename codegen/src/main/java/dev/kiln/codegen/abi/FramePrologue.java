package dev.kiln.codegen.abi;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import java.util.List;

/**
 * The order of a wasm function's prologue, the same on every ISA (docs/ARCHITECTURE.md section 4):
 * the frame record first, so the trap stub and profilers can walk the frame and a stack-overflow
 * trap records this frame's fp; then, in a checked prologue, the frame's lowest address against the
 * store's stack limit; then the argument area's growth for the function's tail calls ({@link
 * ArgumentArea}, after the check, which covers it), the callee-saved registers and the locals. Each
 * ISA supplies the instructions of each step.
 *
 * @param <R> the ISA's general-purpose register type
 */
public abstract class FramePrologue<R> {
  /**
   * The prologue of {@code frame} that checks the stack; {@code stackOverflow} is the label of the
   * trap block the caller emits later.
   */
  public final void emitChecked(CodeBuffer buf, Frame<R> frame, Label stackOverflow) {
    frameRecord(buf);
    stackCheck(buf, frame, stackOverflow);
    frameBody(buf, frame);
  }

  /**
   * The prologue of a leaf function whose whole frame fits below the stack limit unchecked ({@code
   * StoreLayout.UNCHECKED_LEAF_FRAME}): {@link #emitChecked} without the check. The frame record
   * stays, so traps and profilers still walk through it.
   */
  public final void emitUnchecked(CodeBuffer buf, Frame<R> frame) {
    frameRecord(buf);
    frameBody(buf, frame);
  }

  private void frameBody(CodeBuffer buf, Frame<R> frame) {
    int growth = frame.arguments().growth();
    if (growth != 0) {
      growArguments(buf, growth);
    }
    saveRegisters(buf, frame.savedRegisters());
    allocateLocals(buf, frame.allocatedLocalBytes());
  }

  /** Pushes the frame record (the caller's frame pointer and the return address) and points the frame pointer at it. */
  protected abstract void frameRecord(CodeBuffer buf);

  /**
   * Branches to {@code stackOverflow} when {@code frame}'s lowest address ({@link
   * Frame#checkedBytesBelowRecord} below the record) is below the store's stack limit, reached
   * through the callee vmctx ({@code vmctx->store_context->stack_limit}); unsigned, the stack
   * grows down.
   */
  protected abstract void stackCheck(CodeBuffer buf, Frame<R> frame, Label stackOverflow);

  /** Moves the frame record just pushed down by {@code growth} (nonzero) bytes, the frame pointer with it. */
  protected abstract void growArguments(CodeBuffer buf, int growth);

  /** Saves {@code saved}, callee-saved registers, right below the record, in the frame's layout. */
  protected abstract void saveRegisters(CodeBuffer buf, List<R> saved);

  /** Reserves {@code bytes} of locals below the saved registers (nothing for 0). */
  protected abstract void allocateLocals(CodeBuffer buf, int bytes);
}
