package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.asm;
import static dev.kiln.codegen.x64.abi.Asm.mem;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.abi.FramePrologue;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import java.util.List;

/**
 * Prologues, epilogues and out-of-line trap blocks of wasm functions under {@link WasmCallConv}.
 *
 * <p>The prologue keeps the rbp chain (so the trap stub and profilers can walk wasm frames) and checks
 * the stack before the frame is used: the lowest address the frame will touch is compared with the
 * store's stack limit, reached through the callee vmctx that is still in rdi
 * ({@code vmctx->store_context->stack_limit}, both at offset 0), and a frame that would go below it
 * branches to a trap block that raises {@link TrapCode#STACK_OVERFLOW}. The check happens after
 * {@code push rbp} so the trap records this frame's fp.
 *
 * <p>Stack arguments are the callee's to pop ({@link ArgumentArea}): a function returns with {@code
 * ret $n} over its argument area, and one whose tail calls need a larger area than it received
 * moves its frame record (return address and saved rbp) down in the prologue, after the check,
 * which covers that move too.
 */
public final class FrameEmitter {
  private FrameEmitter() {}

  /** A frame that saves nothing and has no locals (a leaf that only uses caller-saved registers). */
  public static final Frame<Gpr> LEAF = frame(List.of(), 0);

  /**
   * The frame that saves {@code savedRegisters}, callee-saved registers other than rbp (which the
   * prologue always pushes), each pushed (8 bytes) right below the saved rbp, and has {@code
   * localBytes} of locals.
   */
  public static Frame<Gpr> frame(List<Gpr> savedRegisters, int localBytes) {
    for (Gpr r : savedRegisters) {
      if (r == Gpr.RBP || !WasmCallConv.CALLEE_SAVED.contains(r)) {
        throw new IllegalArgumentException(r + " is not a callee-saved register the frame saves");
      }
    }
    return new Frame<>(savedRegisters, 8 * savedRegisters.size(), localBytes, WasmCallConv.STACK_ALIGNMENT);
  }

