package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.mem;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;

/**
 * The shared trap path: the body of the {@code trap} builtin's WASM_TO_BUILTIN entry. Compiled code
 * that detects a trap calls it under the wasm convention as {@code (vmctx, caller vmctx, code: i32)};
 * it never returns to its caller. It records the trap and unwinds to the innermost array-to-wasm
 * entry, which returns {@code false} to the host (docs/ARCHITECTURE.md section 4, "Traps without
 * signals"). No signal, no exception table, no library: a dozen instructions, one loop iteration
 * per wasm caller (at most {@link StoreLayout#BACKTRACE_CAPACITY}) and a mispredicted return.
 *
 * <p>The backtrace is taken here, not by the loader afterwards: once the entry returns, the JVM
 * reuses the stack the wasm frames were on.
 *
 * <pre>
 *   mov 0(%rdi), %rax                store context (vmctx offset 0)
 *   mov %edx, trap_code(%rax)
 *   mov (%rsp), %rcx ; mov %rcx, trap_pc(%rax)     return address = pc just after the trap site
 *   mov %rbp, trap_fp(%rax)          the trapping frame (rbp chain kept by every prologue)
 *   walk the rbp chain up to entry_fp: backtrace[i] = return address into each wasm caller
 *   mov entry_sp(%rax), %rsp         drop every wasm frame at once
 *   (the entry's exit: restore limit/entry_sp/entry_fp, callee-saved registers, rbp) ; xor %eax, %eax ; ret
 * </pre>
 */
public final class TrapStub {
  private TrapStub() {}

  /** The trap code parameter: the wasm convention's first parameter after the vmctx pair. */
  public static final Gpr TRAP_CODE_REGISTER = Gpr.RDX;

  /** Emits the stub at the current offset of {@code buf}. */
  public static void emit(CodeBuffer buf) {
    Gpr store = Gpr.RAX;
    Asm.asm(buf, MovForm.MOVQ_RM, store, mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
    Asm.asm(buf, MovForm.MOVL_MR, mem(store, StoreLayout.TRAP_CODE), TRAP_CODE_REGISTER);
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RCX, mem(Gpr.RSP, 0));
    Asm.asm(buf, MovForm.MOVQ_MR, mem(store, StoreLayout.TRAP_PC), Gpr.RCX);
    Asm.asm(buf, MovForm.MOVQ_MR, mem(store, StoreLayout.TRAP_FP), Gpr.RBP);
    emitBacktraceWalk(buf, store);
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RSP, mem(store, StoreLayout.ENTRY_SP));
    ArrayToWasmTrampoline.emitExit(buf, store);
    Asm.asm(buf, AluForm.XORL_RM, Gpr.RAX, Gpr.RAX);
    Asm.asm(buf, ControlForm.RETQ);
  }

  /**
   * {@code for (fp = rbp, n = 0; [fp] != entry_fp && n < capacity; fp = [fp]) backtrace[n++] =
   * [fp + 8];} then {@code backtrace_count = n}. Every frame between the trap and the entry is a
   * wasm frame with the standard {@code push rbp; mov rsp, rbp} link (package-info), and the
   * outermost one's saved rbp is the entry's own, so the walk ends at the entry.
   */
  private static void emitBacktraceWalk(CodeBuffer buf, Gpr store) {
    Gpr fp = Gpr.RCX;
    Gpr count = Gpr.R8;
    Gpr callerFp = Gpr.R9;
    Gpr returnAddress = Gpr.R10;
    Label loop = buf.createLabel();
    Label done = buf.createLabel();
    Asm.asm(buf, MovForm.MOVQ_RM, fp, Gpr.RBP);
    Asm.asm(buf, AluForm.XORL_RM, count, count);
    buf.bind(loop);
    Asm.asm(buf, MovForm.MOVQ_RM, callerFp, mem(fp, 0));
    Asm.asm(buf, AluForm.CMPQ_RM, callerFp, mem(store, StoreLayout.ENTRY_FP));
    Asm.asm(buf, ControlForm.JCC_REL8, Cond.E, new LabelTarget(done));
    Asm.asm(buf, AluForm.CMPL_MI8, count, Imm.of(StoreLayout.BACKTRACE_CAPACITY));
    Asm.asm(buf, ControlForm.JCC_REL8, Cond.AE, new LabelTarget(done));
    Asm.asm(buf, MovForm.MOVQ_RM, returnAddress, mem(fp, 8));
    Asm.asm(buf, MovForm.MOVQ_MR, Amode.baseIndex(store, count, 8, StoreLayout.BACKTRACE),
        returnAddress);
    Asm.asm(buf, AluForm.ADDL_MI8, count, Imm.of(1));
    Asm.asm(buf, MovForm.MOVQ_RM, fp, callerFp);
    Asm.asm(buf, ControlForm.JMP_REL8, new LabelTarget(loop));
    buf.bind(done);
    Asm.asm(buf, MovForm.MOVL_MR, mem(store, StoreLayout.BACKTRACE_COUNT), count);
  }
}
