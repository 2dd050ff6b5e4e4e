package dev.kiln.codegen.emit;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.TrapCode;

/**
 * The emission of a wasm function in its frame, the same on every ISA: the frame's shape ({@link
 * Frame}) and where the spill slots sit in it ({@link SpillArea}), which is what unwind tables and
 * stack maps describe, and the order of what surrounds the body ({@link #emitFramedBody}); the ISA's
 * subclass supplies the instructions ({@link FunctionEmission.FrameCode}) and encodes the body.
 *
 * @param <I> the ISA's machine instruction
 * @param <R> the ISA's general-purpose register type
 */
public abstract class FramedEmission<I extends VCodeInst, R> extends FunctionEmission<I> {
  /** The shape of the function's frame. */
  protected final Frame<R> frame;
  /** Where its spill slots sit, from the stack pointer of its body. */
  protected final SpillArea spills;

  /** The emission of {@code vc} for {@code target} with the allocation and frame of {@code allocated}. */
  protected FramedEmission(VCode<I> vc, Allocated<R> allocated, Target target) {
    super(vc, allocated.out(), target);
    this.frame = allocated.frame();
    this.spills = allocated.spills();
  }

  /**
   * The prologue, the blocks, the stack-overflow block (when the prologue checks the stack: a
   * function that calls, or whose frame with its record and a trap site's call is past the
   * unchecked leaf size) and the trap sites, in that order; the ISA emits what follows them.
   */
  protected final void emitFramedBody(FrameCode<R> code) {
    Label stackOverflow = buf.createLabel();
    boolean checked = checksStack(Frame.RECORD_BYTES + frame.checkedBytesBelowRecord() + code.trapCallBytes());
    if (checked) {
      code.checkedPrologue().emit(buf, frame, stackOverflow);
    } else {
      code.uncheckedPrologue().emit(buf, frame);
    }
    emitBlocks();
    if (checked) {
      mapToFunctionEntry();
      dev.kiln.artifact.tables.TrapCode overflow = artifactCode(TrapCode.STACK_OVERFLOW);
      int at = code.trapBlock().emit(buf, stackOverflow, overflow);
      buf.addTrap(at, overflow.code());
    }
    emitTrapSites();
  }

  /** The frame-pointer offset of this function's own stack argument at {@code offset}. */
  protected final int ownArgumentFromFramePointer(int offset) {
    return Frame.RECORD_BYTES + frame.arguments().ownArgument(offset);
  }

  /**
   * The frame-pointer offset where a tail call writes its callee's stack argument at {@code offset}
   * when the callee takes {@code calleeBytes} of them.
   */
  protected final int tailArgumentFromFramePointer(int calleeBytes, int offset) {
    return Frame.RECORD_BYTES + frame.arguments().tailArgument(calleeBytes, offset);
  }
}
