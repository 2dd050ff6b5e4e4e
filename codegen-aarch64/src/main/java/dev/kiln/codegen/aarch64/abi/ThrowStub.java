package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.PairOffset;
import dev.kiln.codegen.aarch64.asm.Target;

/**
 * The throw stub, the body of the {@code throw} builtin's WASM_TO_BUILTIN entry: compiled code calls
 * it with BL under the wasm convention as {@code (vmctx, caller vmctx, exception)}; it never returns
 * to its caller. The same contract as the x86-64 stub (codegen.x64.abi.ThrowStub) on the x29 record
 * chain: record the throwing frame, call the runtime's unwinder, then resume the catching frame at its
 * landing pad or raise {@code uncaught_exception} through {@link TrapStub}'s code.
 *
 * <pre>
 *   ldr x9, [x0]                                store context
 *   str x30, [x9, #trap_pc] ; str x29, [x9, #trap_fp]
 *   stp x29, x30, [sp, #-32]! ; mov x29, sp ; stp x0, x2, [sp, #16]
 *   mov x1, x2 ; ldr x16, [x9, #exception_throw] ; blr x16     int unwind(vmctx, exception)
 *   mov w11, w0 ; ldp x0, x2, [sp, #16] ; ldp x29, x30, [sp], #32
 *   cbz w11, uncaught
 *   ldr x9, [x0] ; ldr x10, [x9, #resume_sp] ; mov sp, x10 ; ldr x29, [x9, #resume_fp]
 *   ldr x16, [x9, #resume_pc] ; br x16
 * uncaught:
 *   movz w2, #uncaught_exception ; (the trap stub)
 * </pre>
 */
public final class ThrowStub {
  private ThrowStub() {}

  /** Emits the stub at the current offset of {@code buf}. */
  public static void emit(CodeBuffer buf) {
    Gpr store = Gpr.X9;
    Gpr exception = Gpr.X2;
    Gpr scratch = WasmCallConv.SCRATCH0;
    Asm.access(buf, Form.LDR_X_IMM, store, WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT, scratch);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X30, store, StoreLayout.TRAP_PC, scratch);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X29, store, StoreLayout.TRAP_FP, scratch);
    asm(buf, Form.STP_X_PRE, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(-32));
    asm(buf, Form.MOV_X_SP, Gpr.X29, Gpr.SP);
    asm(buf, Form.STP_X_OFF, WasmCallConv.CALLEE_VMCTX, exception, Gpr.SP, new PairOffset(16));
    asm(buf, Form.MOV_X, Gpr.X1, exception);
    Asm.access(buf, Form.LDR_X_IMM, scratch, store, StoreLayout.EXCEPTION_THROW, scratch);
    asm(buf, Form.BLR, scratch);
    Gpr caught = Gpr.X11;
    asm(buf, Form.MOV_W, caught, Gpr.X0);
    asm(buf, Form.LDP_X_OFF, WasmCallConv.CALLEE_VMCTX, exception, Gpr.SP, new PairOffset(16));
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(32));
    Label uncaught = buf.createLabel();
    asm(buf, Form.CBZ_W, caught, Target.label(uncaught));
    Asm.access(buf, Form.LDR_X_IMM, store, WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT, scratch);
    Asm.access(buf, Form.LDR_X_IMM, Gpr.X10, store, StoreLayout.RESUME_SP, scratch);
    asm(buf, Form.MOV_X_SP, Gpr.SP, Gpr.X10);
    Asm.access(buf, Form.LDR_X_IMM, Gpr.X29, store, StoreLayout.RESUME_FP, scratch);
    Asm.access(buf, Form.LDR_X_IMM, scratch, store, StoreLayout.RESUME_PC, scratch);
    asm(buf, Form.BR, scratch);
    buf.bind(uncaught);
    asm(buf, Form.MOVZ_W, FrameEmitter.TRAP_CODE_REGISTER, MoveWideImm.of(TrapCode.UNCAUGHT_EXCEPTION.code(), 0));
    TrapStub.emit(buf);
  }
}