  /**
   * The x86-64 instructions of each step of the prologue ({@link FramePrologue}): a checked one
   * jumps to a trap block the caller emits later with {@link #emitTrapBlock} and {@link
   * TrapCode#STACK_OVERFLOW}.
   *
   * <pre>
   *   push %rbp ; mov %rsp, %rbp
   *   mov 0(%rdi), %r11                 store context
   *   lea -N(%rsp), %r10 ; cmp (%r11), %r10      (N = frame size; just cmp (%r11), %rsp when 0)
   *   jb stackOverflow                  unsigned: the stack grows down
   *   [the argument area's growth: emitGrowth]
   *   push saved registers ; sub $locals, %rsp
   * </pre>
   */
  public static final FramePrologue<Gpr> PROLOGUE = new FramePrologue<>() {
    /** {@code push %rbp ; mov %rsp, %rbp}. */
    @Override
    protected void frameRecord(CodeBuffer buf) {
      asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
      asm(buf, MovForm.MOVQ_MR, Gpr.RBP, Gpr.RSP);
    }

    @Override
    protected void stackCheck(CodeBuffer buf, Frame<Gpr> frame, Label stackOverflow) {
      asm(buf, MovForm.MOVQ_RM, WasmCallConv.SCRATCH0,
          mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
      int below = frame.checkedBytesBelowRecord();
      Gpr lowest = Gpr.RSP;
      if (below > 0) {
        lowest = WasmCallConv.SCRATCH1;
        asm(buf, MovForm.LEAQ_RM, lowest, mem(Gpr.RSP, -below));
      }
      asm(buf, AluForm.CMPQ_RM, lowest, mem(WasmCallConv.SCRATCH0, StoreLayout.STACK_LIMIT));
      asm(buf, ControlForm.JCC_REL32, Cond.B, new LabelTarget(stackOverflow));
    }

    @Override
    protected void growArguments(CodeBuffer buf, int growth) {
      emitGrowth(buf, growth);
    }

    @Override
    protected void saveRegisters(CodeBuffer buf, List<Gpr> saved) {
      for (Gpr r : saved) {
        asm(buf, ControlForm.PUSHQ_O, r);
      }
    }

    @Override
    protected void allocateLocals(CodeBuffer buf, int bytes) {
      subtractFromRsp(buf, bytes);
    }
  };

  /**
   * Grows the argument area by {@code growth} bytes, with rbp and rsp at a frame record just pushed:
   * the record moves down by that much (the return address first, each push reading rbp-relative
   * memory that the pushes do not overwrite, since growth is at least 16) and rbp follows it.
   *
   * <pre>
   *   lea 16-growth(%rbp), %rsp ; push 8(%rbp) ; push (%rbp) ; mov %rsp, %rbp
   * </pre>
   */
  private static void emitGrowth(CodeBuffer buf, int growth) {
    asm(buf, MovForm.LEAQ_RM, Gpr.RSP, mem(Gpr.RBP, Frame.RECORD_BYTES - growth));
    asm(buf, ControlForm.PUSHQ_M, mem(Gpr.RBP, 8));
    asm(buf, ControlForm.PUSHQ_M, mem(Gpr.RBP, 0));
    asm(buf, MovForm.MOVQ_MR, Gpr.RBP, Gpr.RSP);
  }

  /**
   * Emits the epilogue of {@code frame}: restore saved registers and rbp, return popping the
   * argument area.
   */
  public static void emitEpilogue(CodeBuffer buf, Frame<Gpr> frame) {
    emitTearDown(buf, frame);
    emitReturn(buf, frame.arguments().size());
  }

  /**
   * {@code ret}, popping {@code argumentBytes} above the return address: {@code ret $n} (SDM Vol. 2B
   * "RET": C2 iw, the imm16 added to rsp after the pop) up to 65535 bytes; past that the return
   * address is moved up to the area's top first (r11 is free at a return).
   */
  public static void emitReturn(CodeBuffer buf, int argumentBytes) {
    if (argumentBytes == 0) {
      asm(buf, ControlForm.RETQ);
    } else if (argumentBytes <= 0xFFFF) {
      asm(buf, ControlForm.RETQ_I16, Imm.of(argumentBytes));
    } else {
      moveReturnAddressUp(buf, argumentBytes, WasmCallConv.SCRATCH0);
      asm(buf, ControlForm.RETQ);
    }
  }

  /**
   * The epilogue of {@code frame} before a tail call's jump to a callee taking {@code calleeBytes}
   * of stack arguments: {@link #emitTearDown}, then the return address moved up to right below the
   * callee's arguments ({@link ArgumentArea#releasedByTailCall}) through r10, which the tail call
   * leaves free (r11 may hold its target).
   */
  public static void emitTailCallTearDown(CodeBuffer buf, Frame<Gpr> frame, int calleeBytes) {
    emitTearDown(buf, frame);
    int released = frame.arguments().releasedByTailCall(calleeBytes);
    if (released > 0) {
      moveReturnAddressUp(buf, released, WasmCallConv.SCRATCH1);
    }
  }

  /** {@code mov (%rsp), via ; lea bytes(%rsp), %rsp ; mov via, (%rsp)}. */
  private static void moveReturnAddressUp(CodeBuffer buf, int bytes, Gpr via) {
    asm(buf, MovForm.MOVQ_RM, via, mem(Gpr.RSP, 0));
    asm(buf, MovForm.LEAQ_RM, Gpr.RSP, mem(Gpr.RSP, bytes));
    asm(buf, MovForm.MOVQ_MR, mem(Gpr.RSP, 0), via);
  }

  /**
   * Emits the epilogue of {@code frame} without the return: saved registers and rbp restored, rsp
   * at the return address. A tail call jumps to its callee from here.
   */
  public static void emitTearDown(CodeBuffer buf, Frame<Gpr> frame) {
    List<Gpr> saved = frame.savedRegisters();
    if (frame.allocatedLocalBytes() > 0) {
      asm(buf, MovForm.LEAQ_RM, Gpr.RSP, mem(Gpr.RBP, -8 * saved.size()));
    }
    for (int i = saved.size() - 1; i >= 0; i--) {
      asm(buf, ControlForm.POPQ_O, saved.get(i));
    }
    asm(buf, ControlForm.POPQ_O, Gpr.RBP);
  }

  /**
   * Binds {@code label} and emits a call to the trap stub with {@code code}. The stub takes the
   * wasm convention's {@code (vmctx, caller vmctx, trap code)}, so rdi must hold this function's
   * vmctx when the block is reached, as it does in the prologue and the trampolines that use these
   * blocks (a function body's traps go through sites of their own: {@code
   * FunctionEmission.emitTrapSites}). A {@code ud2} follows the call, which never returns, so the
   * recorded return address lies inside this function even when the block ends it.
   *
   * @param raiseTrap the stub: a {@link LabelTarget} in this buffer or a {@code FunctionTarget}
   * @return offset of the return address the stub records as the trap pc
   */
  public static int emitTrapBlock(CodeBuffer buf, Label label, TrapCode code, Operand raiseTrap) {
    Operand target = Asm.callTarget(raiseTrap);
    buf.bind(label);
    asm(buf, MovForm.MOVL_OI, TrapStub.TRAP_CODE_REGISTER, Imm.of(code.code()));
    asm(buf, ControlForm.CALLQ_REL32, target);
    int returnAddress = buf.offset();
    asm(buf, ControlForm.UD2);
    return returnAddress;
  }

  /** {@code sub $bytes, %rsp} (nothing for 0), the short form when the immediate fits a byte. */
  public static void subtractFromRsp(CodeBuffer buf, int bytes) {
    if (bytes == 0) {
      return;
    }
    asm(buf, bytes <= 127 ? AluForm.SUBQ_MI8 : AluForm.SUBQ_MI, Gpr.RSP, Imm.of(bytes));
  }
}
