package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.HostContextLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.PairOffset;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.UImm;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.HostCallFailure;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Generates the WASM_TO_ARRAY trampoline of one signature: wasm's way out to a host function
 * (docs/ARCHITECTURE.md section 4, "Array calling convention"). Compiled code calls it like any
 * wasm function of that signature under {@link WasmCallConv}; the callee vmctx in x0 is a {@link
 * HostContextLayout} block whose {@code array_call} is the host function's AAPCS64 entry {@code bool
 * f(void* callee_vmctx, void* caller_vmctx, ValRaw* values, size_t len)}.
 *
 * <pre>
 *   stp x29, x30, [sp, #-16]! ; mov x29, sp      frame record: backtraces walk through this frame
 *   stack check against the store's limit       (the host needs stack too)
 *   ldr x16, [x0] ; str x29, [x16, #exit_fp]     where the suspended wasm frames begin (StoreLayout.EXIT_FP)
 *   stp x0, x2, [sp, #-16]!                      host context at x29-16, return area at x29-8
 *   sub sp, sp, #16*slots                        the ValRaw array at sp, 16-aligned
 *   parameter i (register or caller's stack) -> [sp, #16*i], zero-extended to 64 bits
 *   mov x2, sp ; movz x3, #slots ; ldr x16, [x0, #array_call] ; blr x16   x0, x1 still the pair
 *   cbz w0, failed
 *   [sp, #16*j] -> result j's register or return-area slot
 *   mov sp, x29 ; ldp x29, x30, [sp], #16 ; add sp, sp, #stack_argument_bytes ; ret   callee-pops
 * failed:
 *   ldr x0, [x29, #-16] ; ldr x16, [x0] ; ldr x2, [x16, #pending_exception] ; cbz x2, host_trap
 *   str xzr, [x16, #pending_exception] ; bl throw_stub ; brk #1     a wasm exception the host threw
 * host_trap:
 *   trap block HOST_FUNCTION_FAILED
 * </pre>
 *
 * <p>The host keeps AAPCS64's callee-saved registers (x19-x28, the set of {@link WasmCallConv}) and
 * may clobber the rest, which the wasm caller already assumes of any call. A host function that
 * throws a wasm exception into its caller returns {@code false} with it in the store's {@code
 * pending_exception}, which the trampoline throws from its own frame ({@link HostCallFailure}); one
 * that fails otherwise returns {@code false} with none, and the trampoline raises the trap from its own frame with the host
 * context as vmctx, whose store context the trap stub needs.
 */
public final class WasmToArrayTrampoline {
  private WasmToArrayTrampoline() {}

  /** x29-relative pair of the saved host context and, above it, the return-area pointer. */
  private static final int SAVED_VMCTX = -16;

  /**
   * Emits the trampoline for wasm {@code params} and {@code results} into {@code buf}, recording its
   * two trap sites.
   *
   * @param raiseTrap the trap handler: a function target of the TRAP builtin's key
   */
  public static void emit(CodeBuffer buf, List<Type> params, List<Type> results, Target raiseTrap) {
    CallLayout<Gpr, FpReg> layout = WasmCallConv.CONVENTION.layout(params, results);
    int slots = layout.valRawSlots();
    int area = layout.valRawArrayBytes();
    Label stackOverflow = buf.createLabel();
    Label failed = buf.createLabel();
    Gpr t0 = WasmCallConv.SCRATCH0;
    Gpr t1 = WasmCallConv.SCRATCH1;

    asm(buf, Form.STP_X_PRE, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(-16));
    asm(buf, Form.MOV_X_SP, Gpr.X29, Gpr.SP);
    Asm.access(buf, Form.LDR_X_IMM, t0, WasmCallConv.CALLEE_VMCTX, HostContextLayout.STORE_CONTEXT, t0);
    Asm.access(buf, Form.LDR_X_IMM, t0, t0, StoreLayout.STACK_LIMIT, t1);
    Asm.addConst(buf, t1, Gpr.SP, -(16L + area), t1);
    asm(buf, Form.CMP_X, t1, t0);
    asm(buf, Form.B_COND, Cond.LO, Target.label(stackOverflow));
    // Where this activation's wasm frames begin while the host runs: the collector walks them from
    // here if the host function enters wasm of the store again (StoreLayout.EXIT_FP).
    Asm.access(buf, Form.LDR_X_IMM, t0, WasmCallConv.CALLEE_VMCTX, HostContextLayout.STORE_CONTEXT, t0);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X29, t0, StoreLayout.EXIT_FP, t1);
    asm(buf, Form.STP_X_PRE, WasmCallConv.CALLEE_VMCTX, WasmCallConv.RETURN_AREA_POINTER, Gpr.SP,
        new PairOffset(-16));
    Asm.addConst(buf, Gpr.SP, Gpr.SP, -(long) area, Gpr.SP);

    for (int i = 0; i < params.size(); i++) {
      long slot = (long) CallLayout.VALRAW_SIZE * i;
      Type t = params.get(i);
      switch (layout.params().get(i)) {
        case ValueLocation.InGpr(Gpr r) -> {
          if (t == Type.I32) {
            asm(buf, Form.MOV_W, t0, r); // a ValRaw's i32 is zero-extended; the register's top is not
            Asm.access(buf, Form.STR_X_IMM, t0, Gpr.SP, slot, t1);
          } else {
            Asm.access(buf, Form.STR_X_IMM, r, Gpr.SP, slot, t1);
          }
        }
        case ValueLocation.InFpr(FpReg v) -> {
          if (t == Type.F32) {
            asm(buf, Form.FMOV_W_S, t0, v); // writing W zero-extends into X
            Asm.access(buf, Form.STR_X_IMM, t0, Gpr.SP, slot, t1);
          } else {
            Asm.access(buf, ArrayToWasmTrampoline.fpStore(t), v, Gpr.SP, slot, t1);
          }
        }
        case ValueLocation.OnStack(int offset) -> {
          if (t == Type.V128) {
            ArrayToWasmTrampoline.copy(buf, Gpr.X29, 16L + offset, Gpr.SP, slot, 16);
          } else {
            boolean narrow = t == Type.I32 || t == Type.F32;
            Asm.access(buf, narrow ? Form.LDR_W_IMM : Form.LDR_X_IMM, t0, Gpr.X29, 16L + offset, t1);
            Asm.access(buf, Form.STR_X_IMM, t0, Gpr.SP, slot, t1);
          }
        }
        case ValueLocation.InReturnArea<?, ?> r -> throw new IllegalStateException("parameter in " + r);
      }
    }

    asm(buf, Form.MOV_X_SP, Gpr.X2, Gpr.SP);
    asm(buf, Form.MOVZ_X, Gpr.X3, MoveWideImm.of(slots, 0));
    Asm.access(buf, Form.LDR_X_IMM, t0, WasmCallConv.CALLEE_VMCTX, HostContextLayout.ARRAY_CALL, t0);
    asm(buf, Form.BLR, t0);
    asm(buf, Form.CBZ_W, Gpr.X0, Target.label(failed));

    if (layout.hasReturnArea()) {
      // x16 = saved host context (unused here), x17 = saved return-area pointer.
      asm(buf, Form.LDP_X_OFF, t0, t1, Gpr.X29, new PairOffset(SAVED_VMCTX));
    }
    for (int j = 0; j < results.size(); j++) {
      long slot = (long) CallLayout.VALRAW_SIZE * j;
      Type t = results.get(j);
      switch (layout.results().get(j)) {
        case ValueLocation.InGpr(Gpr r) ->
            Asm.access(buf, t == Type.I32 ? Form.LDR_W_IMM : Form.LDR_X_IMM, r, Gpr.SP, slot, t0);
        case ValueLocation.InFpr(FpReg v) ->
            Asm.access(buf, ArrayToWasmTrampoline.fpLoad(t), v, Gpr.SP, slot, t0);
        case ValueLocation.InReturnArea(int offset) ->
            ArrayToWasmTrampoline.copy(buf, Gpr.SP, slot, t1, offset, WasmCallAssignment.slotBytes(t));
        case ValueLocation.OnStack<?, ?> s -> throw new IllegalStateException("result in " + s);
      }
    }
    asm(buf, Form.MOV_X_SP, Gpr.SP, Gpr.X29);
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(16));
    // Called as a wasm function, it pops its stack arguments as one (ArgumentArea).
    FrameEmitter.emitReturn(buf, layout.stackArgBytes());

    // The host reported a failure: a pending wasm exception is thrown from this frame, anything
    // else raises the trap from it, with the host context as vmctx either way (HostCallFailure).
    buf.bind(failed);
    Label hostTrap = buf.createLabel();
    Gpr exception = Gpr.X2; // the throw stub's exception parameter (ThrowStub)
    asm(buf, Form.LDP_X_OFF, WasmCallConv.CALLEE_VMCTX, t0, Gpr.X29, new PairOffset(SAVED_VMCTX));
    Asm.access(buf, Form.LDR_X_IMM, t0, WasmCallConv.CALLEE_VMCTX, HostContextLayout.STORE_CONTEXT, t1);
    Asm.access(buf, Form.LDR_X_IMM, exception, t0, HostCallFailure.PENDING_EXCEPTION, t1);
    asm(buf, Form.CBZ_X, exception, Target.label(hostTrap));
    Asm.access(buf, Form.STR_X_IMM, Gpr.ZR, t0, HostCallFailure.PENDING_EXCEPTION, t1);
    asm(buf, Form.BL, Target.function(HostCallFailure.THROW_STUB.raw()));
    asm(buf, Form.BRK, UImm.of(1)); // the throw stub never returns
    int hostFailed = FrameEmitter.emitTrapBlock(buf, hostTrap, TrapCode.HOST_FUNCTION_FAILED, raiseTrap);
    buf.addTrap(hostFailed, TrapCode.HOST_FUNCTION_FAILED.code());
    int overflow = FrameEmitter.emitTrapBlock(buf, stackOverflow, TrapCode.STACK_OVERFLOW, raiseTrap);
    buf.addTrap(overflow, TrapCode.STACK_OVERFLOW.code());
  }
}
