package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.mem;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;

/**
 * The throw stub: the body of the {@code throw} builtin's WASM_TO_BUILTIN entry ({@code
 * artifact.vm.Builtin#THROW}). Compiled code calls it under the wasm convention as {@code (vmctx,
 * caller vmctx, exception)} for {@code throw} and {@code throw_ref} (WebAssembly 3.0 section
 * 4.4.8.3-4); it never returns to its caller. It records where the throw happened, lets the runtime's
 * unwinder find the frame that catches (a walk of the frame-pointer chain, each return address looked
 * up in the artifact's handler table), and either resumes that frame at its landing pad or, when no
 * wasm frame up to the innermost entry catches, raises the {@code uncaught_exception} trap through
 * {@link TrapStub}'s code, which unwinds to the entry.
 *
 * <pre>
 *   mov 0(%rdi), %rax                    store context
 *   mov (%rsp), %rcx ; mov %rcx, trap_pc(%rax)    the throwing call's return address
 *   mov %rbp, trap_fp(%rax)              the throwing frame
 *   push %rbp ; mov %rsp, %rbp ; push %rdi ; push %rdx      rsp 16-aligned for the C call
 *   mov %rdx, %rsi ; call *exception_throw(%rax)           int unwind(vmctx, exception)
 *   pop %rdx ; pop %rdi ; pop %rbp
 *   test %eax, %eax ; jz uncaught
 *   mov 0(%rdi), %rax ; mov resume_sp(%rax), %rsp ; mov resume_fp(%rax), %rbp ; jmp *resume_pc(%rax)
 * uncaught:
 *   mov $uncaught_exception, %edx ; (the trap stub)
 * </pre>
 *
 * <p>No register is restored at the landing pad: the register allocator keeps what the pad reads in
 * the frame's spill slots across a call with an exceptional edge, and the frame's prologue saved every
 * callee-saved register its caller may rely on (codegen.regalloc.RegAllocFunction#landingBlock).
 */
public final class ThrowStub {
  private ThrowStub() {}

  /** The exception parameter: the wasm convention's first parameter after the vmctx pair. */
  public static final Gpr EXCEPTION_REGISTER = Gpr.RDX;

  /** Emits the stub at the current offset of {@code buf}. */
  public static void emit(CodeBuffer buf) {
    Gpr store = Gpr.RAX;
    Asm.asm(buf, MovForm.MOVQ_RM, store, mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RCX, mem(Gpr.RSP, 0));
    Asm.asm(buf, MovForm.MOVQ_MR, mem(store, StoreLayout.TRAP_PC), Gpr.RCX);
    Asm.asm(buf, MovForm.MOVQ_MR, mem(store, StoreLayout.TRAP_FP), Gpr.RBP);
    // The call left rsp at 8 mod 16; three pushes make it 0 mod 16 (psABI 3.2.2).
    Asm.asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RBP, Gpr.RSP);
    Asm.asm(buf, ControlForm.PUSHQ_O, WasmCallConv.CALLEE_VMCTX);
    Asm.asm(buf, ControlForm.PUSHQ_O, EXCEPTION_REGISTER);
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RSI, EXCEPTION_REGISTER);
    Asm.asm(buf, ControlForm.CALLQ_M, mem(store, StoreLayout.EXCEPTION_THROW));
    Asm.asm(buf, ControlForm.POPQ_O, EXCEPTION_REGISTER);
    Asm.asm(buf, ControlForm.POPQ_O, WasmCallConv.CALLEE_VMCTX);
    Asm.asm(buf, ControlForm.POPQ_O, Gpr.RBP);
    Label uncaught = buf.createLabel();
    Asm.asm(buf, AluForm.TESTL_MR, Gpr.RAX, Gpr.RAX);
    Asm.asm(buf, ControlForm.JCC_REL8, Cond.E, new LabelTarget(uncaught));
    Asm.asm(buf, MovForm.MOVQ_RM, store, mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RSP, mem(store, StoreLayout.RESUME_SP));
    Asm.asm(buf, MovForm.MOVQ_RM, Gpr.RBP, mem(store, StoreLayout.RESUME_FP));
    Asm.asm(buf, ControlForm.JMPQ_M, mem(store, StoreLayout.RESUME_PC));
    buf.bind(uncaught);
    Asm.asm(buf, MovForm.MOVL_OI, TrapStub.TRAP_CODE_REGISTER, Imm.of(TrapCode.UNCAUGHT_EXCEPTION.code()));
    TrapStub.emit(buf);
  }
}
