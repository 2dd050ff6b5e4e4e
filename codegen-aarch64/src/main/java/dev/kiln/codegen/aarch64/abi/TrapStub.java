package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.asm.AddSubImm;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.ScaledOffset;
import dev.kiln.codegen.aarch64.asm.Target;

/**
 * The shared trap path, the body of the {@code trap} builtin's WASM_TO_BUILTIN entry: compiled code
 * that detects a trap calls it under the wasm convention as {@code (vmctx, caller vmctx, code: i32)}
 * with BL, and it never returns. It records the trap and unwinds to the innermost array-to-wasm
 * entry, which returns {@code false} to the host (docs/ARCHITECTURE.md section 4, "Traps without
 * signals"); the same contract as the x86-64 stub, on the x29 frame-record chain.
 *
 * <pre>
 *   ldr x9, [x0]                    store context (vmctx offset 0)
 *   str w2, [x9, #trap_code]
 *   str x30, [x9, #trap_pc]         the BL's return address = pc just after the trap site
 *   str x29, [x9, #trap_fp]         the trapping frame
 *   walk the record chain up to entry_fp: backtrace[i] = [fp + 8] of each wasm frame
 *   ldr x10, [x9, #entry_sp] ; mov sp, x10      drop every wasm frame at once
 *   (the entry's exit) ; movz w0, #0 ; ret
 * </pre>
 */
public final class TrapStub {
  private TrapStub() {}

  /** Emits the stub at the current offset of {@code buf}. */
  public static void emit(CodeBuffer buf) {
    Gpr store = Gpr.X9;
    Asm.access(buf, Form.LDR_X_IMM, store, WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT,
        WasmCallConv.SCRATCH0);
    Asm.access(buf, Form.STR_W_IMM, FrameEmitter.TRAP_CODE_REGISTER, store, StoreLayout.TRAP_CODE,
        WasmCallConv.SCRATCH0);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X30, store, StoreLayout.TRAP_PC, WasmCallConv.SCRATCH0);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X29, store, StoreLayout.TRAP_FP, WasmCallConv.SCRATCH0);
    emitBacktraceWalk(buf, store);
    Gpr entrySp = Gpr.X10;
    Asm.access(buf, Form.LDR_X_IMM, entrySp, store, StoreLayout.ENTRY_SP, WasmCallConv.SCRATCH0);
    asm(buf, Form.MOV_X_SP, Gpr.SP, entrySp);
    ArrayToWasmTrampoline.emitExit(buf, store);
    asm(buf, Form.MOVZ_W, Gpr.X0, MoveWideImm.of(0, 0));
    asm(buf, Form.RET);
  }

  /**
   * {@code for (fp = x29, n = 0; [fp] != entry_fp && n < capacity; fp = [fp]) backtrace[n++] =
   * [fp + 8];} then {@code backtrace_count = n}. Every frame between the trap and the entry is a
   * wasm frame with a record made by its prologue, and the outermost one's saved x29 is the entry's
   * own, so the walk ends at the entry.
   */
  private static void emitBacktraceWalk(CodeBuffer buf, Gpr store) {
    Gpr fp = Gpr.X10;
    Gpr count = Gpr.X11;
    Gpr slot = Gpr.X12;
    Gpr callerFp = Gpr.X13;
    Gpr entryFp = Gpr.X14;
    Gpr returnAddress = Gpr.X15;
    Label loop = buf.createLabel();
    Label done = buf.createLabel();
    asm(buf, Form.MOV_X, fp, Gpr.X29);
    asm(buf, Form.MOVZ_X, count, MoveWideImm.of(0, 0));
    Asm.addConst(buf, slot, store, StoreLayout.BACKTRACE, WasmCallConv.SCRATCH0);
    Asm.access(buf, Form.LDR_X_IMM, entryFp, store, StoreLayout.ENTRY_FP, WasmCallConv.SCRATCH0);
    buf.bind(loop);
    asm(buf, Form.LDR_X_IMM, callerFp, fp, new ScaledOffset(0, 8));
    asm(buf, Form.CMP_X, callerFp, entryFp);
    asm(buf, Form.B_COND, Cond.EQ, Target.label(done));
    asm(buf, Form.CMP_X_IMM, count, AddSubImm.require(StoreLayout.BACKTRACE_CAPACITY));
    asm(buf, Form.B_COND, Cond.HS, Target.label(done));
    asm(buf, Form.LDR_X_IMM, returnAddress, fp, new ScaledOffset(8, 8));
    asm(buf, Form.STR_X_IMM, returnAddress, slot, new ScaledOffset(0, 8));
    asm(buf, Form.ADD_X_IMM, slot, slot, AddSubImm.require(8));
    asm(buf, Form.ADD_X_IMM, count, count, AddSubImm.require(1));
    asm(buf, Form.MOV_X, fp, callerFp);
    asm(buf, Form.B, Target.label(loop));
    buf.bind(done);
    Asm.access(buf, Form.STR_W_IMM, count, store, StoreLayout.BACKTRACE_COUNT,
        WasmCallConv.SCRATCH0);
  }
}
