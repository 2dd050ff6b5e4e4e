package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.asm;
import static dev.kiln.codegen.x64.abi.Asm.mem;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.Frame;
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
   * Emits the prologue of {@code frame}. {@code stackOverflow} is the label of a trap block the
   * caller emits later with {@link #emitTrapBlock} and {@link TrapCode#STACK_OVERFLOW}.
   *
   * <pre>
   *   push %rbp ; mov %rsp, %rbp
   *   mov 0(%rdi), %r11                 store context
   *   lea -N(%rsp), %r10 ; cmp (%r11), %r10      (N = frame size; just cmp (%r11), %rsp when 0)
   *   jb stackOverflow                  unsigned: the stack grows down
   *   push saved registers ; sub $locals, %rsp
   * </pre>
   */
  public static void emitPrologue(CodeBuffer buf, Frame<Gpr> frame, Label stackOverflow) {
    emitFrameRecord(buf);
    asm(buf, MovForm.MOVQ_RM, WasmCallConv.SCRATCH0,
        mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
    int below = frame.sizeBelowFramePointer();
    Gpr lowest = Gpr.RSP;
    if (below > 0) {
      lowest = WasmCallConv.SCRATCH1;
      asm(buf, MovForm.LEAQ_RM, lowest, mem(Gpr.RSP, -below));
    }
    asm(buf, AluForm.CMPQ_RM, lowest, mem(WasmCallConv.SCRATCH0, StoreLayout.STACK_LIMIT));
    asm(buf, ControlForm.JCC_REL32, Cond.B, new LabelTarget(stackOverflow));
    emitFrameBody(buf, frame);
  }

  /**
   * Emits the prologue of a leaf function whose whole frame fits below the stack limit unchecked
   * ({@code StoreLayout.UNCHECKED_LEAF_FRAME}): {@link #emitPrologue} without the check. The frame
   * record stays, so traps and profilers still walk through it.
   */
  public static void emitUncheckedPrologue(CodeBuffer buf, Frame<Gpr> frame) {
    emitFrameRecord(buf);
    emitFrameBody(buf, frame);
  }

  private static void emitFrameBody(CodeBuffer buf, Frame<Gpr> frame) {
    for (Gpr r : frame.savedRegisters()) {
      asm(buf, ControlForm.PUSHQ_O, r);
    }
    subtractFromRsp(buf, frame.allocatedLocalBytes());
  }

  /** {@code push %rbp ; mov %rsp, %rbp}: the frame record every wasm frame starts with. */
  private static void emitFrameRecord(CodeBuffer buf) {
    asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
    asm(buf, MovForm.MOVQ_MR, Gpr.RBP, Gpr.RSP);
  }

  /** Emits the epilogue of {@code frame}: restore saved registers and rbp, return. */
  public static void emitEpilogue(CodeBuffer buf, Frame<Gpr> frame) {
    emitTearDown(buf, frame);
    asm(buf, ControlForm.RETQ);
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

  static void subtractFromRsp(CodeBuffer buf, int bytes) {
    if (bytes == 0) {
      return;
    }
    asm(buf, bytes <= 127 ? AluForm.SUBQ_MI8 : AluForm.SUBQ_MI, Gpr.RSP, Imm.of(bytes));
  }
}
