package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.abi.FramePrologue;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.PairOffset;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.UImm;
import java.util.List;

/**
 * Prologues, epilogues and out-of-line trap blocks of wasm functions under {@link WasmCallConv}.
 *
 * <p>The prologue pushes the frame record (x29, x30) and points x29 at it, so the trap stub and
 * profilers can walk wasm frames (AAPCS64 6.4.6, "The Frame Pointer"); then it checks the stack
 * before the rest of the frame is used: the lowest address the frame will touch is compared with the
 * store's stack limit, reached through the callee vmctx still in x0 ({@code
 * vmctx->store_context->stack_limit}), and a frame that would go below it branches to a trap block
 * that raises {@link TrapCode#STACK_OVERFLOW}. Checking after the record is pushed makes the trap
 * record this frame's fp, as on x86-64.
 *
 * <p>Stack arguments are the callee's to pop ({@link ArgumentArea}): a function adds its argument
 * area to sp before its {@code ret}, and one whose tail calls need a larger area than it received
 * moves its frame record down in the prologue, after the check, which covers that move too.
 */
public final class FrameEmitter {
  private FrameEmitter() {}

  /** A frame that saves nothing and has no locals. */
  public static final Frame<Gpr> LEAF = frame(List.of(), 0);

  /**
   * The frame that saves {@code savedRegisters} (of x19-x28; x29 and x30 are the frame record) in
   * pairs right below the record, 16 bytes a pair (an odd register is paired with xzr), and has
   * {@code localBytes} of locals.
   */
  public static Frame<Gpr> frame(List<Gpr> savedRegisters, int localBytes) {
    for (Gpr r : savedRegisters) {
      if (!WasmCallConv.CALLEE_SAVED.contains(r)) {
        throw new IllegalArgumentException(r + " is not a callee-saved register the frame saves");
      }
    }
    return new Frame<>(savedRegisters, 16 * ((savedRegisters.size() + 1) / 2), localBytes,
        WasmCallConv.STACK_ALIGNMENT);
  }

  /** The trap code argument of the trap stub: the first wasm parameter after the vmctx pair. */
  public static final Gpr TRAP_CODE_REGISTER = Gpr.X2;

  /**
   * The AArch64 instructions of each step of the prologue ({@link FramePrologue}): a checked one
   * jumps to a trap block the caller emits later with {@link #emitTrapBlock} and {@link
   * TrapCode#STACK_OVERFLOW}.
   *
   * <pre>
   *   stp x29, x30, [sp, #-16]! ; mov x29, sp
   *   ldr x16, [x0]             store context
   *   ldr x16, [x16]            stack limit
   *   sub x17, sp, #N           N = frame size below x29 (mov x17, sp when 0)
   *   cmp x17, x16 ; b.lo stackOverflow        unsigned: the stack grows down
   *   [the argument area's growth: emitGrowth]
   *   stp pairs of saved registers, pre-indexed ; sub sp, sp, #locals
   * </pre>
   */
  public static final FramePrologue<Gpr> PROLOGUE = new FramePrologue<>() {
    @Override
    protected void frameRecord(CodeBuffer buf) {
      emitFrameRecord(buf);
    }

    @Override
    protected void stackCheck(CodeBuffer buf, Frame<Gpr> frame, Label stackOverflow) {
      Gpr limit = WasmCallConv.SCRATCH0;
      Gpr lowest = WasmCallConv.SCRATCH1;
      Asm.access(buf, Form.LDR_X_IMM, limit, WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT, limit);
      Asm.access(buf, Form.LDR_X_IMM, limit, limit, StoreLayout.STACK_LIMIT, lowest);
      Asm.addConst(buf, lowest, Gpr.SP, -(long) frame.checkedBytesBelowRecord(), lowest);
      asm(buf, Form.CMP_X, lowest, limit);
      asm(buf, Form.B_COND, Cond.LO, Target.label(stackOverflow));
    }

    @Override
    protected void growArguments(CodeBuffer buf, int growth) {
      emitGrowth(buf, growth);
    }

    /** In pairs, 16 bytes a pair, an odd register paired with xzr. */
    @Override
    protected void saveRegisters(CodeBuffer buf, List<Gpr> saved) {
      for (int i = 0; i < saved.size(); i += 2) {
        Gpr second = i + 1 < saved.size() ? saved.get(i + 1) : Gpr.ZR;
        asm(buf, Form.STP_X_PRE, saved.get(i), second, Gpr.SP, new PairOffset(-16));
      }
    }

    @Override
    protected void allocateLocals(CodeBuffer buf, int bytes) {
      Asm.addConst(buf, Gpr.SP, Gpr.SP, -(long) bytes, Gpr.SP);
    }
  };

  /** {@code stp x29, x30, [sp, #-16]! ; mov x29, sp}: the frame record every wasm frame starts with. */
  private static void emitFrameRecord(CodeBuffer buf) {
    asm(buf, Form.STP_X_PRE, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(-16));
    asm(buf, Form.MOV_X_SP, Gpr.X29, Gpr.SP);
  }

  /**
   * Grows the argument area by {@code growth} bytes, with x29 and sp at a frame record just pushed:
   * the record is popped back into x29 and x30 (x30 still holds the return address), sp moves down
   * and the record is pushed again there.
   *
   * <pre>
   *   ldp x29, x30, [sp], #16 ; sub sp, sp, #growth ; stp x29, x30, [sp, #-16]! ; mov x29, sp
   * </pre>
   */
  private static void emitGrowth(CodeBuffer buf, int growth) {
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(Frame.RECORD_BYTES));
    Asm.addConst(buf, Gpr.SP, Gpr.SP, -(long) growth, Gpr.SP);
    emitFrameRecord(buf);
  }

  /**
   * Emits the epilogue of {@code frame}: drop locals, restore saved registers and the record, pop
   * the argument area and return.
   */
  public static void emitEpilogue(CodeBuffer buf, Frame<Gpr> frame) {
    emitTeardown(buf, frame);
    emitReturn(buf, frame.arguments().size());
  }

  /** {@code ret}, after {@code add sp, sp, #argumentBytes} when the callee has stack arguments to pop. */
  public static void emitReturn(CodeBuffer buf, int argumentBytes) {
    Asm.addConst(buf, Gpr.SP, Gpr.SP, argumentBytes, Gpr.SP);
    asm(buf, Form.RET);
  }

  /**
   * The epilogue of {@code frame} before a tail call's branch to a callee taking {@code
   * calleeBytes} of stack arguments: {@link #emitTeardown}, then the part of the argument area below
   * them released ({@link ArgumentArea#releasedByTailCall}), so sp points at the callee's arguments.
   */
  public static void emitTailCallTeardown(CodeBuffer buf, Frame<Gpr> frame, int calleeBytes) {
    emitTeardown(buf, frame);
    Asm.addConst(buf, Gpr.SP, Gpr.SP, frame.arguments().releasedByTailCall(calleeBytes), Gpr.SP);
  }

  /**
   * The epilogue without its RET: sp, the saved registers, x29 and x30 are the caller's again, so a
   * branch to another function (a tail call) returns straight to this function's caller.
   */
  public static void emitTeardown(CodeBuffer buf, Frame<Gpr> frame) {
    if (frame.allocatedLocalBytes() > 0) {
      Asm.addConst(buf, Gpr.SP, Gpr.X29, -(long) frame.savedBytes(), Gpr.SP);
    }
    List<Gpr> saved = frame.savedRegisters();
    int pairs = (saved.size() + 1) / 2;
    for (int p = pairs - 1; p >= 0; p--) {
      int i = 2 * p;
      Gpr second = i + 1 < saved.size() ? saved.get(i + 1) : Gpr.ZR;
      asm(buf, Form.LDP_X_POST, saved.get(i), second, Gpr.SP, new PairOffset(16));
    }
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(16));
  }

  /**
   * Binds {@code label} and calls the trap stub with {@code code}: {@code movz w2, #code ; bl
   * trap ; brk #1}. x0 must hold this function's vmctx. The BRK after the call, which never
   * returns, keeps the recorded return address inside this function even when the block ends it.
   *
   * @param raiseTrap the stub: a label in this buffer or a function target
   * @return offset of the return address the stub records as the trap pc
   */
  public static int emitTrapBlock(CodeBuffer buf, Label label, TrapCode code, Target raiseTrap) {
    buf.bind(label);
    return emitTrapCall(buf, code, raiseTrap);
  }

  /** The body of a trap block without the label; returns the return address offset. */
  public static int emitTrapCall(CodeBuffer buf, TrapCode code, Target raiseTrap) {
    asm(buf, Form.MOVZ_W, TRAP_CODE_REGISTER, MoveWideImm.of(code.code(), 0));
    asm(buf, Form.BL, raiseTrap);
    int returnAddress = buf.offset();
    asm(buf, Form.BRK, UImm.of(1));
    return returnAddress;
  }
}
